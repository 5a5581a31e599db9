import { ExecutionAlreadyExists, ExecutionDoesNotExist, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import * as clients from './clients/sfn';
import { settings } from './env';

function executionArn(name: string, stateMachineArn = settings.stateMachineArn()): string {
  // arn:aws:states:<region>:<account>:stateMachine:<sm>  ->  ...:execution:<sm>:<name>
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/**
 * Starts the dossier's execution. Idempotent: the same name and input while it runs is a success;
 * an execution of that name that already ended is reported as `false` (nothing new started).
 * The state machine's own tasks pass its ARN ($$.StateMachine.Id): their functions cannot have it
 * in their environment (the definition references them, a cycle in CloudFormation).
 */
export async function startExecution(name: string, input: unknown, stateMachineArn?: string): Promise<boolean> {
  try {
    await clients.sfn().send(
      new StartExecutionCommand({ stateMachineArn: stateMachineArn ?? settings.stateMachineArn(), name, input: JSON.stringify(input) }),
    );
    return true;
  } catch (e) {
    if (e instanceof ExecutionAlreadyExists) return false;
    throw e;
  }
}

/**
 * Stops the waiting execution at once (ABORTED is the expected end). Missing or ended: no-op. A
 * task of the state machine that stops its own execution passes the ARN it was given, as for
 * startExecution. `false`: no execution of that name (nothing was stopped, no status event follows).
 */
export async function stopExecution(name: string, cause: string, stateMachineArn?: string): Promise<boolean> {
  try {
    await clients.sfn().send(new StopExecutionCommand({ executionArn: executionArn(name, stateMachineArn), cause, error: cause }));
    return true;
  } catch (e) {
    if (e instanceof ExecutionDoesNotExist) return false;
    throw e;
  }
}
