import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { holidayRegionFor } from '../../lambdas/domain/calendar';
import type { Stage } from '../../lambdas/domain/model';
import { assertValidPolicy, DEFAULT_POLICY, FR_WITH_COURTESY_CALL, InvalidPolicyError, type Policy, type PolicyStage } from '../../lambdas/domain/policy';
import {
  computeSchedule,
  nextStageAfter,
  policyGaps,
  STAGE_GAPS,
  stagesDue,
  type Schedule,
  type SentStage,
} from '../../lambdas/domain/schedule';
import {
  ORACLE_REGIONS,
  oracleAddDays,
  oracleIsBusinessDay,
  oracleIsHoliday,
  oracleNextBusinessDayOnOrAfter,
  oracleWeekday,
} from './holiday-oracle';

const PARIS = 'Europe/Paris';
const paris = holidayRegionFor({ postalCode: '75011', country: 'FR' });
const metz = holidayRegionFor({ postalCode: '57000', country: 'FR' });

/** The schedule as { stage: instant } for readable expectations. */
const times = (s: Schedule): Record<Stage, string> =>
  Object.fromEntries(s.stages.map((x) => [x.stage, x.at])) as Record<Stage, string>;
const parisDate = (at: string): string => DateTime.fromISO(at).setZone(PARIS).toISODate() as string;
/** The debtor's zone (the default send window is in it: 09:00 in Cayenne is 09:00 Cayenne time). */
const ZONES: Record<string, string> = { 'FR-GF': 'America/Cayenne', 'FR-RE': 'Indian/Reunion', 'FR-YT': 'Indian/Mayotte' };
const zoneOf = (region: string): string => ZONES[region] ?? PARIS;
const localDateOf = (at: string, region: string): string => DateTime.fromISO(at).setZone(zoneOf(region)).toISODate() as string;
const localTimeOf = (at: string, region: string): string => DateTime.fromISO(at).setZone(zoneOf(region)).toFormat('HH:mm');
const dayDiff = (a: string, b: string): number => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

