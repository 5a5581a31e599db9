import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { invoice, useLocalSystem } from '../support/local-client';
import { creditorApi, flat, mailsOf, pdfOf } from '../support/letters';
import { pdfFonts, pdfText } from '../support/pdf-text';

/**
 * Letters a court would uphold (issue 13), on the real pipeline: intake -> rules -> dossier ->
 * the message that leaves, read back from the SES emulator (text and PDF attachment).
 * The invoice is due Friday 2026-04-03; under the default stages the mise en demeure goes out on
 * Monday 4 May 2026 at 09:00 Paris.
 */
const CLOCK_START = '2026-04-04T10:00:00Z';

describe('point 5: the grace period has one source, the policy', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('a 15-day policy schedules, prints and explains 15 days, and the hand-off waits for them', async () => {
    const api = await creditorApi(local.api, 'grace-fifteen', { policyName: 'fr-fifteen-days-grace' });
    const { body } = await api.createInvoice(invoice({ invoiceNumber: 'GRACE-15' }));
    expect(body.deadline).toBe('2026-05-19');
    await local.api.advanceTo('2026-05-05T12:00:00Z');
    const view = (await api.getInvoice(body.id)).body;
    // Monday 4 May + 15 days = Tuesday 19 May; the hand-off on the next business day.
    expect(view.deadline).toBe('2026-05-19');
    expect(view.nextAction).toEqual({ stage: 'litigation_handoff', at: '2026-05-20T07:00:00.000Z' });
    const med = (await mailsOf(local.api, 'GRACE-15')).find((m) => /Mise en demeure/.test(m.subject));
    const text = flat(med.body.text);
    expect(text).toContain('au plus tard le 19 mai 2026');
    expect(text).toContain('Ce délai de quinze jours court à compter du lendemain');
    expect(text).not.toMatch(/huit jours/);
    const pdf = await pdfOf(med);
    expect(pdf.text).toContain('au plus tard le 19 mai 2026');
    expect(pdf.text).toContain('Ce délai de quinze jours');
    await local.api.advanceTo('2026-05-20T12:00:00Z');
    const after = (await api.getInvoice(body.id)).body;
    expect(after.events.find((e: any) => e.stage === 'litigation_handoff')?.at).toBe('2026-05-20T07:00:00.000Z');
  });
});

describe('point 1: a rate awaiting confirmation is printed as provisional on real letters', () => {
  // Due Wednesday 3 June 2026: the mise en demeure goes out on Friday 3 July, its penalties span
  // 2026 H1 (firm) and 2026 H2 (ECB rate for 1 July not yet confirmed).
  const local = useLocalSystem({ clockStart: '2026-06-04T10:00:00Z' });

  it('the H2 line says "taux provisoire", the H1 line does not, and no message names a file or an operator step', async () => {
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'RATE-H2', issueDate: '2026-05-04', dueDate: '2026-06-03' }));
    await local.api.advanceTo('2026-07-03T12:00:00Z');
    const med = (await mailsOf(local.api, 'RATE-H2')).find((m) => /Mise en demeure/.test(m.subject));
    for (const text of [flat(med.body.text), (await pdfOf(med)).text]) {
      const h1 = text.slice(text.indexOf('Pénalités de retard du 4 juin 2026 au 30 juin 2026'));
      const h2 = text.slice(text.indexOf('Pénalités de retard du 1er juillet 2026 au 3 juillet 2026'));
      expect(h1.slice(0, 160)).not.toContain('taux provisoire');
      expect(h2.slice(0, 160)).toMatch(/3 jours × 12,15 % l’an sur 1 250,00 € – taux provisoire/);
      expect(text).toContain('Montant provisoire');
    }
    // The hand-off to the lawyer says the rate is provisional, in public wording only (in French:
    // since the litigation merge the hand-off carries no English calculation note, see checkHandoff).
    await local.api.advanceTo('2026-07-16T12:00:00Z');
    expect((await local.api.getInvoice(body.id)).body.status).toBe('handed_off');
    const all = await mailsOf(local.api, 'RATE-H2');
    expect(all.map((m) => m.subject)).toHaveLength(4);
    for (const m of all) expect(`${m.subject}\n${m.body.text}\n${m.body.html}`).not.toMatch(/lambdas\/|rates\.ts|rate-tables|npm run|operator|TO CONFIRM/i);
    expect(flat(all[3].body.text)).toMatch(/12,15 % l’an sur 1 250,00 € – taux provisoire/);
    expect(flat(all[3].body.text)).toContain('Montant provisoire');
  });
});

