import { describe, expect, it } from 'vitest';
import type { Dossier } from '../../lambdas/domain/dossier';
import { RUNNING } from '../../lambdas/domain/dossier';
import { DOSSIER_STATUSES } from '../../lambdas/domain/model';
import { checkCandidate, flagStalled, judgeRecorded, overdueBefore, STALL_GRACE_MS, stallReason } from '../../lambdas/domain/stall-sweep';

const NOW = new Date('2026-05-18T12:41:00.000Z');
const CUTOFF = overdueBefore(NOW);

function dossier(overrides: Partial<Dossier> = {}): Dossier {
  return {
    id: 'dos_1',
    creditorId: 'c1',
    invoice: { invoiceNumber: 'F-1' },
    status: 'active',
    nextAction: { stage: 'formal_reminder', at: '2026-05-18T07:00:00.000Z' },
    execution: { name: 'dun-abc-2', generation: 2 },
    events: [],
    sending: null,
    ...overrides,
  } as unknown as Dossier;
}

describe('stall sweep decisions', () => {
  it('looks only at next actions overdue by more than the hour of grace, compared as the index stores them', () => {
    expect(STALL_GRACE_MS).toBe(3_600_000);
    expect(CUTOFF).toBe('2026-05-18T11:41:00.000Z');
    expect(checkCandidate(dossier({ nextAction: { stage: 'formal_reminder', at: '2026-05-18T11:40:59.999Z' } as any }), CUTOFF)).toEqual({ kind: 'check', executionName: 'dun-abc-2' });
    // Due, but less than an hour ago: its execution may be acting on it right now.
    expect(checkCandidate(dossier({ nextAction: { stage: 'formal_reminder', at: '2026-05-18T11:41:00.000Z' } as any }), CUTOFF)).toEqual({ kind: 'not_stalled' });
  });

  it('leaves alone every dossier that waits on nothing (paid, paused, flagged, awaiting approval...)', () => {
    for (const status of DOSSIER_STATUSES) {
      const verdict = checkCandidate(dossier({ status }), CUTOFF).kind;
      expect(verdict, status).toBe(RUNNING.has(status) ? 'check' : 'not_stalled');
    }
    expect(checkCandidate(dossier({ nextAction: null }), CUTOFF)).toEqual({ kind: 'not_stalled' });
  });

  it('leaves a first start queued in the bulk intake to its starter; flags a waiting dossier that records no execution', () => {
    expect(checkCandidate(dossier({ pendingStart: { queuedAt: '2026-05-18T06:00:00.000Z' } }), CUTOFF)).toEqual({ kind: 'queued' });
    expect(checkCandidate(dossier({ execution: null }), CUTOFF)).toEqual({ kind: 'no_execution' });
  });

  it('starts a recorded execution that does not exist, leaves a running one, flags one that ended', () => {
    expect(judgeRecorded(null)).toBe('start');
    expect(judgeRecorded('RUNNING')).toBe('alive');
    for (const status of ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']) expect(judgeRecorded(status), status).toBe('ended');
  });

  it('flags only the dossier it judged: still waiting, still overdue, still naming that execution', () => {
    const reason = stallReason('dun-abc-2', 'ended ABORTED while the dossier still waits on it');
    expect(reason).toBe('workflow dun-abc-2 ended ABORTED while the dossier still waits on it; its next action is overdue and nothing will wake the dossier up (stall sweep)');
    const flagged = flagStalled(dossier(), 'dun-abc-2', CUTOFF, reason, NOW);
    expect(flagged.flagged).toBe(true);
    expect(flagged.dossier.status).toBe('needs_attention');
    expect(flagged.dossier.nextAction).toBeNull();
    expect(flagged.dossier.events.at(-1)).toEqual({ type: 'needs_attention', at: NOW.toISOString(), reason });
    // Handed to its successor between the sweep's read and its DescribeExecution (the old one SUCCEEDED).
    expect(flagStalled(dossier({ execution: { name: 'dun-abc-3', generation: 3 } }), 'dun-abc-2', CUTOFF, reason, NOW).flagged).toBe(false);
    // Moved on (its execution acted), paid meanwhile, or flagged by someone else.
    expect(flagStalled(dossier({ nextAction: { stage: 'formal_notice', at: '2026-06-01T07:00:00.000Z' } as any }), 'dun-abc-2', CUTOFF, reason, NOW).flagged).toBe(false);
    expect(flagStalled(dossier({ status: 'paid' }), 'dun-abc-2', CUTOFF, reason, NOW).flagged).toBe(false);
    expect(flagStalled(dossier({ status: 'needs_attention' }), 'dun-abc-2', CUTOFF, reason, NOW).flagged).toBe(false);
    // No execution recorded: flagged while it still records none.
    expect(flagStalled(dossier({ execution: null }), null, CUTOFF, stallReason(null, 'is recorded'), NOW).flagged).toBe(true);
    expect(stallReason(null, 'is recorded')).toMatch(/^no workflow is recorded; /);
    expect(stallReason('x'.repeat(600), 'ended').length).toBe(500);
  });
});
