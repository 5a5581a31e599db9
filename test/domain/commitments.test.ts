import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, isInSendWindow, isBusinessDay, localDate } from '../../lambdas/domain/calendar';
import { completeSend, Dossier, DossierBusy, markNeedsAttention, newDossier } from '../../lambdas/domain/dossier';
import { recordPayment } from '../../lambdas/domain/settlement';
import { resumeDossier } from '../../lambdas/domain/dossier-resume';
import {
  acceptPlan,
  checkInstalments,
  claimReminder,
  completeReminder,
  firstUncovered,
  makePlan,
  makePromise,
  plannedCheckpoints,
  planNextAction,
  runCheckpoint,
  termsFor,
} from '../../lambdas/domain/dossier-commitments';
import { cancelDossier } from '../../lambdas/domain/dossier-disputes';
import { DomainError } from '../../lambdas/domain/errors';

const NOW = new Date('2026-04-08T12:00:00Z');
const nameFor = (g: number) => `exec-${g}`;
const INFO = { messageId: 'm', evidenceKey: 'k', sha256: 's', to: 'd@example.com' };

function dossier(amountCents = 125_000): Dossier {
  const d = newDossier({
    id: 'dos_aaaaaaaaaaaaaaaaaaaaaaaaaa',
    creditorId: 'c',
    executionName: 'exec-1',
    now: new Date('2026-04-04T10:00:00Z'),
    invoice: { invoiceNumber: 'F1', issueDate: '2026-03-04', dueDate: '2026-04-03', amountCents, currency: 'EUR' },
    debtor: {
      kind: 'business',
      name: 'D',
      email: 'd@example.com',
      language: 'fr',
      address: { line1: 'l', postalCode: '75011', city: 'Paris', country: 'FR' },
    },
  });
  return { ...d, version: 1 };
}

