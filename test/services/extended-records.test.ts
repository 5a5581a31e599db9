import { describe, expect, it } from 'vitest';
import { chainRecord, type EvidenceRecord } from '../../lambdas/domain/evidence-chain';
import type { Dossier } from '../../lambdas/domain/dossier';
import type { DossierEvent } from '../../lambdas/domain/model';
import { extendedRecords } from '../../lambdas/services/evidence';

/**
 * The hand-off's bundle takes the log as the records it listed before its write, extended with
 * the records of the entries that write appended (services/evidence.ts extendedRecords), instead of
 * listing the log again: only when those records are exactly the log's, which the head the append
 * answered proves (a record's hash covers all its members and the previous hash).
 */
const at = '2026-05-13T07:00:00.000Z';
const own = (n: number): DossierEvent => ({ type: 'litigation_dossier_stored', at, format: n % 2 ? 'json' : 'pdf', evidenceKey: `dossiers/d/litigation/${n}`, sha256: String(n % 10).repeat(64), retainUntil: '2036-05-13T07:00:00.000Z' });
const created: DossierEvent = { type: 'created', at, evidenceKey: 'dossiers/d/invoice/received.json', sha256: 'e'.repeat(64) };

/** The log appendEvidence writes for `events` (each entry pointing at its own object). */
function logOf(events: DossierEvent[]): EvidenceRecord[] {
  const out: EvidenceRecord[] = [];
  events.forEach((fact, i) => {
    const o = { key: String(fact.evidenceKey), sha256: String(fact.sha256), versionId: null, retainUntil: typeof fact.retainUntil === 'string' ? fact.retainUntil : null };
    out.push(chainRecord(out[i - 1] ?? null, i + 1, fact, o));
  });
  return out;
}

const dossier = (events: DossierEvent[], head: { seq: number; hash: string } | undefined) => ({ id: 'd', events, evidenceHead: head }) as unknown as Dossier;

describe('the log after the hand-off\'s write, without listing it again', () => {
  const events = [created, own(1), own(2), own(3)];
  const log = logOf(events);
  const head = { seq: 4, hash: log[3]!.hash };

  it('is the listed records extended with those of the appended entries, equal to the log', () => {
    expect(extendedRecords(log.slice(0, 2), dossier(events, head))).toEqual(log);
    expect(extendedRecords([], dossier(events, head))).toEqual(log);
    expect(extendedRecords(log, dossier(events, head))).toEqual(log);
  });

  it('is unknown (null: list it) when the append did not answer the head at the history\'s length', () => {
    // The log's append failed (behind: the head the write carried), or no head at all.
    expect(extendedRecords(log.slice(0, 2), dossier(events, { seq: 2, hash: log[1]!.hash }))).toBeNull();
    expect(extendedRecords(log.slice(0, 2), dossier(events, undefined))).toBeNull();
  });

  it('is unknown when the extended chain does not end at that head (another writer\'s record differs)', () => {
    expect(extendedRecords(log.slice(0, 2), dossier(events, { seq: 4, hash: 'f'.repeat(64) }))).toBeNull();
    const other = [created, own(1), { ...own(2), sha256: 'a'.repeat(64) }, own(3)];
    expect(extendedRecords(log.slice(0, 2), dossier(other, head))).toBeNull();
  });

  it('is unknown when an appended entry has no object of its own (its fact document is the log\'s to name)', () => {
    const fact: DossierEvent = { type: 'accountant_alert', at, reason: 'r' };
    expect(extendedRecords(log.slice(0, 2), dossier([created, own(1), fact, own(3)], head))).toBeNull();
  });
});
