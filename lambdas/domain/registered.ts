/**
 * How the mise en demeure travels: the channel a creditor chooses (CreditorProfile.formalNoticeChannel,
 * fixed on the dossier at intake), and for a registered letter, its life — prepared, posted
 * (tracking number), first presented (the acknowledgment of receipt) — each a fact of the dossier
 * with its proof kept in the evidence vault.
 *
 * - "email" (the default): the letter is sent by e-mail with its PDF; a plain e-mail can be a
 *   sufficient interpellation (C. civ. 1344) but proves receipt weakly; delivery events are kept.
 * - "registered_post": lettre recommandée avec demande d'avis de réception (LRAR). The PDF is produced
 *   print-ready and kept; a task asks the operator to post it; the operator records the tracking
 *   number, then the acknowledgment of receipt (date of first presentation, outcome, scan). The grace
 *   period runs from the first presentation; without an acknowledgment, the hand-off waits for a
 *   documented maximum (REGISTERED_POST_MAX_WAIT_DAYS after preparation, then the grace period).
 * - "registered_email": lettre recommandée électronique (CPCE L100; qualified service, eIDAS art. 44)
 *   through a provider (services/registered-email.ts); the provider's deposit and notification
 *   proofs are kept; the grace period runs from the notification (the first presentation of an
 *   LRE). A consumer must have agreed to receive LRE (CPCE L100): without that consent the letter
 *   goes by registered post instead, and the dossier records why.
 */
import { addCalendarDays, localDate, nextBusinessDayOnOrAfter, DEFAULT_TIME_ZONE } from './calendar';
import type { EvidenceRef } from './evidence-chain';
import type { Debtor, DossierEvent, IsoDate, IsoInstant } from './model';
import { conflict, invalid } from './errors';

export const FORMAL_NOTICE_CHANNELS = ['email', 'registered_post', 'registered_email'] as const;
export type FormalNoticeChannel = (typeof FORMAL_NOTICE_CHANNELS)[number];

/**
 * The longest an LRAR takes to reach its first presentation and come back acknowledged: a few
 * days of transit, then La Poste keeps an unclaimed letter 15 days at the counter. Past this, the
 * hand-off proceeds without the acknowledgment (the lawyer is told).
 */
export const REGISTERED_POST_MAX_WAIT_DAYS = 21;

export interface RegisteredLetter {
  /** The mise en demeure's message slot ("formal_notice", "formal_notice-2"). */
  slot: string;
  channel: 'registered_post' | 'registered_email';
  preparedAt: IsoInstant;
  /** The print-ready PDF (registered post) or the deposited document (registered e-mail). */
  documentKey: string;
  trackingNumber?: string;
  postedOn?: IsoDate;
  /** The first presentation: the grace period runs from it. */
  presentedOn?: IsoDate;
  outcome?: 'signed' | 'unclaimed' | 'refused' | 'notified';
  /** Registered e-mail: the provider's id of the letter. */
  providerId?: string;
}

/** What the dossier needs of itself here. */
export interface RegisteredState {
  registered?: RegisteredLetter[];
  debtor: Debtor;
  formalNoticeChannel?: FormalNoticeChannel;
}

/** The channel of a dossier's mise en demeure, and the channel actually usable for this debtor. */
export function channelFor(d: Pick<RegisteredState, 'formalNoticeChannel' | 'debtor'>): { channel: FormalNoticeChannel; fallbackReason?: string } {
  const chosen = d.formalNoticeChannel ?? 'email';
  if (chosen === 'registered_email' && d.debtor.kind === 'consumer' && !d.debtor.registeredEmailConsent) {
    return { channel: 'registered_post', fallbackReason: 'the consumer has not agreed to receive registered e-mail (CPCE L100): sent by registered post instead' };
  }
  return { channel: chosen };
}

/** The registered letter of the latest mise en demeure, if it went by a registered channel. */
export function currentRegistered(d: Pick<RegisteredState, 'registered'>): RegisteredLetter | undefined {
  return (d.registered ?? []).at(-1);
}

/**
 * The deadline of a registered mise en demeure: graceDays after the first presentation (the day
 * after it counting as day one, C. proc. civ. 641 style), on a business day; before any
 * acknowledgment, as if it were presented on the last day of the documented maximum.
 */