function sent(d: Dossier, stage: 'first_reminder' | 'formal_reminder' | 'formal_notice', at: string): Dossier {
  const token = `t-${stage}`;
  return completeSend({ ...d, sending: { stage, token, leaseUntil: 0 } }, stage, token, new Date(at), INFO);
}

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('promise to pay', () => {
  it('is checked at the opening 2 business days after the date, skipping holidays', () => {
    // Thursday 7 May 2026; Friday 8 May is a public holiday: Monday 11, Tuesday 12 May.
    const { dossier: d, promise } = makePromise(dossier(), { id: 'p1', date: '2026-05-07', amountCents: 50_000 }, nameFor, NOW, 0);
    expect(promise.checkAt).toBe('2026-05-12T07:00:00.000Z');
    expect(d.status).toBe('promised');
    expect(d.nextAction).toEqual({ stage: 'promise_check', at: '2026-05-12T07:00:00.000Z' });
    expect(d.execution).toEqual({ name: 'exec-2', generation: 2 });
    expect(d.events.at(-1)).toMatchObject({ type: 'promise_recorded', promiseId: 'p1', amount: '500.00', execution: 'exec-2' });
  });

  it('refuses past or far dates (400), amounts above the balance and closed dossiers (409), waits for a send', () => {
    expect(errorOf(() => makePromise(dossier(), { id: 'p', date: '2026-04-07', amountCents: 1 }, nameFor, NOW, 0)).details[0].path).toBe('date');
    expect(errorOf(() => makePromise(dossier(), { id: 'p', date: '2026-07-08', amountCents: 1 }, nameFor, NOW, 0)).status).toBe(400);
    expect(makePromise(dossier(), { id: 'p', date: '2026-07-07', amountCents: 1 }, nameFor, NOW, 0).promise.date).toBe('2026-07-07');
    const above = errorOf(() => makePromise(dossier(), { id: 'p', date: '2026-04-20', amountCents: 125_001 }, nameFor, NOW, 0));
    expect([above.status, above.details[0].path]).toEqual([409, 'amount']);
    const paid = recordPayment(dossier(), { amountCents: 125_000, paidOn: '2026-04-08', reference: 'r' }, NOW, 0).dossier;
    expect(errorOf(() => makePromise(paid, { id: 'p', date: '2026-04-20', amountCents: 1 }, nameFor, NOW, 0)).status).toBe(409);
    const sending = { ...dossier(), sending: { stage: 'formal_reminder', token: 't', leaseUntil: 10_000 } };
    expect(() => makePromise(sending, { id: 'p', date: '2026-04-20', amountCents: 1 }, nameFor, NOW, 5_000)).toThrow(DossierBusy);
  });

  it('a new promise supersedes the pending one', () => {
    const first = makePromise(dossier(), { id: 'p1', date: '2026-04-20', amountCents: 100 }, nameFor, NOW, 0).dossier;
    const second = makePromise(first, { id: 'p2', date: '2026-04-30', amountCents: 200 }, nameFor, NOW, 0).dossier;
    expect(second.promises!.map((p) => [p.id, p.status])).toEqual([['p1', 'superseded'], ['p2', 'pending']]);
    expect(second.execution?.generation).toBe(3);
    expect(second.events.map((e) => e.type).slice(-2)).toEqual(['promise_superseded', 'promise_recorded']);
  });

  it('is kept when payments since the promise reach the amount, broken otherwise; both resume', () => {
    const prior = recordPayment(dossier(), { amountCents: 10_000, paidOn: '2026-04-08', reference: 'before' }, NOW, 0).dossier;
    const promised = makePromise(prior, { id: 'p1', date: '2026-04-20', amountCents: 30_000 }, nameFor, NOW, 0).dossier;
    const at = new Date('2026-04-22T07:00:00Z');

    // Only 29,999.99 paid after the promise: broken (the earlier payment does not count).
    const short = recordPayment(promised, { amountCents: 29_999, paidOn: '2026-04-15', reference: 'a' }, NOW, 0).dossier;
    const broken = runCheckpoint(short, 'promise_check', 'exec-2', at);
    expect(broken.kind).toBe('advanced');
    expect(broken.dossier.promises![0].status).toBe('broken');
    expect(broken.dossier.status).toBe('active');
    expect(broken.dossier.nextAction).toEqual({ stage: 'first_reminder', at: '2026-04-22T07:00:00.000Z' });

    const enough = recordPayment(promised, { amountCents: 30_000, paidOn: '2026-04-15', reference: 'b' }, NOW, 0).dossier;
    const kept = runCheckpoint(enough, 'promise_check', 'exec-2', at);
    expect(kept.dossier.promises![0].status).toBe('kept');
    expect(kept.dossier.events.find((e) => e.type === 'promise_kept')).toMatchObject({ promised: '300.00', paid: '300.00' });
    expect(kept.dossier.status).toBe('active');
  });

  it('an old execution or a moved-on dossier finds the checkpoint stale', () => {
    const promised = makePromise(dossier(), { id: 'p1', date: '2026-04-20', amountCents: 100 }, nameFor, NOW, 0).dossier;
    expect(runCheckpoint(promised, 'promise_check', 'exec-1', NOW).kind).toBe('stale');
    expect(runCheckpoint(promised, 'instalment_check', 'exec-2', NOW).kind).toBe('stale');
    const cancelled = cancelDossier(promised, 'avoir', NOW, 0).dossier;
    expect(cancelled.promises![0].status).toBe('ended');
    expect(runCheckpoint(cancelled, 'promise_check', 'exec-2', NOW).kind).toBe('stale');
  });
});