describe('computeSchedule: the default policy on time', () => {
  it('worked example: due Friday 2026-04-03', () => {
    const s = computeSchedule({ dueDate: '2026-04-03', policy: DEFAULT_POLICY, region: paris, now: '2026-04-01T10:00:00Z' });
    expect(s.stages.map((x) => x.stage)).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
    expect(times(s)).toEqual({
      // 3 Apr + 3 = Mon 6 Apr, Easter Monday -> Tue 7 Apr 09:00 CEST (UTC+2) = 07:00Z.
      first_reminder: '2026-04-07T07:00:00.000Z',
      // 3 Apr + 15 = Sat 18 Apr -> Mon 20 Apr 09:00.
      formal_reminder: '2026-04-20T07:00:00.000Z',
      // 3 Apr + 30 = Sun 3 May -> Mon 4 May 09:00.
      formal_notice: '2026-05-04T07:00:00.000Z',
      // Hand-off: first business day after the deadline, Wed 13 May 09:00.
      litigation_handoff: '2026-05-13T07:00:00.000Z',
    });
    // Deadline: sent Mon 4 May, day of sending not counted: 4 + 8 = Tue 12 May, a business day.
    expect(s.deadline).toBe('2026-05-12');
    expect(s.tasks).toEqual([]);
  });

  it('moves a stage off Good Friday for a Moselle debtor only', () => {
    // Due Tue 31 Mar 2026 + 3 = Fri 3 Apr: a working day in Paris, Good Friday in Metz.
    const now = '2026-03-01T10:00:00Z';
    expect(times(computeSchedule({ dueDate: '2026-03-31', region: paris, now })).first_reminder).toBe('2026-04-03T07:00:00.000Z');
    // Metz: Fri 3 (Good Friday) -> Sat -> Sun -> Mon 6 (Easter Monday) -> Tue 7 Apr.
    expect(times(computeSchedule({ dueDate: '2026-03-31', region: metz, now })).first_reminder).toBe('2026-04-07T07:00:00.000Z');
  });

  it('deadline on 25 December (Paris) and on 26 December too (Moselle)', () => {
    // Due Mon 17 Nov 2025: +3 = Thu 20 Nov, +15 = Tue 2 Dec, +30 = Wed 17 Dec (09:00 CET = 08:00Z).
    const now = '2025-11-01T10:00:00Z';
    const p = computeSchedule({ dueDate: '2025-11-17', region: paris, now });
    expect(times(p)).toEqual({
      first_reminder: '2025-11-20T08:00:00.000Z',
      formal_reminder: '2025-12-02T08:00:00.000Z',
      formal_notice: '2025-12-17T08:00:00.000Z',
      // 17 + 8 = Thu 25 Dec (Christmas) -> deadline Fri 26 Dec -> hand-off Mon 29 Dec.
      litigation_handoff: '2025-12-29T08:00:00.000Z',
    });
    expect(p.deadline).toBe('2025-12-26');
    const m = computeSchedule({ dueDate: '2025-11-17', region: metz, now });
    // Moselle: 25 and 26 Dec are holidays, then the weekend: deadline Mon 29, hand-off Tue 30 Dec.
    expect(m.deadline).toBe('2025-12-29');
    expect(times(m).litigation_handoff).toBe('2025-12-30T08:00:00.000Z');
  });

  it('deadline on 1 May', () => {
    // Due Tue 24 Mar 2026: +3 = Fri 27 Mar (CET, 08:00Z), +15 = Wed 8 Apr (CEST), +30 = Thu 23 Apr.
    const s = computeSchedule({ dueDate: '2026-03-24', region: paris, now: '2026-03-01T10:00:00Z' });
    expect(times(s)).toEqual({
      first_reminder: '2026-03-27T08:00:00.000Z',
      formal_reminder: '2026-04-08T07:00:00.000Z',
      formal_notice: '2026-04-23T07:00:00.000Z',
      // 23 Apr + 8 = Fri 1 May (holiday) -> Sat -> Sun -> deadline Mon 4 May; hand-off Tue 5 May.
      litigation_handoff: '2026-05-05T07:00:00.000Z',
    });
    expect(s.deadline).toBe('2026-05-04');
  });

  it('deadline on Whit Monday 2026-05-25', () => {
    // Due Wed 15 Apr 2026: +3 = Sat 18 Apr -> Mon 20 Apr; +15 = Thu 30 Apr; +30 = Fri 15 May.
    const s = computeSchedule({ dueDate: '2026-04-15', region: paris, now: '2026-04-01T10:00:00Z' });
    expect(times(s)).toEqual({
      first_reminder: '2026-04-20T07:00:00.000Z',
      formal_reminder: '2026-04-30T07:00:00.000Z',
      formal_notice: '2026-05-15T07:00:00.000Z',
      // 15 May + 8 = Sat 23 -> Sun 24 (Pentecost) -> Mon 25 (Whit Monday) -> deadline Tue 26 May.
      litigation_handoff: '2026-05-27T07:00:00.000Z',
    });
    expect(s.deadline).toBe('2026-05-26');
  });

  it('deadline on Good Friday for a Moselle debtor, not for a Paris one', () => {
    // Due Tue 24 Feb 2026: +3 = Fri 27 Feb, +15 = Wed 11 Mar, +30 = Thu 26 Mar (all CET, 08:00Z).
    const now = '2026-02-01T10:00:00Z';
    const p = computeSchedule({ dueDate: '2026-02-24', region: paris, now });
    const m = computeSchedule({ dueDate: '2026-02-24', region: metz, now });
    expect(times(p).formal_notice).toBe('2026-03-26T08:00:00.000Z');
    expect(times(m).formal_notice).toBe('2026-03-26T08:00:00.000Z');
    // 26 Mar + 8 = Fri 3 Apr. Paris: a business day; the hand-off skips the weekend and Easter Monday.
    expect(p.deadline).toBe('2026-04-03');
    expect(times(p).litigation_handoff).toBe('2026-04-07T07:00:00.000Z');
    // Metz: Good Friday -> Sat -> Sun -> Easter Monday -> deadline Tue 7 Apr, hand-off Wed 8 Apr.
    expect(m.deadline).toBe('2026-04-07');
    expect(times(m).litigation_handoff).toBe('2026-04-08T07:00:00.000Z');
  });

  it('places manual tasks at their policy time, in the window', () => {
    const s = computeSchedule({ dueDate: '2026-04-03', policy: FR_WITH_COURTESY_CALL, region: paris, now: '2026-04-01T10:00:00Z' });
    // Courtesy call: 3 Apr + 8 = Sat 11 Apr -> Mon 13 Apr 09:00.
    expect(s.tasks).toEqual([{ id: 'courtesy_call', at: '2026-04-13T07:00:00.000Z' }]);
    expect(times(s)).toEqual(times(computeSchedule({ dueDate: '2026-04-03', region: paris, now: '2026-04-01T10:00:00Z' })));
  });

  it('leaves out tasks below their minimum amount when the amount is known', () => {
    const policy: Policy = assertValidPolicy({
      ...FR_WITH_COURTESY_CALL,
      stages: FR_WITH_COURTESY_CALL.stages.map((st) => (st.kind === 'manual_task' ? { ...st, minimumAmountCents: 100_000 } : st)),
    });
    const at = { dueDate: '2026-04-03', policy, region: paris, now: '2026-04-01T10:00:00Z' };
    expect(computeSchedule({ ...at, amountCents: 99_999 }).tasks).toEqual([]);
    expect(computeSchedule({ ...at, amountCents: 100_000 }).tasks).toHaveLength(1);
    expect(computeSchedule(at).tasks).toHaveLength(1);
  });

  it('business-day offsets chained on the previous stage', () => {
    const policy: Policy = assertValidPolicy({
      ...DEFAULT_POLICY,
      name: 'business-days',
      stages: DEFAULT_POLICY.stages.map((st): PolicyStage =>
        st.kind === 'formal_reminder' || st.kind === 'formal_notice' ? { ...st, offset: { days: 10, unit: 'business', from: 'previous_stage' } } : st,
      ),
    });
    const s = computeSchedule({ dueDate: '2026-04-03', policy, region: paris, now: '2026-04-01T10:00:00Z' });
    expect(times(s)).toEqual({
      first_reminder: '2026-04-07T07:00:00.000Z',
      // 10 business days after Tue 7 Apr: 8 9 10 13 14 15 16 17 20 21 -> Tue 21 Apr.
      formal_reminder: '2026-04-21T07:00:00.000Z',
      // 10 after 21 Apr: 22 23 24 27 28 29 30 (1 May skipped) 4 5 6 -> Wed 6 May.
      formal_notice: '2026-05-06T07:00:00.000Z',
      // 6 May + 8 = Thu 14 May (Ascension) -> deadline Fri 15; hand-off Mon 18 May.
      litigation_handoff: '2026-05-18T07:00:00.000Z',
    });
    expect(s.deadline).toBe('2026-05-15');
  });

  it('never puts two stages on one local day, even when the policy packs them', () => {
    const policy: Policy = assertValidPolicy({
      ...DEFAULT_POLICY,
      name: 'dense',
      stages: DEFAULT_POLICY.stages.map((st): PolicyStage =>
        st.kind === 'formal_reminder' ? { ...st, offset: { days: 4, unit: 'calendar', from: 'due_date' } } : st,
      ),
    });
    // Due Fri 3 Apr: +3 = Easter Monday -> Tue 7; +4 = Tue 7 too -> the reminder moves to Wed 8.
    const s = computeSchedule({ dueDate: '2026-04-03', policy, region: paris, now: '2026-04-01T10:00:00Z' });
    expect(times(s).first_reminder).toBe('2026-04-07T07:00:00.000Z');
    expect(times(s).formal_reminder).toBe('2026-04-08T07:00:00.000Z');
  });

  it('uses the policy’s send window', () => {
    const policy: Policy = assertValidPolicy({ ...DEFAULT_POLICY, name: 'afternoons', sendWindow: { timeZone: PARIS, days: [1, 2, 3, 4, 5, 6], open: '14:00', close: '17:00' } });
    const s = computeSchedule({ dueDate: '2026-04-03', policy, region: paris, now: '2026-04-01T10:00:00Z' });
    // +15 = Sat 18 Apr is open in this window: 14:00 CEST = 12:00Z.
    expect(times(s).formal_reminder).toBe('2026-04-18T12:00:00.000Z');
  });
});