export function registeredDeadline(letter: RegisteredLetter, graceDays: number, region: string): IsoDate {
  const presented = letter.presentedOn ?? addCalendarDays(localDate(letter.preparedAt, DEFAULT_TIME_ZONE), REGISTERED_POST_MAX_WAIT_DAYS);
  return nextBusinessDayOnOrAfter(addCalendarDays(presented, graceDays), region);
}

export interface PostingInput {
  trackingNumber: string;
  postedOn: IsoDate;
  /** The posting receipt (preuve de dépôt), when scanned. */
  evidence: EvidenceRef;
}

/** The operator posted the letter: its tracking number, with the posting receipt or the fact as evidence. */
export function recordPosting(d: RegisteredState & { events: DossierEvent[] }, input: PostingInput, now: Date): { registered: RegisteredLetter[]; events: DossierEvent[]; duplicate?: true } {
  const letter = currentRegistered(d);
  if (!letter || letter.channel !== 'registered_post') throw conflict('No registered letter waits to be posted.', [{ path: 'registered', message: 'none' }]);
  if (letter.trackingNumber) {
    if (letter.trackingNumber === input.trackingNumber) return { registered: d.registered ?? [], events: d.events, duplicate: true };
    throw conflict(`The letter was already posted under ${letter.trackingNumber}.`, [{ path: 'trackingNumber', message: `already ${letter.trackingNumber}` }]);
  }
  const prepared = localDate(letter.preparedAt, DEFAULT_TIME_ZONE);
  const today = localDate(now.toISOString(), DEFAULT_TIME_ZONE);
  if (input.postedOn < prepared || input.postedOn > today) {
    throw invalid([{ path: 'postedOn', message: `must be between the letter's date (${prepared}) and today (${today})` }], 'Invalid posting');
  }
  const updated = { ...letter, trackingNumber: input.trackingNumber, postedOn: input.postedOn };
  return {
    registered: [...(d.registered ?? []).slice(0, -1), updated],
    events: [...d.events, { type: 'registered_letter_posted', at: now.toISOString(), slot: letter.slot, trackingNumber: input.trackingNumber, postedOn: input.postedOn, ...input.evidence }],
  };
}

export interface PresentationInput {
  presentedOn: IsoDate;
  outcome: 'signed' | 'unclaimed' | 'refused';
  /** The acknowledgment of receipt (avis de réception), scanned, or the provider's proof. */
  evidence: EvidenceRef;
}

/**
 * The first presentation, from the acknowledgment of receipt: signed, or returned unclaimed or
 * refused (the letter was still presented: the grace period runs all the same).
 */
export function recordPresentation(d: RegisteredState & { events: DossierEvent[] }, input: PresentationInput, now: Date): { registered: RegisteredLetter[]; events: DossierEvent[]; duplicate?: true } {
  const letter = currentRegistered(d);
  if (!letter) throw conflict('No registered letter was sent.', [{ path: 'registered', message: 'none' }]);
  if (letter.channel === 'registered_post' && !letter.trackingNumber) {
    throw conflict('Record the posting (tracking number) first.', [{ path: 'trackingNumber', message: 'not recorded' }]);
  }
  if (letter.presentedOn) {
    if (letter.presentedOn === input.presentedOn && letter.outcome === input.outcome) return { registered: d.registered ?? [], events: d.events, duplicate: true };
    throw conflict(`The first presentation was already recorded (${letter.presentedOn}).`, [{ path: 'presentedOn', message: `already ${letter.presentedOn}` }]);
  }
  const from = letter.postedOn ?? localDate(letter.preparedAt, DEFAULT_TIME_ZONE);
  const today = localDate(now.toISOString(), DEFAULT_TIME_ZONE);
  if (input.presentedOn < from || input.presentedOn > today) {
    throw invalid([{ path: 'presentedOn', message: `must be between ${from} and today (${today})` }], 'Invalid acknowledgment of receipt');
  }
  const updated = { ...letter, presentedOn: input.presentedOn, outcome: input.outcome };
  return {
    registered: [...(d.registered ?? []).slice(0, -1), updated],
    events: [...d.events, { type: 'registered_letter_presented', at: now.toISOString(), slot: letter.slot, channel: letter.channel, presentedOn: input.presentedOn, outcome: input.outcome, ...input.evidence }],
  };
}