describe('payment plan', () => {
  const plan3 = [
    { dueDate: '2026-05-05', amountCents: 41_667 },
    { dueDate: '2026-06-05', amountCents: 41_667 },
    { dueDate: '2026-07-06', amountCents: 41_666 },
  ];

  it('is not an acknowledgment by itself (the creditor’s record proves nothing of the debtor); starts with the first reminder', () => {
    const { dossier: d } = makePlan(dossier(), { id: 'pl', instalments: plan3 }, nameFor, NOW, 0);
    expect(d.status).toBe('on_payment_plan');
    expect(d.acknowledgments ?? []).toEqual([]);
    expect(d.events.find((e) => e.type === 'debt_acknowledged')).toBeUndefined();
    expect(d.nextAction).toEqual({ stage: 'instalment_reminder', at: '2026-05-04T07:00:00.000Z' });
  });

  it('the debtor’s written acceptance, kept as evidence, acknowledges the debt (C. civ. 2240), once', () => {
    const { dossier: d } = makePlan(dossier(), { id: 'pl', instalments: plan3 }, nameFor, NOW, 0);
    const evidence = { evidenceKey: 'dossiers/x/acknowledgments/pl-abc.eml', sha256: 'abc', retainUntil: '2036-04-08T12:00:00.000Z' };
    const later = new Date('2026-04-10T12:00:00Z');
    const accepted = acceptPlan(d, { acceptedOn: '2026-04-09', kind: 'email', evidence }, later).dossier;
    expect(accepted.acknowledgments).toEqual([{ on: '2026-04-09', source: 'written_acceptance', ref: 'pl', evidenceKey: evidence.evidenceKey }]);
    // 5 years B2B from the acceptance (C. civ. 2231).
    expect(accepted.events.at(-1)).toMatchObject({ type: 'debt_acknowledged', source: 'written_acceptance', kind: 'email', prescribesOn: '2031-04-09', ...evidence });
    expect(acceptPlan(accepted, { acceptedOn: '2026-04-10', kind: 'email', evidence }, later).duplicate).toBe(true);
    expect(errorOf(() => acceptPlan(d, { acceptedOn: '2026-04-07', kind: 'email', evidence }, later)).details[0]).toMatchObject({ path: 'acceptedOn', message: expect.stringMatching(/between the plan/) });
  });

  it('the first instalment paid acknowledges the debt when no written acceptance came first', () => {
    const { dossier: d } = makePlan(dossier(), { id: 'pl', instalments: plan3 }, nameFor, NOW, 0);
    const partial = recordPayment(d, { amountCents: 20_000, paidOn: '2026-04-20', reference: 'p1' }, new Date('2026-04-20T10:00:00Z'), 0).dossier;
    expect(partial.acknowledgments ?? []).toEqual([]);
    const first = recordPayment(partial, { amountCents: 21_667, paidOn: '2026-05-04', reference: 'p2' }, new Date('2026-05-04T10:00:00Z'), 0).dossier;
    expect(first.acknowledgments).toEqual([{ on: '2026-05-04', source: 'first_instalment', ref: 'pl' }]);
    expect(first.events.at(-1)).toMatchObject({ type: 'debt_acknowledged', source: 'first_instalment', paymentReference: 'p2', prescribesOn: '2031-05-04' });
  });

  it('refuses instalments that do not add up to the balance, go backwards, or lie in the past', () => {
    const paths = (instalments: typeof plan3) => errorOf(() => checkInstalments(dossier(), instalments, NOW)).details.map((x) => x.path);
    expect(paths([{ dueDate: '2026-05-05', amountCents: 100 }])).toEqual(['instalments']);
    expect(paths([{ dueDate: '2026-05-05', amountCents: 62_500 }, { dueDate: '2026-05-05', amountCents: 62_500 }])).toEqual(['instalments.1.dueDate']);
    expect(paths([{ dueDate: '2026-04-07', amountCents: 125_000 }])).toEqual(['instalments.0.dueDate']);
    expect(paths([{ dueDate: '2028-05-05', amountCents: 125_000 }])).toEqual(['instalments.0.dueDate']);
    expect(() => checkInstalments(dossier(), plan3, NOW)).not.toThrow();
  });

  it('matches payments to instalments in order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 100_000 }), { maxLength: 12 }),
        (amounts, payments) => {
          const total = amounts.reduce((a, b) => a + b, 0);
          const instalments = amounts.map((amountCents, k) => ({ dueDate: addCalendarDays('2026-05-01', 30 * k), amountCents }));
          let d = makePlan(dossier(total), { id: 'pl', instalments }, nameFor, NOW, 0).dossier;
          let paid = 0;
          payments.forEach((p, i) => {
            const amount = Math.min(p, total - paid);
            if (amount <= 0) return;
            d = recordPayment(d, { amountCents: amount, paidOn: '2026-04-08', reference: `r${i}` }, NOW, 0).dossier;
            paid += amount;
          });
          const k = firstUncovered(d, d.plans![0]);
          let cumulative = 0;
          const expected = amounts.findIndex((a) => (cumulative += a) > paid);
          expect(k).toBe(expected);
          if (paid === total) {
            expect(d.status).toBe('paid');
            expect(d.plans![0].status).toBe('completed');
          }
        },
      ),
    );
  });

  it('schedules reminders before checks, inside the send window, checks on a business day after the tolerance (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 700 }), (offset) => {
        const due = addCalendarDays('2026-04-08', offset);
        const d = makePlan(dossier(), { id: 'pl', instalments: [{ dueDate: due, amountCents: 125_000 }] }, nameFor, NOW, 0).dossier;
        const plan = d.plans![0];
        const reminder = planNextAction(d, plan, NOW)!;
        expect(reminder.stage).toBe('instalment_reminder');
        expect(isInSendWindow(reminder.at)).toBe(true);
        expect(localDate(reminder.at) >= addCalendarDays(due, -3)).toBe(true);
        const reminded = { ...d, plans: [{ ...plan, instalments: [{ ...plan.instalments[0], remindedAt: reminder.at }] }] };
        const check = planNextAction(reminded, reminded.plans[0], new Date(reminder.at))!;
        expect(check.stage).toBe('instalment_check');
        expect(isInSendWindow(check.at)).toBe(true);
        expect(Date.parse(check.at)).toBeGreaterThan(Date.parse(reminder.at));
        const checkDay = localDate(check.at);
        expect(isBusinessDay(checkDay)).toBe(true);
        expect(checkDay > due).toBe(true);
      }),
    );
  });

  it('sends a reminder under the lease, then waits for the check', () => {
    const d = makePlan(dossier(), { id: 'pl', instalments: plan3 }, nameFor, NOW, 0).dossier;
    const at = new Date('2026-05-04T07:00:00Z');
    const r = runCheckpoint(d, 'instalment_reminder', 'exec-2', at);
    expect(r).toMatchObject({ kind: 'remind', index: 0 });
    const claimed = claimReminder(d, 'pl', 0, 'tok', 1_000, 90_000);
    expect(claimed.kind).toBe('claimed');
    // A payment during the send waits for it.
    expect(() => recordPayment(claimed.dossier, { amountCents: 125_000, paidOn: '2026-05-04', reference: 'x' }, at, 2_000)).toThrow(DossierBusy);
    const done = completeReminder(claimed.dossier, 'pl', 0, 'tok', at, INFO);
    expect(done.sending).toBeNull();
    expect(done.nextAction).toEqual({ stage: 'instalment_check', at: '2026-05-07T07:00:00.000Z' });
    expect(claimReminder(done, 'pl', 0, 'tok2', 1_000, 90_000).kind).toBe('not_due');
  });

  it('a missed instalment breaks the plan; a mise en demeure already sent is re-opened', () => {
    let d = sent(sent(sent(dossier(), 'first_reminder', '2026-04-07T07:00:00Z'), 'formal_reminder', '2026-04-20T07:00:00Z'), 'formal_notice', '2026-05-04T07:00:00Z');
    const now = new Date('2026-05-06T10:00:00Z');
    d = makePlan(d, { id: 'pl', instalments: [{ dueDate: '2026-05-20', amountCents: 62_500 }, { dueDate: '2026-06-19', amountCents: 62_500 }] }, nameFor, now, 0).dossier;
    const check = new Date('2026-05-22T07:00:00Z');
    const broken = runCheckpoint({ ...d, nextAction: { stage: 'instalment_check', at: check.toISOString() } }, 'instalment_check', 'exec-2', check);
    expect(broken.kind).toBe('advanced');
    const types = broken.dossier.events.map((e) => e.type);
    expect(types.slice(-3)).toEqual(['payment_plan_broken', 'stage_reopened', 'escalation_resumed']);
    expect(broken.dossier.nextAction).toEqual({ stage: 'formal_notice', at: '2026-05-22T07:00:00.000Z' });
    expect(broken.dossier.plans![0].status).toBe('broken');

    // Without a mise en demeure sent, nothing is re-opened: the next unsent stage follows.
    let early = sent(dossier(), 'first_reminder', '2026-04-07T07:00:00Z');
    early = makePlan(early, { id: 'pl', instalments: [{ dueDate: '2026-04-15', amountCents: 125_000 }] }, nameFor, NOW, 0).dossier;
    const at = new Date('2026-04-17T07:00:00Z');
    const resumed = runCheckpoint({ ...early, nextAction: { stage: 'instalment_check', at: at.toISOString() } }, 'instalment_check', 'exec-2', at);
    expect(resumed.dossier.events.map((e) => e.type)).not.toContain('stage_reopened');
    expect(resumed.dossier.nextAction).toEqual({ stage: 'formal_reminder', at: '2026-04-20T07:00:00.000Z' });
  });

  it('an instalment paid during its tolerance moves on to the next one', () => {
    let d = makePlan(dossier(), { id: 'pl', instalments: plan3 }, nameFor, NOW, 0).dossier;
    d = recordPayment(d, { amountCents: 41_667, paidOn: '2026-05-06', reference: 'e1' }, new Date('2026-05-06T10:00:00Z'), 0).dossier;
    const at = new Date('2026-05-07T07:00:00Z');
    const r = runCheckpoint({ ...d, nextAction: { stage: 'instalment_check', at: at.toISOString() } }, 'instalment_check', 'exec-2', at);
    expect(r.kind).toBe('advanced');
    expect(r.dossier.status).toBe('on_payment_plan');
    expect(r.dossier.nextAction).toEqual({ stage: 'instalment_reminder', at: '2026-06-02T07:00:00.000Z' });
  });
});

