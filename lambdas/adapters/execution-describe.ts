import { DescribeExecutionCommand, ExecutionDoesNotExist } from '@aws-sdk/client-sfn';
import * as clients from './clients/sfn';
import { settings } from './env';

/**
 * The status of this state machine's execution `name` (RUNNING, SUCCEEDED, FAILED, TIMED_OUT,
 * ABORTED...), or null when there is none of that name: never started, or closed more than 90
 * days ago (Step Functions purges it then). Its own module: only the stall sweep describes executions.
 */
export async function executionStatus(name: string): Promise<string | null> {
  const executionArn = `${settings.stateMachineArn().replace(':stateMachine:', ':execution:')}:${name}`;
  try {
    return (await clients.sfn().send(new DescribeExecutionCommand({ executionArn }))).status ?? null;
  } catch (e) {
    if (e instanceof ExecutionDoesNotExist) return null;
    throw e;
  }
}
