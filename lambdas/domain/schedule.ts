/**
 * A dossier's schedule: when each of the four stages goes out, the mise en demeure deadline, and
 * the manual tasks. Pure: the same inputs (including `now`) always give the same schedule, so the
 * workflow can recompute it after every event instead of storing timers.
 *
 * The contract:
 * - A stage falls at the send-window opening (09:00 Paris by default) of its policy date, moved
 *   to the next allowed day (weekday, not a public holiday of the debtor's region).
 * - A stage already sent keeps its actual time.
 * - Catch-up: an unsent stage whose time has passed (before `now` or `notBefore`) is due at once
 *   (`now` if inside the window, else the next opening).
 * - Spacing: once a stage went out later than its policy date (caught up, or sent late), the next
 *   one also waits for the policy gap after it, so a debtor never gets two stages in a row days
 *   apart that the policy meant to space by weeks. Stages sent on time do not apply the gap, which
 *   keeps the schedule on its policy dates (and stable when recomputed after each send).
 * - Never two stages on the same local day; no stage is ever skipped.
 * - The deadline is computed from the mise en demeure's actual or scheduled time; the hand-off
 *   falls on the first business day after it.
 * - "Local" means the send window's zone: the debtor's own zone by default (09:00 in Martinique is
 *   09:00 Fort-de-France time), or the policy's explicit window; holidays are those of the debtor's
 *   region. The mise en demeure's deadline is counted in Paris, where the letter is dated.
 */
import {
  addBusinessDays,
  addCalendarDays,
  DEFAULT_REGION,
  DEFAULT_SEND_WINDOW,
  debtorSendWindow,
  formalNoticeDeadline,
  instantMillis,
  isValidIsoDate,
  localDate,
  localTimeToInstant,
  nextBusinessDayAfter,
  nextSendInstant,
  toIsoInstant,
  type HolidayRegion,
} from './calendar';
import { STAGES, type IsoDate, type IsoInstant, type ScheduledStage, type Stage } from './model';
import {
  DEFAULT_POLICY,
  validatedPolicy,
  describeOffsets,
  stageOf,
  type OffsetBounds,
  type Policy,
  type PolicyStage,
  type StageOffset,
} from './policy';

export interface SentStage {
  stage: Stage;
  at: IsoInstant;
}

export interface ScheduleInput {
  dueDate: IsoDate;
  /** Defaults to DEFAULT_POLICY; a built-in or one assertValidPolicy returned (else InvalidPolicyError: policy.ts validatedPolicy). */
  policy?: Policy;
  /** Holiday region of the debtor (holidayRegionFor); defaults to "FR". */
  region?: HolidayRegion;
  now: IsoInstant;
  sent?: readonly SentStage[];
  /** Nothing before this instant (e.g. the end of a pause). */
  notBefore?: IsoInstant;
  /** When known, manual tasks with a higher minimumAmountCents are left out. */
  amountCents?: number;
  /**
   * The mise en demeure's deadline when it does not run from the sending instant: a registered
   * letter's grace period runs from its first presentation (registered.ts).
   */
  deadlineOverride?: IsoDate;
}

export interface ScheduledTask {
  id: string;
  at: IsoInstant;
}

export interface Schedule {
  /** The four stages, in STAGES order, strictly increasing in time. */
  stages: ScheduledStage[];
  /** The mise en demeure's payment deadline (always set for a valid policy). */
  deadline: IsoDate | null;
  /** Manual tasks at their policy time (not caught up: a past time means "overdue, do it now"). */
  tasks: ScheduledTask[];
}

type Step = Pick<StageOffset, 'days' | 'unit'>;

/**
 * The gap between two consecutive stages of a policy, as the steps to replay from the first
 * stage's date: its own offsets when the later stage is anchored on it (through previous_stage
 * links), else the difference of their offsets from the due date, in the later stage's unit.
 */
function gapSteps(entries: readonly PolicyStage[], bounds: readonly OffsetBounds[], from: number, to: number): Step[] {
  const chain: Step[] = [];
  for (let k = to; k > from; k--) {
    const e = entries[k] as PolicyStage;
    if (e.offset.from !== 'previous_stage' || e.kind === 'litigation_handoff') {
      const diff = (bounds[to] as OffsetBounds).nominal - (bounds[from] as OffsetBounds).nominal;
      return [{ days: Math.max(1, diff), unit: (entries[to] as PolicyStage).offset.unit }];
    }
    chain.unshift(e.offset);
  }
  return chain;
}