describe('resume after attention', () => {
  const later = new Date('2026-05-10T10:00:00Z');

  it('resumes a running plan at its checkpoint, a pending promise at its check, else the next stage', () => {
    const onPlan = makePlan(dossier(), { id: 'pl', instalments: [{ dueDate: '2026-06-05', amountCents: 125_000 }] }, nameFor, NOW, 0).dossier;
    const flaggedPlan = markNeedsAttention(onPlan, 'bounce', NOW);
    const r1 = resumeDossier(flaggedPlan, {}, nameFor, later, 0).dossier;
    expect(r1.status).toBe('on_payment_plan');
    expect(r1.nextAction).toEqual({ stage: 'instalment_reminder', at: '2026-06-02T07:00:00.000Z' });
    expect(r1.execution).toEqual({ name: 'exec-3', generation: 3 });

    const promised = makePromise(dossier(), { id: 'p', date: '2026-05-04', amountCents: 100 }, nameFor, NOW, 0).dossier;
    const r2 = resumeDossier(markNeedsAttention(promised, 'x', NOW), {}, nameFor, later, 0).dossier;
    // The check (6 May) has passed while flagged: it runs at once.
    expect(r2).toMatchObject({ status: 'promised', nextAction: { stage: 'promise_check', at: later.toISOString() } });

    const plain = resumeDossier(markNeedsAttention(sent(dossier(), 'first_reminder', '2026-04-07T07:00:00Z'), 'x', NOW), { debtorEmail: 'new@example.com' }, nameFor, later, 0).dossier;
    expect(plain.status).toBe('active');
    expect(plain.debtor.email).toBe('new@example.com');
    expect(plain.nextAction).toEqual({ stage: 'formal_reminder', at: '2026-05-11T07:00:00.000Z' }); // Sunday 10 May -> Monday
    expect(plain.events.slice(-2).map((e) => e.type)).toEqual(['debtor_email_changed', 'escalation_resumed']);
  });

  it('refuses anything but a dossier that needs attention', () => {
    expect(errorOf(() => resumeDossier(dossier(), {}, nameFor, later, 0)).details).toEqual([{ path: 'status', message: 'active' }]);
  });
});

