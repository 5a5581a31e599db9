import { createHash } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { invoice, useLocalSystem } from '../support/local-client';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const LAWYER = 'contentieux@fontaine-avocats.example';

async function objectBytes(key: string): Promise<Buffer> {
  const s3 = new S3Client({ forcePathStyle: true });
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  } finally {
    s3.destroy();
  }
}

/**
 * Insolvency proceedings on a debtor with two open dossiers (one already in counsel's hands, one
 * not yet due) and a paid one, through the API, the workflow, the vault, the tasks and SES.
 */
describe('insolvency proceedings in local mode', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });
  const ids: Record<string, string> = {};
  const judgment = {
    judgmentDate: '2026-05-18',
    procedure: 'redressement',
    court: 'Tribunal des activités économiques de Paris',
    mandataire: { name: 'Maître Anne Leroy', address: '10 rue de Rivoli, 75004 Paris' },
  };

  it('stops every open dossier of the debtor, freezes each claim at the judgment and drafts its declaration', async () => {
    ids.late = (await local.api.createInvoice(invoice({ invoiceNumber: 'INS-LATE' }))).body.id;
    ids.paid = (await local.api.createInvoice(invoice({ invoiceNumber: 'INS-PAID', amount: '300.00' }))).body.id;
    await local.api.advanceTo('2026-04-08T12:00:00Z');
    expect((await local.api.pay(ids.paid, { amount: '300.00', paidOn: '2026-04-08', reference: 'VIR-P' })).body.status).toBe('paid');
    await local.api.advanceTo('2026-05-14T12:00:00Z'); // INS-LATE handed off on 13 May
    ids.future = (await local.api.createInvoice(invoice({ invoiceNumber: 'INS-FUTURE', issueDate: '2026-05-14', dueDate: '2026-06-30', amount: '800.00' }))).body.id;
    await local.api.advanceTo('2026-05-20T09:00:00Z');
    expect((await local.api.getInvoice(ids.late)).body.status).toBe('handed_off');
    const mailsBefore = (await local.api.emails()).length;

    const res = await local.api.call('POST', `/invoices/${ids.future}/insolvency`, judgment);
    expect(res.status).toBe(200);
    expect(res.body.declarationDeadline).toMatchObject({ date: '2026-07-18', provisional: true });
    const byNumber = Object.fromEntries(res.body.dossiers.map((x: any) => [x.invoiceNumber, x]));
    expect(Object.keys(byNumber).sort()).toEqual(['INS-FUTURE', 'INS-LATE', 'INS-PAID']);
    expect(byNumber['INS-PAID']).toMatchObject({ outcome: 'closed', status: 'paid', declaration: null });
    // Not yet due at the judgment: no interest, no 40 EUR (L441-10 II).
    expect(byNumber['INS-FUTURE']).toMatchObject({ outcome: 'opened', status: 'insolvency_proceedings', declaration: { amount: '800.00', indemnityDropped: true, deadline: '2026-07-18' } });
    // Late since 3 April: penalties up to 18 May, then frozen; the 40 EUR had become due.
    const late = byNumber['INS-LATE'];
    expect(late).toMatchObject({ outcome: 'opened', status: 'insolvency_proceedings', declaration: { asOf: '2026-05-18', indemnityDropped: false } });
    expect(Number(late.declaration.amount)).toBeGreaterThan(1290);

    // The drafts are in the vault, each an evidence record of its dossier.
    for (const x of [late, byNumber['INS-FUTURE']]) {
      const pdf = await objectBytes(x.declaration.key);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(sha(pdf)).toBe(x.declaration.sha256);
      const log = (await local.api.call('GET', `/invoices/${x.id}/evidence`)).body;
      expect(log.records.find((r: any) => r.type === 'insolvency_claim_drafted')).toMatchObject({ key: x.declaration.key, sha256: x.declaration.sha256 });
    }

    // The litigation dossier now says: declare the claim, no court action (L622-21).
    const lit = (await local.api.call('GET', `/invoices/${ids.late}/litigation`)).body;
    expect(lit.route).toMatchObject({ code: 'claim_declaration', court: 'Maître Anne Leroy, mandataire judiciaire' });
    expect(lit.claim.due.total).toBe(late.declaration.amount);

    // Tasks with their deadline, in the creditor's to-do list.
    const tasks = (await local.api.call('GET', '/tasks')).body.tasks.filter((t: any) => t.task === 'insolvency_claim_declaration');
    expect(tasks.map((t: any) => [t.invoiceNumber, t.deadline, t.dossierStatus]).sort()).toEqual([
      ['INS-FUTURE', '2026-07-18', 'insolvency_proceedings'],
      ['INS-LATE', '2026-07-18', 'insolvency_proceedings'],
    ]);

    // Counsel, who holds INS-LATE, is told to suspend the action, with the draft attached; the debtor hears nothing.
    const after = (await local.api.emails()).slice(mailsBefore);
    expect(after).toHaveLength(1);
    expect(JSON.stringify(after[0].destination.to)).toContain(LAWYER);
    expect(after[0].subject).toBe('Procédure collective – suspendre les poursuites – facture INS-LATE – Boulangerie Dupont SARL');
    expect(after[0].body.text.replace(/\s+/g, ' ')).toContain('art. L622-21 C. com.');
    expect(after[0].attachments.map((a: any) => a.filename)).toEqual(['declaration-de-creance-INS-LATE.pdf']);
    expect(sha(Buffer.from(after[0].attachments[0].content, 'base64'))).toBe(late.declaration.sha256);
  });

  it('sends nothing more to the debtor: no stage, no receipt; repeating the judgment changes nothing', async () => {
    const count = (await local.api.emails()).length;
    await local.api.advance('P60D');
    const future = (await local.api.getInvoice(ids.future)).body;
    expect(future.status).toBe('insolvency_proceedings');
    expect(future.events.filter((e: any) => e.type === 'notice_sent')).toEqual([]);
    const execution = local.sys.engine.list().find((x) => x.name.length > 0 && x.status === 'ABORTED' && x.cause === 'insolvency');
    expect(execution).toBeDefined();
    // A payment (a guarantor, say) is recorded; no receipt is written to the debtor.
    const paid = await local.api.pay(ids.future, { amount: '800.00', paidOn: '2026-07-01', reference: 'VIR-GARANT' });
    expect(paid.body.status).toBe('paid');
    expect((await local.api.emails()).length).toBe(count);
    const again = await local.api.call('POST', `/invoices/${ids.late}/insolvency`, judgment);
    expect(again.status).toBe(200);
    expect(again.body.dossiers.find((x: any) => x.invoiceNumber === 'INS-LATE')).toMatchObject({ outcome: 'already', declaration: { asOf: '2026-05-18' } });
    expect((await local.api.emails()).length).toBe(count);
    expect((await local.api.call('POST', `/invoices/${ids.late}/insolvency`, { ...judgment, judgmentDate: '2026-05-19' })).status).toBe(409);
    expect((await local.api.call('POST', `/invoices/${ids.late}/insolvency`, { ...judgment, procedure: 'faillite' })).status).toBe(400);
  });

  it('refuses a consumer debtor (over-indebtedness is another procedure)', async () => {
    const consumer = (await local.api.createInvoice(invoice({ invoiceNumber: 'INS-CONSO', debtor: { ...invoice().debtor, kind: 'consumer', siren: undefined, email: 'elodie@example.org' } }))).body.id;
    const res = await local.api.call('POST', `/invoices/${consumer}/insolvency`, { ...judgment, judgmentDate: '2026-07-01' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('not_a_business');
  });
});
