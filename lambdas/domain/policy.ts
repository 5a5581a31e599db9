/**
 * Collection policies as data: which letters go out, when, through which channel, and how long
 * the mise en demeure gives the debtor. A creditor may adjust the default per debtor kind, per
 * named segment and per debtor; every result is validated before anything is scheduled.
 */
import { validateSendWindow, type SendWindow } from './calendar';
import { DomainError } from './errors';
import { STAGES, type Stage } from './model';
import { toDecimalString } from './money';

export type PolicyStageKind = Stage | 'manual_task';
export type PolicyChannel = 'email' | 'postal_letter' | 'manual';
export type OffsetUnit = 'calendar' | 'business';

export interface StageOffset {
  days: number;
  unit: OffsetUnit;
  /**
   * The anchor: the invoice due date, or the stage listed just before. For a litigation_handoff,
   * `previous_stage` means the mise en demeure DEADLINE (the end of the grace period): handing
   * off earlier would break the notice's own terms.
   */
  from: 'due_date' | 'previous_stage';
}

export interface PolicyStage {
  id: Stage | string;
  kind: PolicyStageKind;
  channel: PolicyChannel;
  offset: StageOffset;
  template?: string;
  /** Only for manual tasks: skip the task below this amount (the four stages are never skipped). */
  minimumAmountCents?: number;
}

export interface Policy {
  name: string;
  stages: PolicyStage[];
  /** Days the mise en demeure gives the debtor, counted from the day after sending. */
  graceDays: number;
  /**
   * Below this amount the creditor does not pursue at all: an invoice for less is refused at
   * intake (no dossier, nothing sent; `assertPursued`). The creditor profile's `minimumAmount`,
   * when set, takes its place.
   */
  minimumAmountCents?: number;
  /** Defaults to DEFAULT_SEND_WINDOW (weekdays 09:00-18:00 Paris, no public holidays). */
  sendWindow?: SendWindow;
}

export interface PolicyError {
  /** Dotted path into the policy: "stages.2.offset.days", "graceDays", "sendWindow.open". */
  path: string;
  message: string;
}

export type PolicyValidation = { ok: true; policy: Policy } | { ok: false; errors: PolicyError[] };