describe('point 4: settlement and accessories, consistent everywhere', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });
  const types = (v: any) => v.events.map((e: any) => e.type);

  it('C. civ. 1343-1 (default): after the mise en demeure, paying the principal alone does not close the dossier and the receipt says what remains', async () => {
    const api = await creditorApi(local.api, 'civil-code', { paymentAllocation: 'civil-code-1343-1' });
    const waiver = await creditorApi(local.api, 'waiver', { paymentAllocation: 'principal-first' });
    const floor = await creditorApi(local.api, 'floor', {});
    const a = (await api.createInvoice(invoice({ invoiceNumber: 'ACC-1343' }))).body;
    const b = (await waiver.createInvoice(invoice({ invoiceNumber: 'ACC-WAIVE' }))).body;
    const p = (await api.createInvoice(invoice({ invoiceNumber: 'ACC-PLAN' }))).body;
    await floor.createInvoice(invoice({ invoiceNumber: 'ACC-FLOOR', contractualPenaltyRate: '5.00' }));
    await local.api.advanceTo('2026-05-05T10:00:00Z');

    // The mise en demeure claimed penalties and the 40 € and says how payments are allocated.
    const med = (await mailsOf(local.api, 'ACC-1343')).find((m) => /Mise en demeure/.test(m.subject));
    expect(flat(med.body.text)).toContain("Conformément à l’article 1343-1 du Code civil, tout paiement partiel s’impute d’abord sur les pénalités de retard échues");
    // 4 April - 5 May: 32 days x 12.15% on 1 250,00 = 13,32 ; then 40,00 ; then 1 196,68 of principal.
    const paid = await api.pay(a.id, { amount: '1250.00', paidOn: '2026-05-05', reference: 'VIR-ACC-1' });
    expect(paid.status).toBe(201);
    expect(paid.body.status).toBe('active');
    expect(paid.body.balance).toBe('53.32');
    expect(paid.body.events.find((e: any) => e.type === 'payment_recorded')).toMatchObject({
      allocation: { order: 'civil-code-1343-1', interest: '13.32', indemnity: '40.00', principal: '1196.68' },
      remainingDue: '53.32',
    });
    expect(types(paid.body)).not.toContain('paid');
    const receipt = (await mailsOf(local.api, 'ACC-1343')).find((m) => /Reçu de paiement/.test(m.subject));
    const r = flat(receipt.body.text);
    expect(r).not.toMatch(/entièrement réglée et le dossier est clos/);
    expect(r).toContain("Votre facture n’est donc pas entièrement réglée : il reste 53,32 € à régler");
    expect(r).toContain('Imputation : pénalités de retard 13,32 € ; indemnité forfaitaire 40,00 € ; principal 1 196,68 €');
    expect(r).toContain('Principal restant dû : 53,32 €');
    // The remainder settles it; that receipt says principal and accessories are paid.
    const rest = await api.pay(a.id, { amount: '53.32', paidOn: '2026-05-05', reference: 'VIR-ACC-2' });
    expect(rest.body.status).toBe('paid');
    const last = (await mailsOf(local.api, 'ACC-1343')).filter((m) => /Reçu de paiement/.test(m.subject)).at(-1);
    expect(flat(last.body.text)).toContain('Votre facture est désormais entièrement réglée, principal et pénalités de retard et indemnité forfaitaire compris, et le dossier est clos.');

    // The creditor’s stated waiver (principal first): announced on the mise en demeure, applied and
    // said on the receipt.
    const medW = (await mailsOf(local.api, 'ACC-WAIVE')).find((m) => /Mise en demeure/.test(m.subject));
    expect(flat(medW.body.text)).toContain('dès que le principal est intégralement réglé, nous renonçons aux pénalités de retard et à l’indemnité forfaitaire');
    const paidW = await waiver.pay(b.id, { amount: '1250.00', paidOn: '2026-05-05', reference: 'VIR-W-1' });
    expect(paidW.body.status).toBe('paid');
    expect(paidW.body.events.find((e: any) => e.type === 'accessories_waived')).toMatchObject({ reason: 'creditor_waiver', interest: '13.32', indemnity: '40.00' });
    const receiptW = flat((await mailsOf(local.api, 'ACC-WAIVE')).find((m) => /Reçu de paiement/.test(m.subject)).body.text);
    expect(receiptW).toContain('Le principal de la facture n° ACC-WAIVE est intégralement réglé et le dossier est clos.');
    expect(receiptW).toContain("les pénalités de retard (13,32 €) et l’indemnité forfaitaire pour frais de recouvrement (40,00 €), dues de plein droit, comme annoncé, nous y renonçons une fois le principal réglé : elles ne vous sont pas réclamées.");

    // A payment plan after the mise en demeure: its letter says the accessories are waived if it is
    // kept in full, and keeping it in full closes the dossier with them waived.
    const plan = await api.post(`/invoices/${p.id}/payment-plan`, {
      instalments: [
        { dueDate: '2026-05-20', amount: '625.00' },
        { dueDate: '2026-06-19', amount: '625.00' },
      ],
    });
    expect(plan.status).toBe(201);
    const planMail = flat((await mailsOf(local.api, 'ACC-PLAN')).find((m) => /Échéancier/.test(m.subject)).body.text);
    expect(planMail).toContain('nous y renonçons si l’échéancier est intégralement respecté');
    await api.pay(p.id, { amount: '625.00', paidOn: '2026-05-05', reference: 'ECH-ACC-1' });
    const done = await api.pay(p.id, { amount: '625.00', paidOn: '2026-05-05', reference: 'ECH-ACC-2' });
    expect(done.body.status).toBe('paid');
    expect(done.body.events.find((e: any) => e.type === 'accessories_waived')).toMatchObject({ reason: 'payment_plan_kept' });
    const planReceipt = flat((await mailsOf(local.api, 'ACC-PLAN')).filter((m) => /Reçu de paiement/.test(m.subject)).at(-1).body.text);
    expect(planReceipt).toContain("l’échéancier ayant été intégralement respecté, nous y renonçons comme convenu");

    // A contractual rate below the legal floor is set aside, and the letter says why.
    const medF = (await mailsOf(local.api, 'ACC-FLOOR')).find((m) => /Mise en demeure/.test(m.subject));
    for (const text of [flat(medF.body.text), (await pdfOf(medF)).text]) {
      expect(text).toContain('Le taux contractuel de 5,00 % prévu par la facture est inférieur au minimum légal de trois fois le taux de l');
      expect(text).toContain('(2,62 %), soit 7,86 %');
      expect(text).toContain('il est donc écarté et remplacé par le taux de refinancement de la Banque centrale européenne majoré de 10 points');
      expect(text).toContain('12,15 %');
    }
  });
});

