/**
 * Names the CDK app and local mode both need, in a module that imports nothing: local mode's
 * process reads them without loading aws-cdk-lib and the construct library (~40 MB resident,
 * 2-4 s of start-up), which only its synth child process needs (local/synth-child.ts).
 */

/** The stack of the test and local stages (what a bare `cdk deploy` builds). */
export const STACK_NAME = 'Amiable';

/** Offline synth (and local mode) targets Paris unless CDK_DEFAULT_REGION says otherwise. */
export const DEFAULT_REGION = 'eu-west-3';

/** Metadata key naming the handler module under lambdas/; local mode maps Task states with it. */
export const HANDLER_METADATA_KEY = 'amiable:handler';
