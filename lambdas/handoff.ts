import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { dispatchHandoff } from './services/handoff-dispatch';
import type { SendOutcome, SendRequest } from './services/stage-claim';
import type { StepOutcome } from './services/step-outcome';
import { approveHandoff } from './services/litigation';
import { creditorOf, json, parseBody, routeIn } from './http/response';
import { HANDOFF_ROUTES } from './http/routes';
import { parseHandoffApprovalBody } from './http/lean-checks';
import { asStepError } from './step-errors';

/** POST /invoices/{id}/handoff {approvedBy}: hands a dossier awaiting approval to counsel; 409 otherwise. */
const approve = routeIn(HANDOFF_ROUTES, async (event) => {
  const { approvedBy } = await parseHandoffApprovalBody(parseBody(event));
  return json(200, await approveHandoff(creditorOf(event), event.pathParameters?.id ?? '', approvedBy));
});

const fromApi = (event: object): event is APIGatewayProxyEvent => 'httpMethod' in event && 'requestContext' in event;

/**
 * The hand-off to counsel, whichever way it starts (one function, so its code is loaded by these
 * two only, not by every letter's or every litigation read's cold start):
 * - Step Functions task SendLitigationHandoff: the grace period of the mise en demeure ended; hold
 *   the dossier for approval or hand it off (errors named for Retry/Catch). Nothing follows a
 *   hand-off in the escalation, so no next stage can lie beyond the execution's horizon: unlike
 *   send-notice, this function never starts an execution.
 * - POST /invoices/{id}/handoff through API Gateway: the creditor approves a held hand-off.
 */
export async function handler(event: SendRequest | APIGatewayProxyEvent): Promise<SendOutcome | StepOutcome | APIGatewayProxyResult> {
  if (fromApi(event)) return approve(event);
  try {
    return await dispatchHandoff(event);
  } catch (e) {
    throw asStepError(e);
  }
}