describe('point 10: wording', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('agency letters attribute court action to the principal; letters list payments with dates, recall the reminders, use the readable reference and typographic apostrophes; consumers are addressed by name and get a French receipt', async () => {
    const agency = await creditorApi(local.api, 'agency-10', {
      agency: { legalName: 'Recouvrement Rhône SAS', address: { line1: '5 quai Saint-Antoine', postalCode: '69002', city: 'Lyon', country: 'FR' } },
    });
    await agency.createInvoice(invoice({ invoiceNumber: 'W10-AG' }));
    const b = (await local.api.createInvoice(invoice({ invoiceNumber: 'W10-B2B' }))).body;
    const consumer = {
      kind: 'consumer',
      name: 'Élodie Durand-Lefèvre',
      email: 'elodie@example.org',
      language: 'en',
      address: { line1: '45 rue Sainte-Catherine', postalCode: '33000', city: 'Bordeaux', country: 'FR' },
    };
    const c = (await local.api.createInvoice(invoice({ invoiceNumber: 'W10-B2C', debtor: consumer }))).body;
    await local.api.advanceTo('2026-04-08T10:00:00Z');
    expect((await local.api.pay(b.id, { amount: '200.00', paidOn: '2026-04-08', reference: 'VIR-W10' })).status).toBe(201);
    await local.api.advanceTo('2026-05-04T12:00:00Z');

    // Agency: "notre mandant … pourra saisir", never "nous pourrons".
    const medA = (await mailsOf(local.api, 'W10-AG')).find((m) => /Mise en demeure/.test(m.subject));
    for (const text of [flat(medA.body.text), (await pdfOf(medA)).text]) {
      expect(text).toContain('À défaut de paiement intégral dans ce délai, notre mandant, Atelier Lumière SAS, pourra, sans autre avis, saisir la juridiction compétente');
      expect(text).not.toMatch(/nous pourrons/);
      expect(text).toContain('Malgré les relances des 7 avril 2026 et 20 avril 2026');
    }

    // Creditor B2B: the payment is listed with its date on every later letter; the mise en demeure
    // recalls the reminders; references are readable (no internal id anywhere); apostrophes are typographic.
    const mails = await mailsOf(local.api, 'W10-B2B');
    const [reminder, med] = [mails.find((m) => /^Relance/.test(m.subject)), mails.find((m) => /Mise en demeure/.test(m.subject))];
    for (const m of [reminder, med]) expect(flat(m.body.text)).toContain('Paiement reçu le 8 avril 2026 (réf. VIR-W10) : -200,00 €');
    expect(flat(reminder.body.text)).toContain('Malgré notre précédent rappel du 7 avril 2026');
    const medPdf = await pdfOf(med);
    for (const text of [flat(med.body.text), medPdf.text]) {
      expect(text).toContain('Malgré nos relances des 7 avril 2026 et 20 avril 2026, cette facture demeure impayée à ce jour.');
      expect(text).toContain('Paiement reçu le 8 avril 2026 (réf. VIR-W10)');
      expect(text).toContain('Notre référence : W10-B2B-MED');
      expect(text).toContain('l’article 1344 du Code civil');
      expect(text).not.toMatch(/\bl'article|\bd'échéance|qu'un/);
    }
    expect(medPdf.text).toContain('réf. W10-B2B-MED');
    for (const m of [...mails, medA]) expect(`${m.subject} ${m.body.text} ${m.body.html}`).not.toContain(b.id.slice(0, 8));
    expect(JSON.stringify(mails.map((m) => m.subject))).not.toMatch(/dos_/);

    // Consumer, English-speaking: addressed by name; the receipt is in French with a translation.
    const cm = await mailsOf(local.api, 'W10-B2C');
    expect(flat(cm[0].body.text)).toContain('Dear Élodie Durand-Lefèvre,');
    const medC = cm.find((m) => /Mise en demeure/.test(m.subject));
    expect(flat(medC.body.text)).toContain('Dear Élodie Durand-Lefèvre,');
    // Legal interest runs from the day after the mise en demeure: paying the principal on 5 May leaves 0,09 €.
    await local.api.advanceTo('2026-05-05T10:00:00Z');
    const paid = await local.api.pay(c.id, { amount: '1250.00', paidOn: '2026-05-05', reference: 'CB-W10' });
    expect(paid.body.status).toBe('active');
    const receipt = (await mailsOf(local.api, 'W10-B2C')).find((m) => /Reçu de paiement/.test(m.subject));
    expect(receipt.subject).toBe('Reçu de paiement / Payment receipt – facture W10-B2C / invoice W10-B2C');
    const rt = flat(receipt.body.text);
    expect(rt).toContain('Bonjour Élodie Durand-Lefèvre,');
    expect(rt).toContain('Nous accusons réception de votre paiement de 1 250,00 €, reçu le 5 mai 2026');
    expect(rt).toContain('il reste 0,09 € à régler');
    expect(rt.toLowerCase()).toContain('english translation (the french text prevails)');
    expect(rt).toContain('We acknowledge receipt of your payment of €1,250.00, received on 5 May 2026');
    expect(rt).not.toMatch(/pénalités de retard|indemnité forfaitaire/);
  });
});

