import { createHash } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { verifyZip } from '../../cli/verify';
import { clock } from '../../lambdas/adapters/clock';
import { updateDossier } from '../../lambdas/adapters/dossier-store';
import { evidenceRef, putEvidence } from '../../lambdas/adapters/evidence-store';
import { listRecords } from '../../lambdas/adapters/evidence-log';
import { recordHash } from '../../lambdas/domain/evidence-chain';
import type { DossierEvent } from '../../lambdas/domain/model';
import { invoice, useLocalSystem } from '../support/local-client';

/**
 * The hand-off reads each item once per attempt and hands it on (services/litigation.ts handOff):
 * the dossier as its claim wrote it, the records it listed, the JSON it put. A change another
 * writer records meanwhile must still land where it belongs: the hand-off's conditional writes
 * fail on the stale copy and read the dossier afresh, and the bundle's records (the listed ones
 * extended with the entries since, checked against the head the log answered: evidence.ts
 * extendedRecords; else read again) hold that change too. One message to counsel, one chain, a
 * bundle that verifies against the log's own head.
 */
const LAWYER = 'contentieux@fontaine-avocats.example';
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function handOffHarness() {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });
  const s3send = S3Client.prototype.send;
  afterEach(() => {
    S3Client.prototype.send = s3send;
  });
  afterAll(() => {
    S3Client.prototype.send = s3send;
  });

  /**
   * Runs a hand-off during which, right before it puts its litigation JSON (after its claim and its
   * listing of the log), another writer appends `entry(notice)` to the dossier.
   */
  async function handOffWithInterleaved(invoiceNumber: string, entry: (formalNotice: DossierEvent, at: string) => Promise<DossierEvent>) {
    const id = (await local.api.createInvoice(invoice({ invoiceNumber }))).body.id;
    await local.api.advanceTo('2026-05-12T08:00:00Z');
    const before = (await local.api.getInvoice(id)).body;
    expect(before.status).toBe('active');
    const notice = before.events.find((e: DossierEvent) => e.type === 'notice_sent' && e.stage === 'formal_notice');
    let interleaved: DossierEvent | null = null;
    S3Client.prototype.send = async function (this: S3Client, command: any, ...rest: any[]) {
      if (!interleaved && command?.constructor?.name === 'PutObjectCommand' && /\/litigation\/.*\.json\.gz$/.test(command.input?.Key ?? '')) {
        interleaved = await entry(notice, clock().now().toISOString());
        const e = interleaved;
        await updateDossier(id, (x) => ({ dossier: { ...x, events: [...x.events, e] } }));
      }
      return (s3send as any).call(this, command, ...rest);
    } as any;
    await local.api.advanceTo('2026-05-20T00:00:00Z');
    S3Client.prototype.send = s3send;
    expect(interleaved).not.toBeNull();
    return { id, interleaved: interleaved! };
  }

  async function expectOneChainAndVerifiedBundle(id: string, interleaved: DossierEvent) {
    const view = (await local.api.getInvoice(id)).body;
    expect(view.status).toBe('handed_off');
    const types = view.events.map((e: DossierEvent) => e.type);
    // The other writer's entry comes before the litigation dossier, which was established after it was written.
    const at = types.indexOf(interleaved.type, types.indexOf('notice_sent'));
    expect(at).toBeGreaterThan(0);
    expect(types.slice(at + 1, at + 3)).toEqual(['litigation_dossier_stored', 'litigation_dossier_stored']);
    expect(types.filter((t: string) => t === 'handed_off')).toHaveLength(1);
    expect(types.filter((t: string) => t === 'evidence_bundle_issued')).toHaveLength(1);
    // One message to counsel.
    const mails = (await local.api.emails()).filter((m: any) => JSON.stringify(m.destination.to).includes(LAWYER));
    expect(mails).toHaveLength(1);
    // The log: one record per history entry, chained without a gap.
    const records = await listRecords(id);
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
    for (const [i, r] of records.entries()) {
      const { hash, ...unsealed } = r;
      expect(recordHash(unsealed)).toBe(hash);
      if (i > 0) expect(r.prevHash).toBe(records[i - 1]!.hash);
    }
    // The bundle sent to counsel covers the log up to the PDF's record, the other writer's entry included, and verifies.
    const issued = view.events.find((e: DossierEvent) => e.type === 'evidence_bundle_issued');
    const pdfSeq = records.find((r) => r.type === 'litigation_dossier_stored' && r.fact.format === 'pdf')!.seq;
    expect(issued.head).toEqual({ seq: pdfSeq, hash: records[pdfSeq - 1]!.hash });
    expect(issued.records).toBe(pdfSeq);
    expect(records.slice(0, pdfSeq).some((r) => r.type === interleaved.type && r.at === interleaved.at)).toBe(true);
    const url = (mails[0].body.text as string).match(/http:\/\/127\.0\.0\.1:\d+\/\S+/)?.[0];
    const zip = new Uint8Array(await (await fetch(url!)).arrayBuffer());
    expect(sha(zip)).toBe(issued.bundleSha256);
    const verified = verifyZip(zip, issued.head.hash);
    expect(verified.exitCode, verified.lines.join('\n')).toBe(0);
  }

  return { handOffWithInterleaved, expectOneChainAndVerifiedBundle };
}

describe('a change recorded while the hand-off prepares lands in its chain and its bundle', () => {
  const { handOffWithInterleaved, expectOneChainAndVerifiedBundle } = handOffHarness();

  it('an entry with its own object (an SES delivery event): the bundle\'s records are the listed ones extended with it', async () => {
    const { id, interleaved } = await handOffWithInterleaved('HR-1', async (notice, at) => {
      const raw = Buffer.from(JSON.stringify({ eventType: 'Delivery', mail: { messageId: notice.messageId }, at }), 'utf8');
      const stored = await putEvidence(`dossiers/${String(notice.evidenceKey).split('/')[1]}/ses/${sha(raw).slice(0, 16)}.json`, raw, 'application/json', new Date(at));
      return { type: 'email_delivered', at, messageId: notice.messageId, recipient: notice.to, ...evidenceRef(stored) };
    });
    await expectOneChainAndVerifiedBundle(id, interleaved);
  });
});

describe('a change kept as a fact document, recorded while the hand-off prepares, lands in its chain and its bundle', () => {
  const { handOffWithInterleaved, expectOneChainAndVerifiedBundle } = handOffHarness();

  it('an entry kept as a fact document of the log: the bundle\'s records are read again', async () => {
    const { id, interleaved } = await handOffWithInterleaved('HR-2', async (notice, at) => ({
      type: 'accountant_alert',
      at,
      reason: 'test: written while the hand-off prepares',
      messageId: notice.messageId,
    }));
    await expectOneChainAndVerifiedBundle(id, interleaved);
  });
});