/** Policy gaps between consecutive stages, in days (summed over steps), keyed by the later stage. */
export function policyGaps(policy: Policy): Partial<Record<Stage, number>> {
  const p = validatedPolicy(policy);
  const bounds = describeOffsets(p.stages, p.graceDays);
  const gaps: Partial<Record<Stage, number>> = {};
  let prev = -1;
  p.stages.forEach((e, i) => {
    const stage = stageOf(e);
    if (stage === null) return;
    if (prev >= 0 && stage !== 'litigation_handoff') {
      gaps[stage] = gapSteps(p.stages, bounds, prev, i).reduce((sum, s) => sum + s.days, 0);
    }
    prev = i;
  });
  return gaps;
}

/** The default policy's gaps: 12 days first -> formal reminder, 15 days formal reminder -> notice. */
export const STAGE_GAPS: Readonly<Partial<Record<Stage, number>>> = Object.freeze(policyGaps(DEFAULT_POLICY));

/** Earliest send time per stage; sent stages must be the first k stages, in increasing time. */
function sentTimes(sent: readonly SentStage[]): Map<Stage, number> {
  const times = new Map<Stage, number>();
  for (const s of sent) {
    if (!STAGES.includes(s.stage)) throw new RangeError(`unknown stage in sent: ${JSON.stringify(s.stage)}`);
    const ms = instantMillis(s.at);
    const known = times.get(s.stage);
    if (known === undefined || ms < known) times.set(s.stage, ms);
  }
  let last = -Infinity;
  STAGES.forEach((stage, i) => {
    const ms = times.get(stage);
    if (ms === undefined) {
      const later = STAGES.slice(i + 1).find((s) => times.has(s));
      if (later) throw new RangeError(`${later} is marked sent but ${stage}, which comes before it, is not`);
      return;
    }
    if (ms <= last) throw new RangeError(`${stage} is marked sent at or before the stage preceding it`);
    last = ms;
  });
  return times;
}