describe('point 11: PDF fidelity', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('names are printed exactly (embedded Unicode font), every font is embedded, payment details never split across pages', async () => {
    const name = 'Łukasz Wróbel Sp. z o.o. – Ørsted & Kőszegi';
    await local.api.createInvoice(invoice({ invoiceNumber: 'PDF-NAME', debtor: { ...invoice().debtor, name } }));
    // A description of this length put the payment details across the page break of the old PDF
    // (heading and IBAN on page 1, BIC and payment reference on page 2).
    const description = ('Prestation de conseil, mars 2026. ' + 'Détail '.repeat(400)).slice(0, 334).trim();
    await local.api.createInvoice(invoice({ invoiceNumber: 'PDF-SPLIT', description }));
    await local.api.advanceTo('2026-05-04T12:00:00Z');

    const med = (await mailsOf(local.api, 'PDF-NAME')).find((m) => /Mise en demeure/.test(m.subject));
    const pdf = await pdfOf(med);
    expect(pdf.text).toContain(name);
    expect(pdf.text).not.toContain('Lukasz');
    const fonts = await pdfFonts(pdf.bytes);
    expect(fonts.length).toBeGreaterThanOrEqual(2);
    for (const f of fonts) expect(f, f.name).toMatchObject({ embedded: true });
    expect(fonts.map((f) => f.name)).not.toContain('Helvetica');

    const split = await pdfOf((await mailsOf(local.api, 'PDF-SPLIT')).find((m) => /Mise en demeure/.test(m.subject)));
    expect(split.pageTexts.length).toBeGreaterThan(1);
    const page = split.pageTexts.find((t) => t.includes('Modalités de paiement'))!;
    for (const detail of ['Virement au bénéficiaire', 'IBAN : FR76 3000 6000 0112 3456 7890 189', 'BIC : AGRIFRPPXXX', 'Référence à indiquer : PDF-SPLIT', 'Paiement en ligne']) {
      expect(page, detail).toContain(detail);
    }
  });
});

