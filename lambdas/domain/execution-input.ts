/**
 * The input of a new execution of the dunning state machine for a dossier: where it starts
 * (boundedStart: the next action, or a relay at the execution's horizon) and, when that is a
 * commitment checkpoint, how many checkpoints this execution will run as planned (`next.left`):
 * the route enters the chain of checkpoints where exactly that many reviews are left
 * (lib/dunning-workflow.ts), so a plan's checkpoints cost one route and an early end passes
 * through only what was planned.
 */
import { workflowInput, type Dossier } from './dossier';
import { plannedCheckpoints } from './dossier-commitments';
import { boundedStart, EXECUTION_RELAY, horizonOf, type WorkflowStart } from './execution-horizon';

export function executionInput(d: Dossier, now: Date): WorkflowStart | null {
  const start = boundedStart(workflowInput(d), now);
  if (!start) return null;
  if (start.next.stage === EXECUTION_RELAY) return { ...start, next: { ...start.next, left: 1 } };
  const left = plannedCheckpoints(d, horizonOf(now));
  return left > 0 ? { ...start, next: { ...start.next, left } } : start;
}
