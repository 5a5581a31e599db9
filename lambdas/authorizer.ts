import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { grantOfApiKey } from './adapters/api-key-grants';

/**
 * REQUEST authorizer: x-api-key -> { creditorId, role, keyId }. Throwing "Unauthorized" makes API
 * Gateway answer 401 (rewritten into the contract's error format by a gateway response). The role
 * is enforced by each route handler's wrapper against the route table (http/response.ts
 * checkAccess), the same code on AWS and locally. A revoked key fails here once API Gateway's
 * cached result for it expires (the authorizer's results cache TTL).
 */
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const headers = event.headers ?? {};
  const key = Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-api-key')?.[1];
  if (!key || key.length > 256) throw new Error('Unauthorized');
  const grant = await grantOfApiKey(key);
  if (!grant) throw new Error('Unauthorized');
  // The cached policy covers every route of this API for this key: allow the whole stage.
  const [arnPrefix, stage] = event.methodArn.split('/');
  return {
    principalId: grant.creditorId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arnPrefix}/${stage}/*` }],
    },
    context: { creditorId: grant.creditorId, role: grant.role, keyId: grant.keyId },
  };
}