describe('point 2: prescription runs from the performance of the service', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('uses performanceDate when given, else the issue date; the view and the hand-off say which', async () => {
    const a = await local.api.createInvoice(invoice({ invoiceNumber: 'PRESC-PERF', performanceDate: '2026-02-15' }));
    expect(a.status).toBe(201);
    expect(a.body.prescription).toMatchObject({ prescribesOn: '2031-02-15', startsOn: '2026-02-15', startingPoint: 'performance_date', runsFrom: '2026-02-15' });
    const b = await local.api.createInvoice(invoice({ invoiceNumber: 'PRESC-ISSUE' }));
    expect(b.body.prescription).toMatchObject({ prescribesOn: '2031-03-04', startsOn: '2026-03-04', startingPoint: 'issue_date' });
    const bad = await local.api.createInvoice(invoice({ invoiceNumber: 'PRESC-BAD', performanceDate: '2026-05-01' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('performanceDate');

    await local.api.advanceTo('2026-05-13T12:00:00Z');
    const handoff = flat((await mailsOf(local.api, 'PRESC-PERF')).find((m) => /Transmission contentieux/.test(m.subject)).body.text);
    expect(handoff).toContain('Prescription : 5 ans (art. L110-4 C. com.), à compter de l’exécution de la prestation ou de la livraison, le 15 février 2026 (Cass. com. 26 févr. 2020, n° 18-25.036) ; dernier jour pour agir : 15 février 2031.');
    const handoffIssue = flat((await mailsOf(local.api, 'PRESC-ISSUE')).find((m) => /Transmission contentieux/.test(m.subject)).body.text);
    expect(handoffIssue).toContain('à compter de la date d’émission de la facture, le 4 mars 2026, faute de date d’exécution de la prestation communiquée');
    expect(handoffIssue).toContain('dernier jour pour agir : 4 mars 2031');
  });
});

describe('point 3: an acknowledgment of debt only with proof from the debtor (C. civ. 2240)', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('a plan alone restarts nothing; the debtor’s e-mail, stored as evidence, does; the plan letter asks for it', async () => {
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'ACK-MAIL' }));
    await local.api.advanceTo('2026-04-08T12:00:00Z');
    const plan = await local.api.call('POST', `/invoices/${body.id}/payment-plan`, {
      instalments: [
        { dueDate: '2026-05-05', amount: '625.00' },
        { dueDate: '2026-06-05', amount: '625.00' },
      ],
    });
    expect(plan.status).toBe(201);
    expect(plan.body.events.map((e: any) => e.type)).not.toContain('debt_acknowledged');
    expect(plan.body.prescription).toMatchObject({ prescribesOn: '2031-03-04', acknowledgedOn: [] });
    const letter = flat((await mailsOf(local.api, 'ACK-MAIL')).find((m) => /Échéancier/.test(m.subject)).body.text);
    expect(letter).toContain('Merci de nous confirmer votre accord sur cet échéancier par écrit, en répondant à ce courriel ou en nous retournant l’échéancier signé. Votre accord écrit, ou le paiement de la première échéance, vaut reconnaissance de votre dette de 1 250,00 €');
    expect(letter).not.toMatch(/En acceptant cet échéancier, vous reconnaissez/);

    // The debtor answers by e-mail; the creditor posts that e-mail as the proof.
    await local.api.advanceTo('2026-04-09T12:00:00Z');
    const eml = Buffer.from('From: compta@boulangerie-dupont.example\r\nSubject: Re: Échéancier\r\n\r\nBon pour accord sur l’échéancier.\r\n', 'utf8');
    const accepted = await local.api.call('POST', `/invoices/${body.id}/payment-plan/acceptance`, {
      acceptedOn: '2026-04-09',
      kind: 'email',
      document: { filename: 'accord.eml', contentType: 'message/rfc822', contentBase64: eml.toString('base64') },
    });
    expect(accepted.status).toBe(201);
    const ack = accepted.body.events.find((e: any) => e.type === 'debt_acknowledged');
    expect(ack).toMatchObject({ source: 'written_acceptance', kind: 'email', acknowledgedOn: '2026-04-09', prescribesOn: '2031-04-09', article: 'C. civ. 2240' });
    expect(ack.evidenceKey).toMatch(new RegExp(`^dossiers/${body.id}/acknowledgments/pln_[a-z0-9]+-[0-9a-f]{16}\\.eml$`));
    expect(accepted.body.prescription).toMatchObject({ prescribesOn: '2031-04-09', acknowledgedOn: ['2026-04-09'] });
    // The evidence log points at the debtor's e-mail, byte for byte.
    const log = (await local.api.call('GET', `/invoices/${body.id}/evidence`)).body;
    const record = log.records.find((r: any) => r.type === 'debt_acknowledged');
    expect(record).toMatchObject({ key: ack.evidenceKey, sha256: createHash('sha256').update(eml).digest('hex') });
    // Once only: the first instalment paid later adds nothing.
    const again = await local.api.call('POST', `/invoices/${body.id}/payment-plan/acceptance`, {
      acceptedOn: '2026-04-09',
      kind: 'email',
      document: { filename: 'accord.eml', contentType: 'message/rfc822', contentBase64: eml.toString('base64') },
    });
    expect(again.status).toBe(200);
    const paid = await local.api.pay(body.id, { amount: '625.00', paidOn: '2026-04-09', reference: 'ECH-ACK-1' });
    expect(paid.body.events.filter((e: any) => e.type === 'debt_acknowledged')).toHaveLength(1);
  });
});