describe('computeSchedule: catch-up', () => {
  it('invoice 90 days overdue pushed on a Saturday evening', () => {
    // Now: Sat 14 Mar 2026 19:30 Paris (CET) = 18:30Z; due 90 days before, Sun 14 Dec 2025.
    expect(oracleAddDays('2025-12-14', 90)).toBe('2026-03-14');
    const s = computeSchedule({ dueDate: '2025-12-14', region: paris, now: '2026-03-14T18:30:00Z' });
    expect(times(s)).toEqual({
      // Every policy date has passed: the first reminder goes at the next opening, Mon 16 Mar 09:00 CET.
      first_reminder: '2026-03-16T08:00:00.000Z',
      // Mon 16 Mar + 12 (the gap) = Sat 28 Mar -> Mon 30 Mar 09:00, now CEST (DST on 29 Mar) = 07:00Z.
      formal_reminder: '2026-03-30T07:00:00.000Z',
      // Mon 30 Mar + 15 = Tue 14 Apr 09:00.
      formal_notice: '2026-04-14T07:00:00.000Z',
      // 14 Apr + 8 = Wed 22 Apr (deadline); hand-off Thu 23 Apr.
      litigation_handoff: '2026-04-23T07:00:00.000Z',
    });
    expect(s.deadline).toBe('2026-04-22');
    const dates = s.stages.map((x) => parisDate(x.at));
    expect(dayDiff(dates[0] as string, dates[1] as string)).toBeGreaterThanOrEqual(STAGE_GAPS.formal_reminder as number);
    expect(dayDiff(dates[1] as string, dates[2] as string)).toBeGreaterThanOrEqual(STAGE_GAPS.formal_notice as number);
    expect(new Set(dates).size).toBe(4);
  });

  it('sends the first reminder right now when now is inside the window', () => {
    // Tue 17 Mar 2026 14:37 Paris = 13:37Z.
    const s = computeSchedule({ dueDate: '2025-12-14', region: paris, now: '2026-03-17T13:37:00Z' });
    expect(times(s).first_reminder).toBe('2026-03-17T13:37:00.000Z');
    // Tue 17 Mar + 12 = Sun 29 Mar -> Mon 30 Mar 09:00 (gaps count local dates, not hours).
    expect(times(s).formal_reminder).toBe('2026-03-30T07:00:00.000Z');
  });

  it('exposes the default gaps', () => {
    expect(STAGE_GAPS).toEqual({ formal_reminder: 12, formal_notice: 15 });
    expect(policyGaps(FR_WITH_COURTESY_CALL)).toEqual({ formal_reminder: 12, formal_notice: 15 });
  });

  it('keeps the actual time of sent stages', () => {
    const sent: SentStage[] = [{ stage: 'first_reminder', at: '2026-04-07T07:00:03.120Z' }];
    const s = computeSchedule({ dueDate: '2026-04-03', region: paris, now: '2026-04-08T10:00:00Z', sent });
    expect(times(s).first_reminder).toBe('2026-04-07T07:00:03.120Z');
    // Sent on its policy date: the rest stays on the policy dates.
    expect(times(s).formal_reminder).toBe('2026-04-20T07:00:00.000Z');
    expect(times(s).formal_notice).toBe('2026-05-04T07:00:00.000Z');
  });

  it('resumes after a pause: the overdue stage goes at notBefore, the next one a gap later', () => {
    // First reminder sent on time (Tue 7 Apr); paused until Sat 2 May 10:00 Paris (08:00Z).
    const s = computeSchedule({
      dueDate: '2026-04-03',
      region: paris,
      now: '2026-04-10T10:00:00Z',
      notBefore: '2026-05-02T08:00:00Z',
      sent: [{ stage: 'first_reminder', at: '2026-04-07T07:00:00.000Z' }],
    });
    expect(times(s)).toEqual({
      first_reminder: '2026-04-07T07:00:00.000Z',
      // Policy date (20 Apr) has passed at notBefore: next opening after Sat 2 May is Mon 4 May.
      formal_reminder: '2026-05-04T07:00:00.000Z',
      // 4 May + 15 = Tue 19 May (later than the policy's 4 May).
      formal_notice: '2026-05-19T07:00:00.000Z',
      // 19 May + 8 = Wed 27 May; hand-off Thu 28 May.
      litigation_handoff: '2026-05-28T07:00:00.000Z',
    });
    expect(s.deadline).toBe('2026-05-27');
  });

  it('after a stage sent late, the next waits for the gap instead of following the next day', () => {
    // The first reminder went out late on Thu 16 Apr (policy: 7 Apr). The formal reminder's
    // policy date (20 Apr) would be only 4 days later: it waits 16 + 12 = Tue 28 Apr.
    const s = computeSchedule({
      dueDate: '2026-04-03',
      region: paris,
      now: '2026-04-16T12:00:00Z',
      sent: [{ stage: 'first_reminder', at: '2026-04-16T09:00:00Z' }],
    });
    expect(times(s).formal_reminder).toBe('2026-04-28T07:00:00.000Z');
    // 28 Apr + 15 = Wed 13 May.
    expect(times(s).formal_notice).toBe('2026-05-13T07:00:00.000Z');
  });

  it('counts gaps in Paris dates, not UTC dates', () => {
    // Sent at 00:30 Paris on Thu 16 Apr (still 15 Apr in UTC): 16 + 12 = Tue 28 Apr, not 27.
    const s = computeSchedule({
      dueDate: '2026-04-03',
      region: paris,
      now: '2026-04-16T08:00:00Z',
      sent: [{ stage: 'first_reminder', at: '2026-04-15T22:30:00Z' }],
    });
    expect(times(s).formal_reminder).toBe('2026-04-28T07:00:00.000Z');
  });

  it('computes the deadline from the actual sending of the mise en demeure', () => {
    const sent: SentStage[] = [
      { stage: 'first_reminder', at: '2026-04-07T07:00:00Z' },
      { stage: 'formal_reminder', at: '2026-04-20T07:00:00Z' },
      // Sent at 23:30 Paris on Thu 7 May (21:30Z): 7 + 8 = Fri 15 May.
      { stage: 'formal_notice', at: '2026-05-07T21:30:00Z' },
    ];
    const s = computeSchedule({ dueDate: '2026-04-03', region: paris, now: '2026-05-08T10:00:00Z', sent });
    expect(s.deadline).toBe('2026-05-15');
    expect(times(s).litigation_handoff).toBe('2026-05-18T07:00:00.000Z');
  });

  it('hands off at once when the deadline is long past', () => {
    const sent: SentStage[] = [
      { stage: 'first_reminder', at: '2026-04-07T07:00:00Z' },
      { stage: 'formal_reminder', at: '2026-04-20T07:00:00Z' },
      { stage: 'formal_notice', at: '2026-05-04T07:00:00Z' },
    ];
    const s = computeSchedule({ dueDate: '2026-04-03', region: paris, now: '2026-06-02T12:00:00Z', sent });
    expect(times(s).litigation_handoff).toBe('2026-06-02T12:00:00.000Z');
  });

  it('rejects inconsistent sent lists and invalid input', () => {
    const base = { dueDate: '2026-04-03', region: paris, now: '2026-05-08T10:00:00Z' };
    expect(() => computeSchedule({ ...base, sent: [{ stage: 'formal_reminder', at: '2026-04-20T07:00:00Z' }] })).toThrow(
      /formal_reminder is marked sent but first_reminder/,
    );
    expect(() =>
      computeSchedule({
        ...base,
        sent: [
          { stage: 'first_reminder', at: '2026-04-20T07:00:00Z' },
          { stage: 'formal_reminder', at: '2026-04-07T07:00:00Z' },
        ],
      }),
    ).toThrow(/at or before/);
    expect(() => computeSchedule({ ...base, sent: [{ stage: 'nope' as Stage, at: '2026-04-20T07:00:00Z' }] })).toThrow(/unknown stage/);
    expect(() => computeSchedule({ ...base, dueDate: '2026-13-01' })).toThrow(/dueDate/);
    expect(() => computeSchedule({ ...base, now: 'now' })).toThrow(/ISO instant/);
    expect(() => computeSchedule({ ...base, policy: { ...DEFAULT_POLICY, graceDays: 2 } })).toThrow(InvalidPolicyError);
  });
});