describe("a creditor's own commitment terms", () => {
  it('default to 2 business days of tolerance and reminders 3 days ahead; partial terms keep the other defaults', () => {
    expect(termsFor(null)).toEqual({ promiseToleranceBusinessDays: 2, instalmentToleranceBusinessDays: 2, instalmentReminderDaysBefore: 3 });
    expect(termsFor({ commitmentTerms: { instalmentReminderDaysBefore: 7 } })).toEqual({
      promiseToleranceBusinessDays: 2,
      instalmentToleranceBusinessDays: 2,
      instalmentReminderDaysBefore: 7,
    });
  });

  it('are applied to each promise and plan, and kept by it', () => {
    // No tolerance: checked at the opening of the promised date itself.
    const strict = makePromise(dossier(), { id: 'p', date: '2026-05-07', amountCents: 100, toleranceBusinessDays: 0 }, nameFor, NOW, 0);
    expect(strict.promise.checkAt).toBe('2026-05-07T07:00:00.000Z');
    // 5 business days after Thursday 7 May, skipping 8 May and Ascension (14 May): 11, 12, 13, 15, 18 May.
    const lenient = makePromise(dossier(), { id: 'p', date: '2026-05-07', amountCents: 100, toleranceBusinessDays: 5 }, nameFor, NOW, 0);
    expect(lenient.promise.checkAt).toBe('2026-05-18T07:00:00.000Z');

    const noReminders = makePlan(
      dossier(),
      { id: 'pl', instalments: [{ dueDate: '2026-05-05', amountCents: 125_000 }], terms: { toleranceBusinessDays: 4, reminderDaysBefore: 0 } },
      nameFor,
      NOW,
      0,
    ).dossier;
    // No reminder; checked 4 business days after Tuesday 5 May (8 May is a holiday): 6, 7, 11, 12 May.
    expect(noReminders.nextAction).toEqual({ stage: 'instalment_check', at: '2026-05-12T07:00:00.000Z' });
    expect(noReminders.plans![0].terms).toEqual({ toleranceBusinessDays: 4, reminderDaysBefore: 0 });
    const weekAhead = makePlan(
      dossier(),
      { id: 'pl', instalments: [{ dueDate: '2026-05-20', amountCents: 125_000 }], terms: { toleranceBusinessDays: 2, reminderDaysBefore: 7 } },
      nameFor,
      NOW,
      0,
    ).dossier;
    expect(weekAhead.nextAction).toEqual({ stage: 'instalment_reminder', at: '2026-05-13T07:00:00.000Z' });
  });
});