describe('point 7: a rejected dispute gets a letter with the reasons; a consumer gets the mediator', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });
  const consumer = {
    kind: 'consumer',
    name: 'Jean Dupuis',
    email: 'jean.dupuis@example.org',
    language: 'fr',
    address: { line1: '2 rue Neuve', postalCode: '69001', city: 'Lyon', country: 'FR' },
  };

  it('B2C: reasons, what remains due, when reminders resume, and the consumer mediator (C. conso. L616-1); B2B: no mediator; none on file: not sent', async () => {
    const c = (await local.api.createInvoice(invoice({ invoiceNumber: 'DSP-B2C', debtor: consumer }))).body;
    const b = (await local.api.createInvoice(invoice({ invoiceNumber: 'DSP-B2B' }))).body;
    const noMediator = await creditorApi(local.api, 'no-mediator', { consumerMediator: undefined });
    const n = (await noMediator.createInvoice(invoice({ invoiceNumber: 'DSP-NOMED', debtor: consumer }))).body;
    await local.api.advanceTo('2026-04-08T12:00:00Z');
    const open = async (post: (p: string, b: unknown) => Promise<any>, id: string) =>
      (await post(`/invoices/${id}/disputes`, { reason: 'Le chauffe-eau fuit depuis la pose.' })).body.dispute.id;
    const post = (p: string, body: unknown) => local.api.call('POST', p, body);
    const [dc, db, dn] = [await open(post, c.id), await open(post, b.id), await open(noMediator.post, n.id)];
    await local.api.advanceTo('2026-04-10T12:00:00Z');
    const reasons = 'Notre technicien est intervenu le 9 avril : la fuite vient du robinet existant, non fourni par nous.';
    const missing = await post(`/invoices/${c.id}/disputes/${dc}/resolve`, { outcome: 'rejected' });
    expect(missing.status).toBe(400);
    const rejected = await post(`/invoices/${c.id}/disputes/${dc}/resolve`, { outcome: 'rejected', reasons });
    expect(rejected.status).toBe(200);
    expect(rejected.body.events.find((e: any) => e.type === 'dispute_rejected')).toMatchObject({ disputeId: dc, reasons });
    const letter = (await mailsOf(local.api, 'DSP-B2C')).find((m) => /Réponse à votre contestation/.test(m.subject));
    const t = flat(letter.body.text);
    expect(t).toContain('Bonjour Jean Dupuis,');
    expect(t).toContain('Nous avons examiné votre contestation du 8 avril 2026 concernant la facture n° DSP-B2C');
    expect(t).toContain(`Motifs de notre réponse : ${reasons}`);
    // Not before 5 business days (17 April); the formal reminder keeps its policy date, Monday 20 April.
    expect(rejected.body.nextAction).toEqual({ stage: 'formal_reminder', at: '2026-04-20T07:00:00.000Z' });
    expect(t).toContain('La somme de 1 250,00 € reste donc due au 10 avril 2026. Sans règlement de votre part, nos relances reprendront à compter du 20 avril 2026.');
    expect(t).toContain('vous pouvez recourir gratuitement au médiateur de la consommation dont Atelier Lumière SAS relève (articles L612-1 et L616-1 du Code de la consommation) : Médiateur de la consommation (exemple), https://mediateur-consommation.example, 1 rue de la Médiation, 75008 Paris.');

    await post(`/invoices/${b.id}/disputes/${db}/resolve`, { outcome: 'rejected', reasons: 'Livraison conforme au bon signé.' });
    const letterB = flat((await mailsOf(local.api, 'DSP-B2B')).find((m) => /Réponse à votre contestation/.test(m.subject)).body.text);
    expect(letterB).toContain('Motifs de notre réponse : Livraison conforme au bon signé.');
    expect(letterB).not.toMatch(/médiateur/i);

    // A consumer's complaint is never closed without the mediator: the letter is refused, recorded for a person.
    const r = await noMediator.post(`/invoices/${n.id}/disputes/${dn}/resolve`, { outcome: 'rejected', reasons });
    expect(r.status).toBe(200);
    expect(r.body.events.at(-1)).toMatchObject({ type: 'message_failed', kind: 'dispute_rejection', reason: expect.stringMatching(/consumer mediator \(C\. conso\. L616-1\)/) });
    expect((await mailsOf(local.api, 'DSP-NOMED')).filter((m) => /Réponse/.test(m.subject))).toHaveLength(0);
  });
});

describe('point 9: overseas debtors get letters in their own morning', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('a Martinique debtor gets each letter at 09:00 Fort-de-France time (13:00Z), not at 03:00', async () => {
    const debtor = { ...invoice().debtor, name: 'Distillerie du Prêcheur SARL', email: 'compta@precheur.example', address: { line1: '1 rue du Port', postalCode: '97200', city: 'Fort-de-France', country: 'FR' } };
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'MQ-1', debtor }));
    // Due Friday 3 April: +3 = Monday 6 April (Easter Monday) -> Tuesday 7 April, 09:00 in Martinique (UTC-4).
    expect(body.schedule[0]).toEqual({ stage: 'first_reminder', at: '2026-04-07T13:00:00.000Z' });
    for (const s of body.schedule) expect(s.at).toMatch(/T13:00:00\.000Z$/);
    await local.api.advanceTo('2026-04-07T12:59:00Z');
    expect(await mailsOf(local.api, 'MQ-1')).toHaveLength(0);
    await local.api.advanceTo('2026-04-07T13:00:00Z');
    const view = (await local.api.getInvoice(body.id)).body;
    expect(view.events.find((e: any) => e.type === 'notice_sent')).toMatchObject({ stage: 'first_reminder', at: '2026-04-07T13:00:00.000Z' });
    expect(await mailsOf(local.api, 'MQ-1')).toHaveLength(1);
    // A promise is checked at 09:00 the debtor's time too.
    const promise = await local.api.call('POST', `/invoices/${body.id}/promises`, { date: '2026-04-24', amount: '1250.00' });
    expect(promise.body.promise.checkAt).toBe('2026-04-28T13:00:00.000Z');
  });
});

