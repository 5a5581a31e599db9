import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lambdas/domain/errors';
import {
  assertPursued,
  assertValidPolicy,
  BUILTIN_POLICIES,
  checkBuiltinPolicies,
  DEFAULT_POLICY,
  FR_WITH_COURTESY_CALL,
  InvalidPolicyError,
  MIN_GRACE_DAYS,
  minimumPursued,
  validatePolicy,
  validatedPolicy,
  type Policy,
  type PolicyError,
  type PolicyStage,
} from '../../lambdas/domain/policy';

/** A mutable deep copy of the default, to break in one place per test. */
const base = (): Policy => JSON.parse(JSON.stringify(DEFAULT_POLICY)) as Policy;

function errorsOf(p: unknown): PolicyError[] {
  const r = validatePolicy(p);
  if (r.ok) throw new Error('expected the policy to be rejected');
  return r.errors;
}
const paths = (p: unknown) => errorsOf(p).map((e) => e.path);

describe('DEFAULT_POLICY', () => {
  it('is the French default: D+3, D+15, D+30 by email, 8 days of grace, hand-off after the deadline', () => {
    expect(DEFAULT_POLICY).toEqual({
      name: 'fr-default',
      graceDays: 8,
      stages: [
        { id: 'first_reminder', kind: 'first_reminder', channel: 'email', offset: { days: 3, unit: 'calendar', from: 'due_date' } },
        { id: 'formal_reminder', kind: 'formal_reminder', channel: 'email', offset: { days: 15, unit: 'calendar', from: 'due_date' } },
        { id: 'formal_notice', kind: 'formal_notice', channel: 'email', offset: { days: 30, unit: 'calendar', from: 'due_date' } },
        {
          id: 'litigation_handoff',
          kind: 'litigation_handoff',
          channel: 'email',
          offset: { days: 1, unit: 'business', from: 'previous_stage' },
        },
      ],
    });
    expect(MIN_GRACE_DAYS).toBe(8);
  });

  it('is valid and frozen', () => {
    expect(validatePolicy(DEFAULT_POLICY)).toEqual({ ok: true, policy: DEFAULT_POLICY });
    // The constants are trusted at run time: here (and at synth) each is checked anew, on a copy,
    // and must come back exactly as written (the form validatePolicy gives, field order included).
    expect(() => checkBuiltinPolicies()).not.toThrow();
    for (const builtin of Object.values(BUILTIN_POLICIES)) {
      const copy = structuredClone(builtin);
      const checked = validatePolicy(copy);
      expect(checked.ok && checked.policy !== copy && JSON.stringify(checked.policy)).toBe(JSON.stringify(builtin));
    }
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY.stages[0]?.offset)).toBe(true);
    expect(() => (DEFAULT_POLICY.stages as PolicyStage[]).push(DEFAULT_POLICY.stages[0] as PolicyStage)).toThrow(TypeError);
  });

  it('has a sample with a courtesy call at D+8 between the reminders', () => {
    expect(FR_WITH_COURTESY_CALL.name).toBe('fr-with-courtesy-call');
    expect(FR_WITH_COURTESY_CALL.stages.map((s) => s.id)).toEqual([
      'first_reminder',
      'courtesy_call',
      'formal_reminder',
      'formal_notice',
      'litigation_handoff',
    ]);
    expect(FR_WITH_COURTESY_CALL.stages[1]).toEqual({
      id: 'courtesy_call',
      kind: 'manual_task',
      channel: 'manual',
      offset: { days: 8, unit: 'calendar', from: 'due_date' },
    });
    expect(validatePolicy(FR_WITH_COURTESY_CALL).ok).toBe(true);
    expect(Object.keys(BUILTIN_POLICIES).sort()).toEqual(['fr-default', 'fr-fifteen-days-grace', 'fr-with-courtesy-call']);
  });
});