/**
 * plannedCheckpoints (the `left` the state machine's route enters the chain of checkpoints by,
 * lib/dunning-workflow.ts) against the checkpoints the pure core really runs when every instalment
 * is paid on its due date: the same count, so the chain ends with the plan's last check and
 * nothing passes through; bounded by a horizon, only the checkpoints up to it.
 */
describe('checkpoints planned for the chain', () => {
  /** Runs the plan's checkpoints as the execution would, each instalment paid on its due date; the instants of the checkpoints waited for. */
  function simulate(d: Dossier): string[] {
    const waited: string[] = [];
    let paid = 0;
    for (let guard = 0; guard < 200 && d.nextAction && d.status === 'on_payment_plan'; guard++) {
      const { stage, at } = d.nextAction;
      waited.push(at);
      const now = new Date(at);
      // Before a check, the instalments due by its day are paid (a check on the due date itself,
      // with no tolerance, finds them paid); a reminder sees no payment (one falling on the due date
      // itself goes first).
      const plan = d.plans!.at(-1)!;
      for (const [k, i] of plan.instalments.entries()) {
        if (k < paid || stage !== 'instalment_check' || i.dueDate > localDate(at)) continue;
        d = recordPayment(d, { amountCents: i.amountCents, paidOn: i.dueDate, reference: `p${k}` }, now, 0).dossier;
        paid = k + 1;
      }
      if (d.status !== 'on_payment_plan') break; // the last payment settles the debt: the execution is stopped at this Wait
      const r = runCheckpoint(d, stage, 'exec-2', now);
      if (r.kind === 'remind') {
        const claimed = claimReminder(r.dossier, r.plan.id, r.index, 'tok', 0, 1);
        d = completeReminder(claimed.dossier, r.plan.id, r.index, 'tok', now, INFO);
      } else d = r.dossier;
    }
    return waited;
  }

  /** Instalments `gaps` days apart from 9 April 2026, adding up to the balance. */
  function monthlyish(gaps: number[]) {
    let due = '2026-04-09';
    return gaps.map((gap, k) => {
      due = addCalendarDays(due, gap);
      return { dueDate: due, amountCents: k === 0 ? 125_000 - (gaps.length - 1) * 1_000 : 1_000 };
    });
  }

  it('is 1 for a promise, 0 for a stage or nothing, 12 for 6 monthly instalments', () => {
    const promised = makePromise(dossier(), { id: 'p', date: '2026-04-24', amountCents: 125_000 }, nameFor, NOW, 0).dossier;
    expect(plannedCheckpoints(promised, null)).toBe(1);
    expect(plannedCheckpoints(dossier(), null)).toBe(0);
    expect(plannedCheckpoints({ ...dossier(), nextAction: null }, null)).toBe(0);
    const six = Array.from({ length: 6 }, (_, k) => ({ dueDate: addCalendarDays('2026-05-05', 30 * k), amountCents: k < 5 ? 20_000 : 25_000 }));
    const d = makePlan(dossier(), { id: 'pl', instalments: six }, nameFor, NOW, 0).dossier;
    expect(plannedCheckpoints(d, null)).toBe(12);
    expect(simulate(d)).toHaveLength(12);
    // Up to a horizon: only what falls before it (here the first two instalments' reminders and checks).
    expect(plannedCheckpoints(d, new Date('2026-06-10T00:00:00Z'))).toBe(4);
    // A next action beyond the horizon: nothing this execution will run (it relays).
    expect(plannedCheckpoints(d, new Date('2026-05-01T00:00:00Z'))).toBe(0);
  });

  it('counts what the pure core runs when every instalment is paid on its due date (property)', () => {
    // Instalments closer than the previous one's check: a later payment may settle the debt before
    // an earlier check, and the execution is stopped sooner than planned (an over-count costs nothing then).
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 15 }), (gaps, toleranceBusinessDays, reminderDaysBefore) => {
        const d = makePlan(dossier(), { id: 'pl', instalments: monthlyish(gaps), terms: { toleranceBusinessDays, reminderDaysBefore } }, nameFor, NOW, 0).dossier;
        expect(plannedCheckpoints(d, null)).toBeGreaterThanOrEqual(simulate(d).length);
      }),
    );
    // Each instalment due after the previous one's check (20 days apart or more: the tolerance is
    // at most 10 business days): exactly the checkpoints run, up to any horizon.
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 20, max: 60 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 0, max: 400 }),
        (gaps, toleranceBusinessDays, reminderDaysBefore, horizonDays) => {
          const d = makePlan(dossier(), { id: 'pl', instalments: monthlyish(gaps), terms: { toleranceBusinessDays, reminderDaysBefore } }, nameFor, NOW, 0).dossier;
          const waited = simulate(d);
          expect(plannedCheckpoints(d, null)).toBe(waited.length);
          const horizon = new Date(NOW.getTime() + horizonDays * 86_400_000);
          expect(plannedCheckpoints(d, horizon)).toBe(waited.filter((at) => Date.parse(at) <= horizon.getTime()).length);
        },
      ),
    );
  });
});