export function computeSchedule(input: ScheduleInput): Schedule {
  const policy = validatedPolicy(input.policy ?? DEFAULT_POLICY);
  const region = input.region ?? DEFAULT_REGION;
  // A policy's own window wins; else the default hours in the debtor's time zone (overseas).
  const window = policy.sendWindow ?? debtorSendWindow(region);
  const tz = window.timeZone;
  const due = input.dueDate;
  if (!isValidIsoDate(due)) throw new RangeError(`dueDate is not an ISO date: "${due}"`);
  const floor = Math.max(instantMillis(input.now), input.notBefore === undefined ? -Infinity : instantMillis(input.notBefore));
  const sent = sentTimes(input.sent ?? []);

  const dateOf = (ms: number): IsoDate => localDate(toIsoInstant(ms), tz);
  const sendAt = (ms: number): number => instantMillis(nextSendInstant(toIsoInstant(ms), window, region));
  const openingOn = (date: IsoDate): number => sendAt(instantMillis(localTimeToInstant(date, window.open, tz)));
  const step = (date: IsoDate, s: Step): IsoDate =>
    s.unit === 'calendar' ? addCalendarDays(date, s.days) : addBusinessDays(date, s.days, region);

  const entries = policy.stages;
  const bounds = describeOffsets(entries, policy.graceDays);
  const policyDate: IsoDate[] = [];
  const effective: number[] = [];
  const displaced: boolean[] = [];
  let lastStage = -1;
  let deadline: IsoDate | null = null;
  let policyDeadline: IsoDate | null = null;
  const stages: ScheduledStage[] = [];
  const tasks: ScheduledTask[] = [];

  /** The previous stage's date + the policy gap, replayed through any task in between. */
  const gapCandidate = (from: number, to: number): number => {
    const steps = gapSteps(entries, bounds, from, to);
    let d = dateOf(effective[from] as number);
    steps.forEach((s, k) => {
      d = step(d, s);
      if (k < steps.length - 1) d = dateOf(openingOn(d));
    });
    return openingOn(d);
  };

  entries.forEach((e, i) => {
    const stage = stageOf(e);
    const onDeadline = e.kind === 'litigation_handoff' && e.offset.from === 'previous_stage';
    let policyAnchor: IsoDate;
    let anchor: IsoDate;
    if (e.offset.from === 'due_date') {
      policyAnchor = anchor = due;
    } else if (onDeadline) {
      // Validation guarantees the mise en demeure comes first, so both deadlines are set.
      policyAnchor = policyDeadline as IsoDate;
      anchor = deadline as IsoDate;
    } else {
      policyAnchor = policyDate[i - 1] as IsoDate;
      anchor = dateOf(effective[i - 1] as number);
    }
    const policyTime = openingOn(step(policyAnchor, e.offset));
    policyDate[i] = dateOf(policyTime);

    if (stage === null) {
      const at = openingOn(step(anchor, e.offset));
      effective[i] = at;
      if (input.amountCents === undefined || e.minimumAmountCents === undefined || input.amountCents >= e.minimumAmountCents) {
        tasks.push({ id: e.id, at: toIsoInstant(at) });
      }
      return;
    }

    const prev = lastStage >= 0 ? lastStage : null;
    let t: number;
    const actual = sent.get(stage);
    if (actual !== undefined) {
      t = actual;
    } else {
      let candidate: number;
      if (stage === 'litigation_handoff') {
        // Never before the first business day after the deadline, whatever the policy says.
        const earliest = openingOn(nextBusinessDayAfter(deadline as IsoDate, region));
        candidate = Math.max(openingOn(step(anchor, e.offset)), earliest);
      } else {
        candidate = policyTime;
        if (prev !== null && displaced[prev]) candidate = Math.max(candidate, gapCandidate(prev, i));
      }
      t = sendAt(Math.max(candidate, floor));
      // One stage per local day at most: the debtor must be able to tell the letters apart.
      if (prev !== null) {
        const prevDate = dateOf(effective[prev] as number);
        if (dateOf(t) <= prevDate) t = openingOn(addCalendarDays(prevDate, 1));
      }
    }
    effective[i] = t;
    displaced[i] = dateOf(t) > (policyDate[i] as IsoDate);
    if (stage === 'formal_notice') {
      deadline = actual !== undefined && input.deadlineOverride !== undefined ? input.deadlineOverride : noticeDeadline(toIsoInstant(t), policy, region);
      policyDeadline = noticeDeadline(toIsoInstant(policyTime), policy, region);
    }
    stages.push({ stage, at: toIsoInstant(t) });
    lastStage = i;
  });

  return { stages, deadline, tasks };
}

/**
 * The one place the mise en demeure's deadline is computed: the policy's grace days (never a
 * constant elsewhere), counted from the day after sending in the letter's zone (the policy's send
 * window zone, Paris by default), moved to the next business day of the debtor's region. The
 * schedule, the date printed on the letter and the checker all derive from it.
 */
export function noticeDeadline(sentAt: IsoInstant, policy: Policy, region: HolidayRegion = DEFAULT_REGION): IsoDate {
  const p = validatedPolicy(policy);
  return formalNoticeDeadline(sentAt, p.graceDays, region, (p.sendWindow ?? DEFAULT_SEND_WINDOW).timeZone);
}

function sentSet(sent: Iterable<Stage | SentStage>): Set<Stage> {
  const set = new Set<Stage>();
  for (const s of sent) set.add(typeof s === 'string' ? s : s.stage);
  return set;
}

/** The first stage of the schedule not yet sent, or null when all four are done. */
export function nextStageAfter(schedule: Schedule, sent: Iterable<Stage | SentStage>): ScheduledStage | null {
  const done = sentSet(sent);
  return schedule.stages.find((s) => !done.has(s.stage)) ?? null;
}

/** Unsent stages whose time has come (at <= now), in order: what a worker should send now. */
export function stagesDue(schedule: Schedule, sent: Iterable<Stage | SentStage>, now: IsoInstant): ScheduledStage[] {
  const done = sentSet(sent);
  const nowMs = instantMillis(now);
  return schedule.stages.filter((s) => !done.has(s.stage) && instantMillis(s.at) <= nowMs);
}