describe('validatePolicy', () => {
  it('returns a clean, frozen copy: later changes to the input do not leak in', () => {
    const input = base() as Policy & { extra?: string };
    input.extra = 'ignored';
    const r = validatePolicy(input);
    if (!r.ok) throw new Error('expected ok');
    expect(r.policy).not.toBe(input);
    expect(r.policy).not.toHaveProperty('extra');
    (input.stages[0] as PolicyStage).offset.days = 99;
    expect(r.policy.stages[0]?.offset.days).toBe(3);
    expect(Object.isFrozen(r.policy.stages)).toBe(true);
  });

  it('rejects a stage placed before its predecessor', () => {
    const p = base();
    (p.stages[2] as PolicyStage).offset.days = 10; // mise en demeure at D+10, formal reminder at D+15
    expect(errorsOf(p)).toEqual([
      { path: 'stages.2.offset.days', message: expect.stringMatching(/"formal_notice" \(day 10\) must come strictly after "formal_reminder" \(day 15\)/) },
    ]);
  });

  it('rejects two stages on the same offset', () => {
    const p = base();
    (p.stages[1] as PolicyStage).offset.days = 3;
    expect(paths(p)).toEqual(['stages.1.offset.days']);
  });

  it('rejects negative and fractional offsets', () => {
    const p = base();
    (p.stages[0] as PolicyStage).offset.days = -2;
    expect(errorsOf(p)).toEqual([{ path: 'stages.0.offset.days', message: expect.stringMatching(/cannot be negative/) }]);
    (p.stages[0] as PolicyStage).offset.days = 2.5;
    expect(paths(p)).toEqual(['stages.0.offset.days']);
  });

  it('rejects a grace period under 8 days when there is a mise en demeure', () => {
    expect(errorsOf({ ...base(), graceDays: 7 })).toEqual([
      { path: 'graceDays', message: expect.stringMatching(/at least 8 days/) },
    ]);
    expect(validatePolicy({ ...base(), graceDays: 15 }).ok).toBe(true);
    expect(paths({ ...base(), graceDays: -1 })).toContain('graceDays');
  });

  it('requires each mandatory stage exactly once', () => {
    const p = base();
    p.stages.splice(2, 1);
    expect(errorsOf(p)).toEqual([{ path: 'stages', message: 'missing mandatory stage formal_notice' }]);

    const twice = base();
    twice.stages.splice(2, 0, { ...(twice.stages[1] as PolicyStage), id: 'formal_reminder_bis', offset: { days: 20, unit: 'calendar', from: 'due_date' } });
    expect(paths(twice)).toEqual(['stages.2.kind']);
  });

  it('requires the mandatory stages in their relative order', () => {
    const p = base();
    // Swap the kinds (and ids) of stages 1 and 2, keeping offsets increasing.
    p.stages[1] = { ...(p.stages[1] as PolicyStage), id: 'notice', kind: 'formal_notice' };
    p.stages[2] = { ...(p.stages[2] as PolicyStage), id: 'reminder', kind: 'formal_reminder' };
    expect(errorsOf(p)).toEqual([
      { path: 'stages.2.kind', message: expect.stringMatching(/formal_reminder must come before formal_notice/) },
    ]);
  });

  it('rejects duplicate ids and stage names used for another kind', () => {
    const p = base();
    (p.stages[1] as PolicyStage).id = 'first_reminder';
    expect(paths(p)).toEqual(['stages.1.id', 'stages.1.id']);
    expect(errorsOf(p)[0]?.message).toMatch(/duplicate id "first_reminder" \(also stages.0\)/);
  });

  it('rejects an invalid send window with paths into the window', () => {
    const p: Policy = { ...base(), sendWindow: { timeZone: 'Mars/Olympus', days: [], open: '18:00', close: '09:00' } };
    expect(paths(p).sort()).toEqual(['sendWindow.close', 'sendWindow.days', 'sendWindow.timeZone']);
  });

  it('reports every problem at once', () => {
    const p = base();
    p.graceDays = 3;
    (p.stages[0] as PolicyStage).offset.days = -1;
    p.stages[3] = { ...(p.stages[3] as PolicyStage), id: 'formal_notice' };
    expect(paths(p).sort()).toEqual(['graceDays', 'stages.0.offset.days', 'stages.3.id', 'stages.3.id']);
  });

  it('reports timing and grace problems together, and composition even with a malformed offset', () => {
    const p = base();
    p.graceDays = 5;
    (p.stages[1] as PolicyStage).offset.days = 2;
    expect(paths(p).sort()).toEqual(['graceDays', 'stages.1.offset.days']);
    const q = base() as unknown as { stages: Record<string, unknown>[] };
    q.stages[0] = { ...q.stages[0], offset: { days: 3, unit: 'fortnight', from: 'due_date' } };
    q.stages[1] = { ...q.stages[1], id: 'x' };
    q.stages[2] = { ...q.stages[2], id: 'x' };
    expect(paths(q).sort()).toEqual(['stages.0.offset.unit', 'stages.2.id']);
  });

  it('checks shapes: kinds, channels, units, anchors', () => {
    expect(paths({ ...base(), stages: [] })).toEqual(['stages']);
    expect(paths({ ...base(), name: '' })).toEqual(['name']);
    const p = base() as unknown as { stages: Record<string, unknown>[] };
    p.stages[0] = { id: 'x', kind: 'phone_call', channel: 'pigeon', offset: { days: 1, unit: 'weeks', from: 'invoice' } };
    expect(paths(p)).toEqual(['stages.0.kind', 'stages.0.channel', 'stages.0.offset.unit', 'stages.0.offset.from']);
    expect(errorsOf(null)).toEqual([{ path: '', message: 'policy must be an object' }]);
  });

  it('keeps manual tasks manual and amount thresholds on tasks only', () => {
    const p = base();
    p.stages.splice(1, 0, { id: 'call', kind: 'manual_task', channel: 'email', offset: { days: 8, unit: 'calendar', from: 'due_date' } });
    expect(paths(p)).toEqual(['stages.1.channel']);
    const q = base();
    (q.stages[0] as PolicyStage).minimumAmountCents = 10_000;
    expect(paths(q)).toEqual(['stages.0.minimumAmountCents']);
  });

  it('does not let the first reminder go out before the debt is late', () => {
    const p = base();
    (p.stages[0] as PolicyStage).offset.days = 0;
    expect(errorsOf(p)).toEqual([{ path: 'stages.0.offset.days', message: expect.stringMatching(/L441-10/) }]);
  });

  it('anchors: no previous stage for the first, positive offsets after a previous stage', () => {
    const p = base();
    (p.stages[0] as PolicyStage).offset.from = 'previous_stage';
    expect(paths(p)).toContain('stages.0.offset.from');
    const q = base();
    q.stages[1] = { ...(q.stages[1] as PolicyStage), offset: { days: 0, unit: 'calendar', from: 'previous_stage' } };
    expect(paths(q)).toEqual(['stages.1.offset.days']);
    const chained = base();
    chained.stages[1] = { ...(chained.stages[1] as PolicyStage), offset: { days: 12, unit: 'calendar', from: 'previous_stage' } };
    expect(validatePolicy(chained).ok).toBe(true);
  });

  it('keeps the hand-off after the mise en demeure deadline', () => {
    const p = base();
    (p.stages[3] as PolicyStage).offset.days = 0; // 0 business days after the deadline = the deadline itself
    expect(paths(p)).toEqual(['stages.3.offset.days']);
    const fromDue = base();
    fromDue.stages[3] = { ...(fromDue.stages[3] as PolicyStage), offset: { days: 38, unit: 'calendar', from: 'due_date' } };
    // Mise en demeure at D+30 + 8 days of grace = D+38: handing off that day is too early.
    expect(errorsOf(fromDue)).toEqual([{ path: 'stages.3.offset.days', message: expect.stringMatching(/after the mise en demeure deadline/) }]);
    fromDue.stages[3] = { ...(fromDue.stages[3] as PolicyStage), offset: { days: 45, unit: 'calendar', from: 'due_date' } };
    expect(validatePolicy(fromDue).ok).toBe(true);
  });

  it('compares business-day offsets exactly among themselves and conservatively across units', () => {
    const biz = base();
    biz.stages[1] = { ...(biz.stages[1] as PolicyStage), offset: { days: 10, unit: 'business', from: 'due_date' } };
    biz.stages[2] = { ...(biz.stages[2] as PolicyStage), offset: { days: 11, unit: 'business', from: 'due_date' } };
    // 3 calendar days vs 10 business days: 10 business days are at least 10 calendar days.
    expect(validatePolicy(biz).ok).toBe(true);
    const mixed = base();
    // 10 business days (14 calendar days or more) then 15 calendar days: could be the same day.
    mixed.stages[1] = { ...(mixed.stages[1] as PolicyStage), offset: { days: 10, unit: 'business', from: 'due_date' } };
    mixed.stages[2] = { ...(mixed.stages[2] as PolicyStage), offset: { days: 15, unit: 'calendar', from: 'due_date' } };
    expect(paths(mixed)).toEqual(['stages.2.offset.days']);
  });
});

