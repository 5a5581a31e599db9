/**
 * The litigation part of the sample hand-offs (samples.ts): each sample dossier replayed as the
 * workflow would have recorded it (invoice received, the three notices delivered, the payments its
 * breakdown shows), then established for counsel by the same pure code as in production, with a
 * placeholder bundle link.
 */
import { newDossier, type Dossier } from '../domain/dossier';
import { addDays } from '../domain/epoch-days';
import { buildLitigationDossier } from '../domain/litigation';
import type { AmountBreakdown, DossierEvent } from '../domain/model';
import { describeRecord } from './evidence-timeline';
import type { SampleDossier } from './samples';
import type { LitigationHandoff } from './types';

/** `sentAtOf` gives when each earlier stage went out in the sample's replayed timeline. */
export function sampleLitigation(sample: SampleDossier, sentAtOf: (stage: 'first_reminder' | 'formal_reminder' | 'formal_notice') => string, sentAt: string, breakdown: AmountBreakdown): LitigationHandoff {
  const id = 'dos_samplesamplesamplesample'.slice(0, 30);
  const base = newDossier({
    id,
    creditorId: sample.creditor.id,
    executionName: 'sample',
    now: new Date(`${sample.invoice.issueDate}T09:00:00.000Z`),
    invoice: sample.invoice,
    debtor: sample.debtor,
    received: { evidenceKey: `dossiers/${id}/invoice/received.json`, sha256: '1'.repeat(64) },
  });
  const events: DossierEvent[] = [...base.events];
  (['first_reminder', 'formal_reminder', 'formal_notice'] as const).forEach((stage, i) => {
    const at = sentAtOf(stage);
    const messageId = `sample-${i + 1}`;
    events.push(
      { type: 'notice_sent', at, stage, messageId, to: sample.debtor.email, evidenceKey: `dossiers/${id}/notices/${stage}/${i + 1}.eml`, sha256: String(i + 2).repeat(64) },
      { type: 'email_delivered', at: new Date(Date.parse(at) + 5000).toISOString(), messageId, recipient: sample.debtor.email, evidenceKey: `dossiers/${id}/delivery/${i + 1}.json`, sha256: String(i + 5).repeat(64) },
    );
  });
  // The payments the sample's breakdown counts: the day before the first line on a lower basis.
  const lower = breakdown.interest.lines.find((l) => l.basisCents < breakdown.principalCents);
  const paidOn = lower ? addDays(lower.from, -1) : addDays(sample.invoice.dueDate, 1);
  const payments = breakdown.paidCents > 0 ? [{ reference: 'VIR-SAMPLE', amountCents: breakdown.paidCents, paidOn, recordedAt: `${paidOn}T10:00:00.000Z` }] : [];
  const dossier: Dossier = { ...base, events, payments, status: 'active', stage: 'formal_notice' };
  const ld = buildLitigationDossier({ dossier, creditor: sample.creditor, at: sentAt, describe: (fact) => describeRecord({ type: fact.type, fact }) });
  return {
    dossier: ld,
    bundle: {
      url: 'https://vault.example/bundles/sample.zip?X-Amz-Expires=900',
      expiresAt: new Date(Date.parse(sentAt) + 900_000).toISOString(),
      head: { seq: events.length, hash: 'c'.repeat(64) },
    },
  };
}