export class InvalidPolicyError extends Error {
  constructor(readonly errors: PolicyError[]) {
    super(`invalid policy: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    this.name = 'InvalidPolicyError';
  }
}

/**
 * Eight days: the grace period of the seed documents. Practice, not statute (Code civil 1231
 * only asks for a "délai raisonnable"), so it is a floor a creditor may raise, not lower.
 */
export const MIN_GRACE_DAYS = 8;

const KINDS: readonly PolicyStageKind[] = [...STAGES, 'manual_task'];
const CHANNELS: readonly PolicyChannel[] = ['email', 'postal_letter', 'manual'];
const UNITS: readonly OffsetUnit[] = ['calendar', 'business'];
const ANCHORS: readonly StageOffset['from'][] = ['due_date', 'previous_stage'];

/** The mandatory stage a policy entry produces, or null for a manual task. */
export function stageOf(entry: Pick<PolicyStage, 'kind'>): Stage | null {
  return entry.kind === 'manual_task' ? null : entry.kind;
}

// ---------------------------------------------------------------------------------------------
// Where each entry falls, relative to the due date.

export interface OffsetBounds {
  /** Sum of the day counts on the chain back to the due date (grace included for a hand-off). */
  nominal: number;
  /** 'mixed' when the chain mixes calendar and business days (or crosses the deadline). */
  unit: OffsetUnit | 'mixed';
  /** Calendar days after the due date, at the earliest and at the latest (before the send window). */
  lo: number;
  hi: number;
}

/**
 * n business days span at least n and (generously) at most 2n + 4 calendar days, even across
 * Christmas in Alsace-Moselle; a date moved to the next business day moves at most 4 days.
 */
const businessSpan = (n: number): number => 2 * n + 4;
const MAX_BUSINESS_DAY_SHIFT = 4;

/**
 * Bounds for every entry of a (structurally valid) stage list. Same-unit chains compare exactly
 * by `nominal`; mixed chains are only known to be ordered when their intervals do not overlap.
 */
export function describeOffsets(stages: readonly PolicyStage[], graceDays: number): OffsetBounds[] {
  const out: OffsetBounds[] = [];
  let notice: OffsetBounds | undefined;
  stages.forEach((s, i) => {
    let anchor: OffsetBounds | null = null;
    if (s.offset.from === 'previous_stage' && i > 0) {
      anchor = out[i - 1] as OffsetBounds;
      if (s.kind === 'litigation_handoff' && notice) {
        anchor = {
          nominal: notice.nominal + graceDays,
          unit: 'mixed',
          lo: notice.lo + graceDays,
          hi: notice.hi + graceDays + MAX_BUSINESS_DAY_SHIFT,
        };
      }
    }
    const n = s.offset.days;
    const business = s.offset.unit === 'business';
    const b: OffsetBounds = {
      nominal: (anchor?.nominal ?? 0) + n,
      unit: anchor === null || anchor.unit === s.offset.unit ? s.offset.unit : 'mixed',
      lo: (anchor?.lo ?? 0) + n,
      hi: (anchor?.hi ?? 0) + (business ? businessSpan(n) : n),
    };
    out.push(b);
    if (s.kind === 'formal_notice') notice = b;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Validation.

/** Deeply freezes a validated policy: validated policies are values, safe to cache and share. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const validated = new WeakSet<object>();

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const q = JSON.stringify;

/** Checks one entry's shape; returns a clean copy (unknown fields dropped) or null. */
function checkEntry(raw: unknown, path: string, errors: PolicyError[]): PolicyStage | null {
  if (!isObject(raw)) {
    errors.push({ path, message: 'stage must be an object' });
    return null;
  }
  const before = errors.length;
  const err = (field: string, message: string) => errors.push({ path: `${path}.${field}`, message });
  if (typeof raw.id !== 'string' || raw.id.trim() === '') err('id', 'id must be a non-empty string');
  if (!KINDS.includes(raw.kind as PolicyStageKind)) err('kind', `kind must be one of ${KINDS.join(', ')}; got ${q(raw.kind)}`);
  if (!CHANNELS.includes(raw.channel as PolicyChannel)) {
    err('channel', `channel must be one of ${CHANNELS.join(', ')}; got ${q(raw.channel)}`);
  } else if (raw.kind === 'manual_task' && raw.channel !== 'manual') {
    err('channel', 'a manual task is done by a person: its channel must be "manual"');
  }
  if (raw.template !== undefined && typeof raw.template !== 'string') err('template', 'template must be a string');
  if (raw.minimumAmountCents !== undefined) {
    if (!isCount(raw.minimumAmountCents)) err('minimumAmountCents', 'must be a whole number of cents >= 0');
    else if (raw.kind !== 'manual_task') {
      err('minimumAmountCents', 'only manual tasks may be skipped by amount; set the policy minimumAmountCents instead');
    }
  }
  const o = raw.offset;
  if (!isObject(o)) {
    err('offset', 'offset { days, unit, from } is required');
  } else {
    if (typeof o.days !== 'number' || !Number.isSafeInteger(o.days)) err('offset.days', `days must be an integer; got ${q(o.days)}`);
    else if (o.days < 0) err('offset.days', `offset cannot be negative (${o.days} days): stages only move forward`);
    if (!UNITS.includes(o.unit as OffsetUnit)) err('offset.unit', `unit must be one of ${UNITS.join(', ')}; got ${q(o.unit)}`);
    if (!ANCHORS.includes(o.from as StageOffset['from'])) {
      err('offset.from', `from must be one of ${ANCHORS.join(', ')}; got ${q(o.from)}`);
    }
  }
  if (errors.length > before) return null;
  const offset = o as unknown as StageOffset;
  const entry: PolicyStage = {
    id: raw.id as string,
    kind: raw.kind as PolicyStageKind,
    channel: raw.channel as PolicyChannel,
    offset: { days: offset.days, unit: offset.unit, from: offset.from },
  };
  if (raw.template !== undefined) entry.template = raw.template as string;
  if (raw.minimumAmountCents !== undefined) entry.minimumAmountCents = raw.minimumAmountCents as number;
  return entry;
}

/** Each of the four stages exactly once, in the order of STAGES; ids unique. */
function checkComposition(stages: Pick<PolicyStage, 'id' | 'kind'>[], errors: PolicyError[]): void {
  const seenIds = new Map<string, number>();
  const seenKinds = new Map<Stage, number>();
  let lastRank = -1;
  stages.forEach((s, i) => {
    const first = seenIds.get(s.id);
    if (first !== undefined) errors.push({ path: `stages.${i}.id`, message: `duplicate id "${s.id}" (also stages.${first})` });
    else seenIds.set(s.id, i);
    // A stage name used as the id of another kind would mislead whoever reads the history.
    if ((STAGES as readonly string[]).includes(s.id) && s.id !== s.kind) {
      errors.push({ path: `stages.${i}.id`, message: `id "${s.id}" names a stage but this entry is a ${s.kind}` });
    }
    const stage = stageOf(s);
    if (stage === null) return;
    if (seenKinds.has(stage)) {
      errors.push({ path: `stages.${i}.kind`, message: `${stage} appears twice (also stages.${seenKinds.get(stage)})` });
      return;
    }
    seenKinds.set(stage, i);
    const rank = STAGES.indexOf(stage);
    if (rank < lastRank) {
      errors.push({
        path: `stages.${i}.kind`,
        message: `${stage} must come before ${STAGES[lastRank]}: the order is ${STAGES.join(' -> ')}`,
      });
    }
    lastRank = Math.max(lastRank, rank);
  });
  for (const stage of STAGES) {
    if (!seenKinds.has(stage)) errors.push({ path: 'stages', message: `missing mandatory stage ${stage}` });
  }
}

/** Every entry strictly after the one listed before it; the hand-off after the deadline. */
function checkTiming(stages: PolicyStage[], graceDays: number, errors: PolicyError[]): void {
  const bounds = describeOffsets(stages, graceDays);
  const noticeIndex = stages.findIndex((s) => s.kind === 'formal_notice');
  stages.forEach((s, i) => {
    const path = `stages.${i}.offset`;
    const b = bounds[i] as OffsetBounds;
    if (s.offset.from === 'previous_stage' && i === 0) {
      errors.push({ path: `${path}.from`, message: 'the first stage has no previous stage: anchor it on the due date' });
      return;
    }
    if (s.kind === 'first_reminder' && b.lo < 1) {
      errors.push({
        path: `${path}.days`,
        message: 'the first reminder must wait at least one day: payment is late only from the day after the due date (C. com. L441-10)',
      });
    }
    if (s.kind === 'litigation_handoff' && noticeIndex >= 0) {
      const notice = bounds[noticeIndex] as OffsetBounds;
      if (s.offset.from === 'previous_stage' && s.offset.days < 1) {
        errors.push({ path: `${path}.days`, message: 'the hand-off must fall at least 1 day after the mise en demeure deadline' });
        return;
      }
      if (s.offset.from === 'due_date' && s.offset.days <= notice.nominal + graceDays) {
        errors.push({
          path: `${path}.days`,
          message: `the hand-off (day ${s.offset.days}) must come after the mise en demeure deadline (day ${notice.nominal} + ${graceDays} days of grace)`,
        });
        return;
      }
    }
    if (i === 0) return;
    const prev = stages[i - 1] as PolicyStage;
    const a = bounds[i - 1] as OffsetBounds;
    // Anchored on the entry before it: after it as soon as the offset is positive.
    const handoffOnItsNotice = s.kind === 'litigation_handoff' && s.offset.from === 'previous_stage' && i - 1 === noticeIndex;
    if (s.offset.from === 'previous_stage' && s.kind !== 'litigation_handoff') {
      if (s.offset.days < 1) {
        errors.push({ path: `${path}.days`, message: `"${s.id}" would fall on the same day as "${prev.id}": offset must be at least 1` });
      }
      return;
    }
    if (handoffOnItsNotice) return;
    const after = a.unit === b.unit && a.unit !== 'mixed' ? b.nominal > a.nominal : b.lo > a.hi;
    if (!after) {
      errors.push({
        path: `${path}.days`,
        message: `"${s.id}" (day ${b.nominal}${b.unit === 'calendar' ? '' : ` ${b.unit}`}) must come strictly after "${prev.id}" (day ${a.nominal}${a.unit === 'calendar' ? '' : ` ${a.unit}`})`,
      });
    }
  });
}

export function validatePolicy(p: unknown): PolicyValidation {
  if (validated.has(p as object)) return { ok: true, policy: p as Policy };
  if (!isObject(p)) return { ok: false, errors: [{ path: '', message: 'policy must be an object' }] };
  const errors: PolicyError[] = [];
  if (typeof p.name !== 'string' || p.name.trim() === '') errors.push({ path: 'name', message: 'name must be a non-empty string' });
  if (!isCount(p.graceDays)) errors.push({ path: 'graceDays', message: `graceDays must be a whole number >= 0; got ${q(p.graceDays)}` });
  if (p.minimumAmountCents !== undefined && !isCount(p.minimumAmountCents)) {
    errors.push({ path: 'minimumAmountCents', message: 'must be a whole number of cents >= 0' });
  }
  if (p.sendWindow !== undefined) {
    for (const e of validateSendWindow(p.sendWindow)) {
      errors.push({ path: e.path ? `sendWindow.${e.path}` : 'sendWindow', message: e.message });
    }
  }
  const stages: PolicyStage[] = [];
  let shapesOk = true;
  if (!Array.isArray(p.stages) || p.stages.length === 0) {
    errors.push({ path: 'stages', message: 'stages must be a non-empty list' });
    shapesOk = false;
  } else {
    p.stages.forEach((raw, i) => {
      const entry = checkEntry(raw, `stages.${i}`, errors);
      if (entry) stages.push(entry);
      else shapesOk = false;
    });
  }
  // Composition needs only ids and kinds, so it is checked even when an offset is malformed.
  const identities = Array.isArray(p.stages) ? p.stages.filter(isObject) : [];
  const identified = identities.every((s) => typeof s.id === 'string' && s.id.trim() !== '' && KINDS.includes(s.kind as PolicyStageKind));
  let composed = false;
  if (Array.isArray(p.stages) && p.stages.length > 0 && identities.length === p.stages.length && identified) {
    const before = errors.length;
    checkComposition(identities as Pick<PolicyStage, 'id' | 'kind'>[], errors);
    composed = errors.length === before;
  }
  const hasNotice = identities.some((s) => s.kind === 'formal_notice');
  if (hasNotice && isCount(p.graceDays) && p.graceDays < MIN_GRACE_DAYS) {
    errors.push({
      path: 'graceDays',
      message: `a mise en demeure must give at least ${MIN_GRACE_DAYS} days to pay (got ${p.graceDays})`,
    });
  }
  // Timing reads the structure (where the mise en demeure is), so it needs a sound one.
  if (shapesOk && composed && isCount(p.graceDays)) checkTiming(stages, p.graceDays, errors);
  if (errors.length > 0) return { ok: false, errors };

  const policy: Policy = { name: p.name as string, stages, graceDays: p.graceDays as number };
  if (p.minimumAmountCents !== undefined) policy.minimumAmountCents = p.minimumAmountCents as number;
  if (p.sendWindow !== undefined) {
    const w = p.sendWindow as SendWindow;
    policy.sendWindow = { timeZone: w.timeZone, days: [...w.days], open: w.open, close: w.close };
  }
  deepFreeze(policy);
  validated.add(policy);
  return { ok: true, policy };
}

/** The validated (frozen) policy, or an InvalidPolicyError listing every problem. */
export function assertValidPolicy(p: unknown): Policy {
  const r = validatePolicy(p);
  if (!r.ok) throw new InvalidPolicyError(r.errors);
  return r.policy;
}

/**
 * A policy schedule.ts may run: a built-in, or one validatePolicy returned. Anything else throws
 * InvalidPolicyError, so nothing is ever scheduled under a policy the rules above did not pass;
 * the check itself is not repeated at run time (a Lambda only ever meets the built-ins).
 */
export function validatedPolicy(p: Policy): Policy {
  if (!validated.has(p)) {
    throw new InvalidPolicyError([{ path: '', message: `policy ${JSON.stringify(p?.name)} was not validated (assertValidPolicy)` }]);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// The minimum amount pursued.

/**
 * The amount below which a creditor does not pursue: its profile's own minimum when it set one,
 * else its policy's; undefined when every amount is pursued.
 */
export function minimumPursued(policy: Pick<Policy, 'minimumAmountCents'>, creditorMinimumCents: number | undefined): number | undefined {
  return creditorMinimumCents ?? policy.minimumAmountCents;
}

/**
 * Refuses (422 below_minimum, on `amount`) an invoice the creditor does not pursue. Checked at
 * intake, on the amount the invoice claims, before anything is stored: "does not pursue at all"
 * means no dossier, no letter, and the creditor told at once, in the answer (per item in a batch,
 * per line in a CSV import). A dossier already opened keeps going when a later payment leaves
 * less than the minimum: its letters have claimed the remainder.
 */
export function assertPursued(invoiceNumber: string, amountCents: number, minimumCents: number | undefined): void {
  if (minimumCents === undefined || amountCents >= minimumCents) return;
  const minimum = toDecimalString(minimumCents);
  throw new DomainError(
    422,
    'below_minimum',
    `Invoice ${invoiceNumber} (${toDecimalString(amountCents)} EUR) is below the creditor's minimum of ${minimum} EUR: it is not pursued, and no dossier was created.`,
    [{ path: 'amount', message: `is below the minimum amount pursued, ${minimum}` }],
  );
}

// ---------------------------------------------------------------------------------------------
// Built-in policies (declared last). Constants, written in validatePolicy's own form: they are
// checked against the rules when the stack is synthesized (lib/app.ts) and by the tests
// (checkBuiltinPolicies), not again at each Lambda's cold start (issue 15: that check and the rules
// it runs were most of this module in every bundle).

function builtIn(p: Policy): Policy {
  deepFreeze(p);
  validated.add(p);
  return p;
}

const calendarDaysFromDue = (days: number): StageOffset => ({ days, unit: 'calendar', from: 'due_date' });

/**
 * The French default: reminder at D+3, formal reminder at D+15, mise en demeure at D+30 with
 * 8 days to pay, then hand-off to litigation on the first business day after that deadline.
 */
export const DEFAULT_POLICY: Policy = builtIn({
  name: 'fr-default',
  stages: [
    { id: 'first_reminder', kind: 'first_reminder', channel: 'email', offset: calendarDaysFromDue(3) },
    { id: 'formal_reminder', kind: 'formal_reminder', channel: 'email', offset: calendarDaysFromDue(15) },
    { id: 'formal_notice', kind: 'formal_notice', channel: 'email', offset: calendarDaysFromDue(30) },
    {
      id: 'litigation_handoff',
      kind: 'litigation_handoff',
      channel: 'email',
      offset: { days: 1, unit: 'business', from: 'previous_stage' },
    },
  ],
  graceDays: MIN_GRACE_DAYS,
});

/** The default plus a courtesy phone call at D+8, between the two reminders. */
export const FR_WITH_COURTESY_CALL: Policy = builtIn({
  ...DEFAULT_POLICY,
  name: 'fr-with-courtesy-call',
  stages: [
    DEFAULT_POLICY.stages[0] as PolicyStage,
    { id: 'courtesy_call', kind: 'manual_task', channel: 'manual', offset: calendarDaysFromDue(8) },
    ...DEFAULT_POLICY.stages.slice(1),
  ],
});

/**
 * The default with a fortnight to pay after the mise en demeure ("sous quinzaine", a common French
 * practice and a more generous "délai raisonnable", C. civ. 1231): the schedule, the deadline
 * printed on the letter, the sentence about the delay and the checker all read graceDays.
 */
export const FR_FIFTEEN_DAYS_GRACE: Policy = builtIn({
  ...DEFAULT_POLICY,
  name: 'fr-fifteen-days-grace',
  graceDays: 15,
});

export const BUILTIN_POLICIES: Readonly<Record<string, Policy>> = Object.freeze({
  [DEFAULT_POLICY.name]: DEFAULT_POLICY,
  [FR_WITH_COURTESY_CALL.name]: FR_WITH_COURTESY_CALL,
  [FR_FIFTEEN_DAYS_GRACE.name]: FR_FIFTEEN_DAYS_GRACE,
});

/**
 * Each built-in checked against the rules, on a copy (validatePolicy would take the constant itself
 * as validated): throws InvalidPolicyError, or a plain Error when the constant is not written in the
 * validated form. Run by lib/app.ts when the stack is synthesized, and by test/domain/policy.test.ts.
 */
export function checkBuiltinPolicies(): void {
  for (const builtin of Object.values(BUILTIN_POLICIES)) {
    const checked = assertValidPolicy(structuredClone(builtin));
    if (JSON.stringify(checked) !== JSON.stringify(builtin)) throw new Error(`built-in policy ${builtin.name} is not written in its validated form`);
  }
}

/** The names a creditor profile's `policyName` may take. */
export function isBuiltinPolicyName(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(BUILTIN_POLICIES, name);
}

/**
 * The built-in policy a dossier runs under. No name means DEFAULT_POLICY (dossiers stored before
 * policies were chosen per creditor); an unknown name throws rather than silently falling back,
 * since the four stages' timing is the creditor's commitment to its debtors.
 */
export function builtinPolicy(name: string | undefined): Policy {
  if (name === undefined) return DEFAULT_POLICY;
  if (!isBuiltinPolicyName(name)) {
    throw new InvalidPolicyError([
      { path: 'name', message: `unknown policy "${name}"; built-in policies: ${Object.keys(BUILTIN_POLICIES).join(', ')}` },
    ]);
  }
  return BUILTIN_POLICIES[name] as Policy;
}
