import { describe, expect, it } from 'vitest';
import { apiHandlers, apiInvocations, functionConfigs, pathCost } from '../../scripts/bench-cost';
import type { FunctionMeter, Meter } from '../../scripts/bench-meter';
import { synthTemplate } from './synth';

/**
 * The bench bills API Gateway requests only for the handlers API Gateway invokes, as the
 * synthesized template wires them (REST method integrations; the authorizer is invoked for
 * requests but is no request of its own). Steps, stream, queue and rule consumers never pass
 * through API Gateway, whatever their names.
 */
const template = synthTemplate().toJSON();
const api = apiHandlers(template);

function metered(invocations: number): FunctionMeter {
  return { invocations, ms: 0, samples: 0, sampleMs: 0, sampleBilledMs: 0, sampleCpuMs: 0, ddbReads: 0, ddbWrites: 0, readUnits: 0, writeUnits: 0, indexWriteUnits: 0, s3Puts: 0, s3Gets: 0, putSizes: [], putKinds: [], sesMessages: 0, sesBytes: 0, logBytes: 0 };
}

describe('API-integrated handlers, from the synthesized template', () => {
  it('are the targets of the REST methods: intake, payments, dossier actions, reads; the authorizer apart', () => {
    for (const h of ['create-invoice', 'record-payment', 'dossier-actions', 'get-invoice', 'evidence', 'tasks']) expect(api.requests, h).toContain(h);
    expect([...api.authorizers]).toEqual(['authorizer']);
    expect(api.requests).not.toContain('authorizer');
  });

  it('leave out steps, stream, queue and rule consumers and schedules', () => {
    const handlers = [...functionConfigs(template).keys()];
    for (const h of ['send-notice', 'review-commitment', 'mark-needs-attention', 'delivery-events', 'start-workflows', 'events-out', 'webhook-delivery', 'execution-status', 'digest', 'accountant-alerts']) {
      if (handlers.includes(h)) expect(api.requests, h).not.toContain(h);
    }
    // At least the steps are in the template, so the check above is not vacuous.
    expect(handlers).toEqual(expect.arrayContaining(['send-notice', 'review-commitment', 'mark-needs-attention']));
  });

  it('set apart the hand-off, which API Gateway (POST /handoff) and the state machine both invoke: its invocations are not counted as requests', () => {
    expect(api.requests).toContain('handoff');
    expect([...api.alsoSteps]).toEqual(['handoff']);
    const meter: Meter = { 'create-invoice': metered(1), handoff: metered(1) };
    expect(apiInvocations(meter, api)).toBe(1);
  });

  it('cover every Lambda integration of the API: each method reaches a handler of the set', () => {
    const fnIdsOf = new Map(Object.entries<any>(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function').map(([id, r]) => [id, r.Metadata?.['amiable:handler']]));
    const methods = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::ApiGateway::Method' && r.Properties.Integration?.Type === 'AWS_PROXY');
    expect(methods.length).toBeGreaterThan(5);
    for (const m of methods) {
      const id = JSON.stringify(m.Properties.Integration.Uri).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/)?.[1];
      expect(api.requests, `${m.Properties.HttpMethod} ${id}`).toContain(fnIdsOf.get(id!));
    }
  });

  it('price API Gateway per back-office request, not per consumer invocation', () => {
    const meter: Meter = { 'create-invoice': metered(1), 'start-workflows': metered(3), 'events-out': metered(4), 'send-notice': metered(4), authorizer: metered(1) };
    const base = { path: 'p', dossiers: 1, transitions: 0, executions: 1, meter, configs: new Map(), api, archive: { afterDays: Infinity, minObjectBytes: Infinity }, tracing: false, budget: { transitions: null, usd: null } };
    expect(pathCost(base).perDossier.apiRequests).toBe(1);
    // The bench's own count of the requests its client made wins when given.
    expect(pathCost({ ...base, apiRequests: 2 }).perDossier.apiRequests).toBe(2);
    expect(pathCost({ ...base, apiRequests: 2 }).usd.apiGateway).toBeGreaterThan(pathCost(base).usd.apiGateway);
  });
});
