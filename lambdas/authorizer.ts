import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { creditorForApiKey } from './adapters/dossier-store';

/**
 * REQUEST authorizer: x-api-key -> creditor. Throwing "Unauthorized" makes API Gateway answer 401
 * (rewritten into the contract's error format by a gateway response).
 */
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const headers = event.headers ?? {};
  const key = Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-api-key')?.[1];
  if (!key || key.length > 256) throw new Error('Unauthorized');
  const creditorId = await creditorForApiKey(key);
  if (!creditorId) throw new Error('Unauthorized');
  // The cached policy covers every route of this API for this key: allow the whole stage.
  const [arnPrefix, stage] = event.methodArn.split('/');
  return {
    principalId: creditorId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arnPrefix}/${stage}/*` }],
    },
    context: { creditorId },
  };
}
