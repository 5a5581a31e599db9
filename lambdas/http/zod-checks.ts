/**
 * The zod checks a lean check hands over to (lean-checks.ts), as one module: Lambdas bundle it
 * apart (SPLIT_MODULES in lib/handler-function.ts), so zod is read only when a stored profile or
 * a hand-off approval is not one the lean check accepts as is (a corrupt profile, a bad request):
 * the answer, and every error detail, then comes from the one schema, as before.
 */
export { checkCreditorProfile } from './creditor-profile-schema';
export { parseHandoffApproval } from './validation';
