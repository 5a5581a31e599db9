/**
 * The HTTP contract's routes, as data: the table lives in lambdas/http/routes.ts (handlers import
 * it for the role check) and is re-exported here for the CDK constructs and local mode.
 */
export * from '../lambdas/http/routes';