describe('point 8: public-sector debtors (Code de la commande publique)', () => {
  // Due Wednesday 3 June 2026: interest starts on 4 June, in 2026 H1; the mise en demeure goes out on 3 July.
  const local = useLocalSystem({ clockStart: '2026-06-04T10:00:00Z' });

  it('moratory interest at the ECB rate of the half-year interest started in + 8 points, fixed; the 40 €; the administrative court; the four-year rule', async () => {
    const debtor = { ...invoice().debtor, name: 'Commune de Villeurbanne', email: 'mandatement@villeurbanne.example', siren: undefined, segment: 'public-sector', address: { line1: 'Place Lazare-Goujon', postalCode: '69100', city: 'Villeurbanne', country: 'FR' } };
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'PUB-1', issueDate: '2026-05-04', dueDate: '2026-06-03', performanceDate: '2026-04-30', debtor }));
    expect(body.prescription).toMatchObject({ article: expect.stringMatching(/68-1250/), prescribesOn: '2030-12-31' });
    await local.api.advanceTo('2026-07-03T12:00:00Z');
    const med = (await mailsOf(local.api, 'PUB-1')).find((m) => /Mise en demeure/.test(m.subject));
    for (const text of [flat(med.body.text), (await pdfOf(med)).text]) {
      // ECB 2.15% in force on 1 January 2026 + 8 points = 10.15%, also for the July days (not the H2 rate).
      expect(text).toContain('Intérêts moratoires du 4 juin 2026 au 30 juin 2026');
      expect(text).toContain('Intérêts moratoires du 1er juillet 2026 au 3 juillet 2026');
      expect(text).toContain('3 jours × 10,15 % l’an sur 1 250,00 €');
      expect(text).not.toContain('taux provisoire');
      expect(text).toContain('Indemnité forfaitaire pour frais de recouvrement (art. L2192-13 du Code de la commande publique)');
      expect(text).toContain('40,00 €');
      expect(text).toContain('majoré de 8 points, soit 10,15 % l’an, applicable à toute la durée du retard (article R2192-31 du même code)');
      expect(text).toContain('saisir le tribunal administratif compétent');
      expect(text).toContain('article R541-1 du Code de justice administrative');
      expect(text).toContain('Les intérêts moratoires continuent de courir jusqu’au complet paiement (article L2192-13 du Code de la commande publique).');
      expect(text).not.toMatch(/injonction de payer|pénalités de retard|L441-10|D441-5/);
    }
    // The mise en demeure, a written claim to the public buyer, interrupts the four-year period.
    const view = (await local.api.getInvoice(body.id)).body;
    expect(view.prescription).toMatchObject({ runsFrom: '2027-01-01', prescribesOn: '2030-12-31' });
    await local.api.advanceTo('2026-07-16T12:00:00Z');
    const handoff = flat((await mailsOf(local.api, 'PUB-1')).find((m) => /Transmission contentieux/.test(m.subject)).body.text);
    expect(handoff).toContain('Qualité : acheteur public (personne publique)');
    expect(handoff).toContain('Voie recommandée : Tribunal administratif (référé-provision)');
    expect(handoff).toContain('provision lorsque l\'existence de l\'obligation n\'est pas sérieusement contestable (art. R541-1 CJA)');
    expect(handoff).toContain('Intérêts qui courent : 10,15 % l’an');
    expect(handoff).toContain('déchéance quadriennale des créances sur les personnes publiques (loi n° 68-1250 du 31 décembre 1968)');
    expect(handoff).toContain('dernier jour pour agir : 31 décembre 2030');
    expect(handoff).not.toMatch(/Cerfa 12946|petites créances/);
  });
});