describe('assertValidPolicy', () => {
  it('throws an InvalidPolicyError carrying the errors', () => {
    try {
      assertValidPolicy({ ...base(), graceDays: 2 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidPolicyError);
      expect((e as InvalidPolicyError).errors.map((x) => x.path)).toEqual(['graceDays']);
      expect((e as Error).message).toMatch(/^invalid policy: graceDays: /);
    }
  });
});

describe('the minimum amount pursued', () => {
  it("takes the creditor's minimum over the policy's; none when neither sets one", () => {
    expect(minimumPursued(DEFAULT_POLICY, undefined)).toBeUndefined();
    expect(minimumPursued({ minimumAmountCents: 2_000 }, undefined)).toBe(2_000);
    expect(minimumPursued({ minimumAmountCents: 2_000 }, 500)).toBe(500);
    expect(minimumPursued(DEFAULT_POLICY, 500)).toBe(500);
    // No built-in policy refuses anything by amount.
    for (const p of Object.values(BUILTIN_POLICIES)) expect(p.minimumAmountCents).toBeUndefined();
  });

  it('refuses exactly the amounts below the minimum, with 422 below_minimum on amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: undefined }), (amount, minimum) => {
        let refused: unknown = null;
        try {
          assertPursued('F-1', amount, minimum);
        } catch (e) {
          refused = e;
        }
        expect(refused !== null).toBe(minimum !== undefined && amount < minimum);
        if (refused) {
          expect(refused).toBeInstanceOf(DomainError);
          expect((refused as DomainError).status).toBe(422);
          expect((refused as DomainError).code).toBe('below_minimum');
          expect((refused as DomainError).details.map((d) => d.path)).toEqual(['amount']);
        }
      }),
    );
    expect(() => assertPursued('F-2', 4_999, 5_000)).toThrow('Invoice F-2 (49.99 EUR) is below the creditor\'s minimum of 50.00 EUR: it is not pursued, and no dossier was created.');
  });
});

describe('validatedPolicy (what schedule.ts runs under)', () => {
  it('takes the built-ins and what assertValidPolicy returned, and refuses any other policy, even a valid one', () => {
    for (const builtin of Object.values(BUILTIN_POLICIES)) expect(validatedPolicy(builtin)).toBe(builtin);
    const custom = assertValidPolicy({ ...DEFAULT_POLICY, name: 'custom', graceDays: 10 });
    expect(validatedPolicy(custom)).toBe(custom);
    expect(() => validatedPolicy({ ...DEFAULT_POLICY, name: 'custom', graceDays: 10 })).toThrow(InvalidPolicyError);
    expect(() => validatedPolicy({ ...DEFAULT_POLICY, graceDays: 2 })).toThrow(/not validated/);
  });
});
