import type { Construct } from 'constructs';

/**
 * Context switch `-c amiable:tracing=true` (DEPLOY.md): X-Ray active tracing on every function, on
 * the state machine and on the API stage. Off by default: every dossier is already followed without
 * it (each log line names its dossier, the state machine logs every transition, an execution that
 * ends badly flags its dossier), traces are kept 30 days only, so they are never evidence, and
 * tracing everything costs about $5 per million traces — 8 % of the full escalation's $0.001 budget
 * (npm run bench's cost table follows this switch). Turn it on while investigating latency.
 */
export const TRACING_CONTEXT_KEY = 'amiable:tracing';

export function tracingEnabled(scope: Construct): boolean {
  const value = scope.node.tryGetContext(TRACING_CONTEXT_KEY);
  if (value === undefined || value === null || value === '' || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new Error(`${TRACING_CONTEXT_KEY} must be true or false, got ${JSON.stringify(value)}`);
}