describe('point 6: the mise en demeure by registered channel', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('registered post: print-ready PDF kept, a posting task, tracking number and acknowledgment of receipt as evidence; the grace period runs from the first presentation', async () => {
    const lrar = await creditorApi(local.api, 'lrar', { formalNoticeChannel: 'registered_post' });
    const lre = await creditorApi(local.api, 'lre', { formalNoticeChannel: 'registered_email' });
    const { body } = await lrar.createInvoice(invoice({ invoiceNumber: 'LRAR-1' }));
    const e = (await lre.createInvoice(invoice({ invoiceNumber: 'LRE-1' }))).body;
    const consumer = { kind: 'consumer', name: 'Jean Dupuis', email: 'jean.dupuis@example.org', language: 'fr', address: { line1: '2 rue Neuve', postalCode: '69001', city: 'Lyon', country: 'FR' } };
    const c = (await lre.createInvoice(invoice({ invoiceNumber: 'LRE-CONSUMER', debtor: consumer }))).body;
    await local.api.advanceTo('2026-05-04T12:00:00Z');

    // Registered post: nothing e-mailed; the PDF is in the vault; the operator has a task.
    expect((await mailsOf(local.api, 'LRAR-1')).map((m) => m.subject).filter((s: string) => /Mise en demeure/.test(s))).toHaveLength(0);
    let view = (await lrar.getInvoice(body.id)).body;
    const sent = view.events.find((x: any) => x.type === 'notice_sent' && x.stage === 'formal_notice');
    expect(sent).toMatchObject({ channel: 'registered_post', evidenceKey: expect.stringMatching(/\.pdf$/) });
    // No acknowledgment yet: the documented maximum (21 days) then the 8 days: 4 May + 29 = 2 June.
    expect(view.deadline).toBe('2026-06-02');
    expect(view.nextAction).toEqual({ stage: 'litigation_handoff', at: '2026-06-03T07:00:00.000Z' });
    const pdf = await pdfText(await evidenceBytes(local.sys, sent.evidenceKey));
    const t = flat(pdf.text);
    expect(t).toContain('Mode d’envoi : Lettre recommandée avec demande d’avis de réception');
    expect(t).toContain('nous vous mettons en demeure de régler la somme de 1 302,90 € dans un délai de huit jours à compter de la première présentation de la présente lettre.');
    expect(t).toContain('Ce délai de huit jours court à compter du lendemain de la première présentation de la présente lettre par La Poste');
    const tasks = (await lrar.get('/tasks')).body.tasks ?? (await lrar.get('/tasks')).body;
    const task = (Array.isArray(tasks) ? tasks : tasks.tasks).find((x: any) => x.task === 'post_registered_letter');
    expect(task).toMatchObject({ dossierId: body.id, status: 'open' });

    const posted = await lrar.post(`/invoices/${body.id}/registered-letter/posting`, { trackingNumber: '1A12345678901', postedOn: '2026-05-04' });
    expect(posted.status).toBe(201);
    expect(posted.body.events.at(-1)).toMatchObject({ type: 'registered_letter_posted', trackingNumber: '1A12345678901', evidenceKey: expect.stringMatching(/registered\/.*-posting-/) });
    const open = (await lrar.get('/tasks?include=upcoming')).body;
    expect(JSON.stringify(open)).not.toContain(task.id);

    await local.api.advanceTo('2026-05-07T10:00:00Z');
    const scan = Buffer.from('%PDF-1.4 avis de réception signé le 6 mai 2026', 'utf8');
    const received = await lrar.post(`/invoices/${body.id}/registered-letter/receipt`, {
      presentedOn: '2026-05-06',
      outcome: 'signed',
      document: { filename: 'ar-1A12345678901.pdf', contentType: 'application/pdf', contentBase64: scan.toString('base64') },
    });
    expect(received.status).toBe(201);
    const presented = received.body.events.find((x: any) => x.type === 'registered_letter_presented');
    expect(presented).toMatchObject({ presentedOn: '2026-05-06', outcome: 'signed', sha256: createHash('sha256').update(scan).digest('hex') });
    // 6 May + 8 = Thursday 14 May, Ascension: Friday 15 May; the hand-off on Monday 18 May.
    expect(received.body.deadline).toBe('2026-05-15');
    expect(received.body.nextAction).toEqual({ stage: 'litigation_handoff', at: '2026-05-18T07:00:00.000Z' });
    await local.api.advanceTo('2026-05-18T12:00:00Z');
    view = (await lrar.getInvoice(body.id)).body;
    expect(view.status).toBe('handed_off');
    expect(view.events.find((x: any) => x.stage === 'litigation_handoff').at).toBe('2026-05-18T07:00:00.000Z');

    // Registered e-mail: the provider's deposit and notification proofs are kept; the period runs from the notification.
    const ev = (await lre.getInvoice(e.id)).body;
    expect(ev.events.find((x: any) => x.type === 'notice_sent' && x.stage === 'formal_notice')).toMatchObject({ channel: 'registered_email', to: 'compta@boulangerie-dupont.example' });
    expect(ev.events.find((x: any) => x.type === 'registered_email_deposited')).toMatchObject({ providerId: expect.stringMatching(/^lre_/), evidenceKey: expect.stringMatching(/lre-deposit\.json$/) });
    expect(ev.events.find((x: any) => x.type === 'registered_letter_presented')).toMatchObject({ presentedOn: '2026-05-04', outcome: 'notified' });
    expect(ev.deadline).toBe('2026-05-12');
    const lrePdf = flat((await pdfText(await evidenceBytes(local.sys, ev.events.find((x: any) => x.type === 'notice_sent' && x.stage === 'formal_notice').evidenceKey))).text);
    expect(lrePdf).toContain('Mode d’envoi : Lettre recommandée électronique (article L100 du Code des postes et des communications électroniques)');
    // A consumer who has not agreed to LRE (CPCE L100) gets it by registered post instead, and the dossier says why.
    const cv = (await lre.getInvoice(c.id)).body;
    expect(cv.events.find((x: any) => x.type === 'notice_sent' && x.stage === 'formal_notice')).toMatchObject({
      channel: 'registered_post',
      channelFallback: expect.stringMatching(/CPCE L100/),
    });
  });
});

async function evidenceBytes(sys: any, key: string): Promise<Uint8Array> {
  const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({ forcePathStyle: true });
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: sys.synthesized.bucketName, Key: key }));
    return new Uint8Array(await out.Body!.transformToByteArray());
  } finally {
    s3.destroy();
  }
}