describe('helpers', () => {
  const s = computeSchedule({ dueDate: '2026-04-03', region: paris, now: '2026-04-01T10:00:00Z' });
  it('nextStageAfter', () => {
    expect(nextStageAfter(s, [])).toEqual({ stage: 'first_reminder', at: '2026-04-07T07:00:00.000Z' });
    expect(nextStageAfter(s, ['first_reminder'])?.stage).toBe('formal_reminder');
    expect(nextStageAfter(s, [{ stage: 'first_reminder', at: 'x' }, { stage: 'formal_reminder', at: 'y' }])?.stage).toBe('formal_notice');
    expect(nextStageAfter(s, ['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff'])).toBeNull();
  });
  it('stagesDue', () => {
    expect(stagesDue(s, [], '2026-04-07T06:59:59Z')).toEqual([]);
    expect(stagesDue(s, [], '2026-04-20T07:00:00Z').map((x) => x.stage)).toEqual(['first_reminder', 'formal_reminder']);
    expect(stagesDue(s, ['first_reminder'], '2026-04-20T07:00:00Z').map((x) => x.stage)).toEqual(['formal_reminder']);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties. Checks use the holiday oracle and luxon directly, not the calendar module.

const DAY = 86_400_000;
const dueDateArb = fc.integer({ min: 0, max: 2556 }).map((n) => oracleAddDays('2024-01-01', n)); // 2024-01-01 .. 2030-12-31
const regionArb = fc.constantFrom(...ORACLE_REGIONS);
/** `now` from 60 days before to 400 days after the due date, any time of day. */
const caseArb = fc.record({
  dueDate: dueDateArb,
  region: regionArb,
  nowOffset: fc.integer({ min: -60 * DAY, max: 400 * DAY }),
  policy: fc.constantFrom(DEFAULT_POLICY, FR_WITH_COURTESY_CALL),
});
const nowOf = (c: { dueDate: string; nowOffset: number }) => new Date(Date.parse(`${c.dueDate}T00:00:00Z`) + c.nowOffset).toISOString();

function inDefaultWindow(at: string, region: string): boolean {
  const date = localDateOf(at, region);
  const hhmm = DateTime.fromISO(at).setZone(zoneOf(region)).toFormat('HH:mm:ss.SSS');
  return oracleWeekday(date) <= 5 && !oracleIsHoliday(date, region) && hhmm >= '09:00' && hhmm < '18:00';
}

describe('computeSchedule properties', () => {
  it('sends only inside the window, never before now, strictly ordered, one stage per day', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const now = nowOf(c);
        const s = computeSchedule({ dueDate: c.dueDate, policy: c.policy, region: c.region, now });
        expect(s.stages.map((x) => x.stage)).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
        const at = s.stages.map((x) => x.at);
        for (const t of at) {
          expect(inDefaultWindow(t, c.region)).toBe(true);
          expect(Date.parse(t)).toBeGreaterThanOrEqual(Date.parse(now));
        }
        for (const t of s.tasks) expect(inDefaultWindow(t.at, c.region)).toBe(true);
        for (let i = 1; i < at.length; i++) {
          expect(Date.parse(at[i] as string)).toBeGreaterThan(Date.parse(at[i - 1] as string));
          expect(localDateOf(at[i] as string, c.region) > localDateOf(at[i - 1] as string, c.region)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('deadline: a business day, at least sending date + 8, the first such; hand-off after it', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const now = nowOf(c);
        const s = computeSchedule({ dueDate: c.dueDate, policy: c.policy, region: c.region, now });
        const t = times(s);
        const deadline = s.deadline as string;
        const earliest = oracleAddDays(parisDate(t.formal_notice), 8);
        expect(oracleIsBusinessDay(deadline, c.region)).toBe(true);
        expect(deadline >= earliest).toBe(true);
        for (let d = earliest; d < deadline; d = oracleAddDays(d, 1)) expect(oracleIsBusinessDay(d, c.region)).toBe(false);
        const handoff = localDateOf(t.litigation_handoff, c.region);
        expect(handoff > deadline).toBe(true);
        // The first business day after the deadline at 09:00 the debtor's time, unless `now` is later.
        if (Date.parse(now) < Date.parse(`${deadline}T00:00:00Z`)) {
          expect(handoff).toBe(oracleNextBusinessDayOnOrAfter(oracleAddDays(deadline, 1), c.region));
          expect(localTimeOf(t.litigation_handoff, c.region)).toBe('09:00');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('on time: each stage at 09:00 on the first business day on or after due date + offset', () => {
    fc.assert(
      fc.property(dueDateArb, regionArb, (dueDate, region) => {
        const now = `${oracleAddDays(dueDate, -10)}T12:00:00Z`;
        const t = times(computeSchedule({ dueDate, region, now }));
        const expected = (offset: number) => oracleNextBusinessDayOnOrAfter(oracleAddDays(dueDate, offset), region);
        expect(localDateOf(t.first_reminder, region)).toBe(expected(3));
        expect(localDateOf(t.formal_reminder, region)).toBe(expected(15));
        expect(localDateOf(t.formal_notice, region)).toBe(expected(30));
        for (const at of Object.values(t)) expect(localTimeOf(at, region)).toBe('09:00');
      }),
      { numRuns: 300 },
    );
  });

  it('catch-up: the first reminder at the next send instant, later stages spaced by the gaps', () => {
    fc.assert(
      fc.property(dueDateArb, regionArb, fc.integer({ min: 31 * DAY, max: 400 * DAY }), (dueDate, region, late) => {
        // All three policy dates (D+3, D+15, D+30 and their moves) have passed.
        const now = new Date(Date.parse(`${dueDate}T00:00:00Z`) + late + 5 * DAY).toISOString();
        const s = computeSchedule({ dueDate, region, now });
        const t = times(s);
        if (inDefaultWindow(now, region)) expect(t.first_reminder).toBe(now);
        else expect(localTimeOf(t.first_reminder, region)).toBe('09:00');
        expect(dayDiff(localDateOf(now, region), localDateOf(t.first_reminder, region))).toBeLessThanOrEqual(5);
        const [d1, d2, d3] = [t.first_reminder, t.formal_reminder, t.formal_notice].map((at) => localDateOf(at, region)) as [string, string, string];
        // Exactly the gap, moved to the next business day.
        expect(d2).toBe(oracleNextBusinessDayOnOrAfter(oracleAddDays(d1, 12), region));
        expect(d3).toBe(oracleNextBusinessDayOnOrAfter(oracleAddDays(d2, 15), region));
      }),
      { numRuns: 300 },
    );
  });

  it('is stable: sending each stage at its scheduled time and recomputing changes nothing', () => {
    fc.assert(
      fc.property(caseArb, fc.option(fc.integer({ min: 0, max: 200 * DAY }), { nil: undefined }), (c, pause) => {
        const now = nowOf(c);
        const notBefore = pause === undefined ? undefined : new Date(Date.parse(now) + pause).toISOString();
        const first = computeSchedule({ dueDate: c.dueDate, policy: c.policy, region: c.region, now, notBefore });
        const sent: SentStage[] = [];
        for (const st of first.stages) {
          sent.push({ stage: st.stage, at: st.at });
          const again = computeSchedule({ dueDate: c.dueDate, policy: c.policy, region: c.region, now: st.at, notBefore, sent });
          expect(again.stages).toEqual(first.stages);
          expect(again.deadline).toBe(first.deadline);
        }
      }),
      { numRuns: 200 },
    );
  });
});
