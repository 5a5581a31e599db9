/**
 * How an intake starts a dossier's execution at once (POST /invoices, POST /invoices/import):
 * services/intake.ts takes it as an option, so the batch intake, which only queues starts, does not
 * bundle the Step Functions client (issue 15: handlers import only what they run).
 */
import { workflowInput, type Dossier } from '../domain/dossier';
import { boundedStart } from '../domain/execution-horizon';
import { clock } from '../adapters/clock';
import { startExecution } from '../adapters/workflow';
import type { WorkflowStarter } from './intake';
import { startPendingWorkflow } from './workflow-start';

export const startAtOnce: WorkflowStarter = {
  async ensureWorkflow(d: Dossier): Promise<void> {
    const input = boundedStart(workflowInput(d), clock().now());
    if (input && d.execution) await startExecution(d.execution.name, input);
  },
  startPending: startPendingWorkflow,
};
