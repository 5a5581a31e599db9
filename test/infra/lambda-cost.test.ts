import { describe, expect, it } from 'vitest';
import { billedMs, pathCost } from '../../scripts/bench-cost';
import type { FunctionMeter } from '../../scripts/bench-meter';
import prices from '../../scripts/aws-prices.json';

/**
 * How the bench bills Lambda (scripts/bench-cost.ts billedMs): the CPU of invocations sampled
 * alone, stretched by the memory's CPU share, plus a round trip per AWS request, rounded up to the
 * millisecond; never the wall time measured while many invocations shared the bench process.
 */
function metered(over: Partial<FunctionMeter>): FunctionMeter {
  return { invocations: 0, ms: 0, samples: 0, sampleMs: 0, sampleBilledMs: 0, sampleCpuMs: 0, ddbReads: 0, ddbWrites: 0, readUnits: 0, writeUnits: 0, indexWriteUnits: 0, s3Puts: 0, s3Gets: 0, putSizes: [], putKinds: [], sesMessages: 0, sesBytes: 0, logBytes: 0, ...over };
}

const a = prices.assumptions;
const perVcpu = a.lambdaMemoryMbPerVcpu;

describe('billed Lambda duration', () => {
  // 10 invocations that took 5.7 s each while 100 dossiers ran; 2 sampled alone at 20 ms of CPU each.
  const send = metered({ invocations: 10, ms: 57_000, samples: 2, sampleMs: 60, sampleCpuMs: 40, ddbReads: 10, ddbWrites: 40, s3Puts: 10, sesMessages: 10 });

  it('ignores concurrent wall time when samples exist: CPU alone, scaled by memory, plus request round trips', () => {
    const io = 5 * a.requestLatencyMs.dynamodb + a.requestLatencyMs.s3Put + a.requestLatencyMs.ses;
    expect(billedMs('send-notice', send, perVcpu)).toEqual({ ms: Math.ceil(20 + io), sampled: true });
    // A third of a vCPU: the same CPU work takes three times as long.
    expect(billedMs('send-notice', send, perVcpu / 3)).toEqual({ ms: Math.ceil(60 + io), sampled: true });
    // Never below one vCPU's time, however much memory.
    expect(billedMs('send-notice', send, perVcpu * 4).ms).toBe(Math.ceil(20 + io));
  });

  it('rounds up to the millisecond', () => {
    const tiny = metered({ invocations: 1, samples: 1, sampleCpuMs: 0.2 });
    expect(billedMs('accountant-alerts', tiny, perVcpu).ms).toBe(1);
  });

  it("takes the whole run's samples for a phase that sampled none, else the concurrent mean (marked unsampled)", () => {
    const phase = metered({ invocations: 1, ms: 900 });
    const whole = { handoff: metered({ invocations: 5, samples: 1, sampleCpuMs: 100 }) };
    expect(billedMs('handoff', phase, perVcpu, whole)).toEqual({ ms: 100, sampled: true });
    expect(billedMs('handoff', phase, perVcpu)).toEqual({ ms: 900, sampled: false });
  });

  it('the path bills invocations x billed duration at the configured memory, and carries index writes', () => {
    const configs = new Map([['send-notice', { memoryMb: 512, architecture: 'arm64' as const }]]);
    const cost = pathCost({
      path: 'p',
      dossiers: 10,
      transitions: 0,
      executions: 0,
      meter: { 'send-notice': { ...send, writeUnits: 100, indexWriteUnits: 30 } },
      configs,
      apiRequests: 0,
      api: { requests: new Set(), alsoSteps: new Set() },
      archive: { afterDays: Infinity, minObjectBytes: Infinity },
      tracing: false,
      budget: { transitions: null, usd: null },
    });
    const ms = billedMs('send-notice', send, 512).ms;
    expect(cost.perDossier.gbSeconds).toBeCloseTo((10 * ms * 0.5) / 1000 / 10, 9);
    expect(cost.usd.lambda).toBeCloseTo((10 * prices.lambdaPerRequest.usd + ((10 * ms) / 1000) * 0.5 * prices.lambdaPerGbSecond.arm64) / 10, 12);
    expect(cost.perDossier.unsampledInvocations).toBe(0);
    expect([cost.perDossier.writeUnits, cost.perDossier.indexWriteUnits]).toEqual([10, 3]);
  });
});
