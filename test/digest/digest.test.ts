import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { localDate } from '../../lambdas/domain/calendar';
import { alertsFor } from '../../lambdas/domain/accountant-alerts';
import { digestDueOn } from '../../lambdas/domain/digest-schedule';
import { newDossier, type Dossier } from '../../lambdas/domain/dossier';
import { dossierSummary } from '../../lambdas/domain/dossier-summary';
import { buildReport, type ReportSources } from '../../lambdas/domain/report';
import { csvText, openDossiersCsv } from '../../lambdas/digest/open-dossiers-csv';
import { renderAlert } from '../../lambdas/digest/render-alert';
import { CHART_CID, renderDigest } from '../../lambdas/digest/render-digest';
import { composeMime } from '../../lambdas/notices/mime';
import { matchesPattern } from '../../local/dynamodb-stream';
import { nextFire } from '../../local/scheduler';
import { creditorProfile } from '../support/admin-client';

const EVIL = 'Evil <img src=x onerror=alert(1)> & "Co"\r\nBcc: victim@example.com';

function dossier(n: number, name: string, dueDate: string, amountCents: number): Dossier {
  return newDossier({
    id: `dos_${String(n).padStart(26, 'b')}`.slice(0, 30),
    creditorId: 'c',
    executionName: `x${n}`,
    now: new Date('2026-05-05T08:00:00.000Z'),
    invoice: { invoiceNumber: `=CMD|' /C calc'!A${n}`, issueDate: '2026-01-01', dueDate, amountCents, currency: 'EUR' },
    debtor: { kind: 'business', name, email: `d${n}@example.com`, language: 'fr', address: { line1: 'l', postalCode: '75001', city: 'Paris', country: 'FR' } },
  });
}

function detail(ds: Dossier[], over: Partial<ReportSources> = {}) {
  return buildReport(
    {
      creditorId: 'c',
      asOf: '2026-05-06',
      since: '2026-05-05T05:30:00.000Z',
      until: '2026-05-06T05:30:00.000Z',
      builtAt: '2026-05-06T05:30:00.000Z',
      nextUntil: '2026-05-07T22:00:00.000Z',
      openSummaries: ds.map(dossierSummary),
      full: ds,
      readFrom: '2026-05-04T22:00:00.000Z',
      tasks: [],
      receivables: [],
      deferredAlerts: [],
      ...over,
    },
    { dateOf: (at) => localDate(at, 'Europe/Paris') },
  );
}

const creditor = creditorProfile({ id: 'c', legalName: 'Atelier <b>Lumière</b>' }) as any;

describe('the digest e-mail', () => {
  const ds = [dossier(1, EVIL, '2026-05-20', 123_456), dossier(2, 'Dupont; Fils "et" Cie', '2026-01-02', 10_000)];

  it('escapes every dossier and profile string as the notices do (HTML, single-line subject)', async () => {
    const { report, openRows } = detail(ds);
    for (const language of ['fr', 'en'] as const) {
      const r = renderDigest({ report, openRows, creditor, language });
      expect(r.oneLine).toBe(false);
      expect(r.html).not.toContain('<img src=x');
      expect(r.html).not.toContain('<b>Lumière</b>');
      expect(r.html).toContain('Evil &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;');
      expect(r.subject).not.toMatch(/[\r\n]/);
      expect(r.html).toContain(`src="cid:${CHART_CID}"`);
      expect(r.text).toContain(report.evidence.root);
      const raw = await composeMime({
        from: { address: 'relances@example.com' },
        to: [{ address: 'accountant@example.com' }],
        subject: r.subject,
        text: r.text,
        html: r.html,
        attachments: r.attachments,
        messageId: '<digest.x@amiable.local>',
        date: '2026-05-06T05:30:00.000Z',
      });
      const parsed = await simpleParser(raw, { skipImageLinks: true });
      expect(parsed.bcc).toBeUndefined();
      expect(parsed.attachments.map((a) => [a.contentType, a.contentDisposition, a.cid ?? null])).toEqual([
        ['image/png', 'inline', CHART_CID],
        ['text/csv', 'attachment', null],
      ]);
    }
    const en = renderDigest({ report, openRows, creditor, language: 'en' });
    expect(en.subject).toMatch(/^Collections digest — 6 May 2026 — /);
    expect(en.text).toContain('Open balance in collection: €1,334.56 (2 dossiers)');
    const fr = renderDigest({ report, openRows, creditor, language: 'fr' });
    expect(fr.text).toContain('Encours en recouvrement\u00a0: 1\u202f334,56\u00a0€ (2 dossiers)');
  });

  it('is one line when nothing happened in the period', () => {
    const { report, openRows } = detail(ds, { since: '2026-05-05T09:00:00.000Z', full: [], readFrom: '2026-05-05T22:00:00.000Z' });
    expect(report.happened.empty).toBe(true);
    const r = renderDigest({ report, openRows, creditor, language: 'fr' });
    expect(r.oneLine).toBe(true);
    expect(r.attachments).toEqual([]);
    expect(r.text.trim().split('\n')).toEqual([expect.stringMatching(/^Rien de nouveau depuis le mardi 5 mai 2026 à 11:00 : encours de 1\u202f334,56\u00a0€ \(2 dossiers\) ; rien à traiter\.$/)]);
  });

  it('writes a CSV French Excel opens: BOM, ";" separator, decimal commas, formulas neutralised', () => {
    const { openRows } = detail(ds);
    const csv = openDossiersCsv(openRows, '2026-05-06', 'fr');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('Facture;Débiteur;Montant;Solde;Échéance;Jours de retard;Statut;Étape;Prochaine action;Date prochaine action');
    expect(lines[1]).toBe(`'=CMD|' /C calc'!A2;"Dupont; Fils ""et"" Cie";100,00;100,00;02/01/2026;124;En relance;Pas encore relancé;Relance amiable;${lines[1].split(';').pop()}`);
    expect(lines[1].split(';').pop()).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(lines[2].startsWith(`'=CMD`)).toBe(true);
    expect(lines[2]).toContain(';1234,56;1234,56;20/05/2026;0;');
    expect(lines.at(-1)).toBe('');
    expect(csvText('+33 6 00')).toBe("'+33 6 00");
    expect(csvText('-5')).toBe("'-5");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvText('a\nb')).toBe('"a\nb"');
  });
});

describe('immediate alerts', () => {
  const base = dossier(3, EVIL, '2026-04-01', 50_000);
  const at = '2026-05-06T10:00:00.000Z';

  it('one alert per alert-worthy entry; a hard bounce that flags the dossier is one alert, not two', () => {
    const bounced = { ...base, events: [...base.events, { type: 'email_bounced', at, bounceType: 'Permanent', recipient: 'd3@example.com', diagnostic: 'smtp; 550' }, { type: 'needs_attention', at, reason: 'hard bounce' }, { type: 'accountant_alert', at, reason: 'hard bounce' }] };
    expect(alertsFor(bounced, 1).map((a) => [a.seq, a.kind])).toEqual([[1, 'hard_bounce']]);
    expect(alertsFor(bounced, 2)).toEqual([]); // already seen up to the bounce
    const transient = { ...base, events: [...base.events, { type: 'email_bounced', at, bounceType: 'Transient' }] };
    expect(alertsFor(transient, 1)).toEqual([]);
    const flagged = { ...base, events: [...base.events, { type: 'needs_attention', at, reason: 'States.TaskFailed: boom' }] };
    expect(alertsFor(flagged, 1)).toEqual([{ seq: 1, at, kind: 'needs_attention', reason: 'States.TaskFailed: boom' }]);
    const disputed = { ...base, events: [...base.events, { type: 'dispute_opened', at, disputeId: 'dsp_1', reason: 'non livré' }, { type: 'email_complained', at, recipient: 'd3@example.com' }] };
    expect(alertsFor(disputed, 1).map((a) => a.kind)).toEqual(['dispute_opened', 'complaint']);
  });

  it('renders escaped, in the creditor language, with what to do', () => {
    const r = renderAlert({ seq: 4, at, kind: 'dispute_opened', reason: '<script>x</script>', disputeId: 'dsp_9' }, base, creditor, 'en', 10);
    expect(r.subject).toMatch(/^\[Amiable\] Dispute opened by the debtor — /);
    expect(r.subject).not.toMatch(/[\r\n]/);
    expect(r.html).not.toContain('<script>');
    expect(r.html).not.toContain('<img src=x');
    expect(r.text).toContain(`POST /invoices/${base.id}/disputes/dsp_9/resolve`);
  });
});

describe('when digests go out', () => {
  it('daily on business days, weekly on the first business day of the week, monthly on the first of the month', () => {
    // Easter Monday 6 April 2026, 1 May (Friday) and 8 May (Friday) are public holidays.
    expect(digestDueOn('daily', '2026-04-06', 'FR')).toBe(false);
    expect(digestDueOn('daily', '2026-04-07', 'FR')).toBe(true);
    expect(digestDueOn('daily', '2026-04-11', 'FR')).toBe(false);
    expect(digestDueOn('weekly', '2026-04-07', 'FR')).toBe(true);
    expect(digestDueOn('weekly', '2026-04-08', 'FR')).toBe(false);
    expect(digestDueOn('weekly', '2026-04-13', 'FR')).toBe(true);
    expect(digestDueOn('monthly', '2026-05-01', 'FR')).toBe(false);
    expect(digestDueOn('monthly', '2026-05-04', 'FR')).toBe(true);
    expect(digestDueOn('monthly', '2026-05-05', 'FR')).toBe(false);
    expect(digestDueOn('off', '2026-05-04', 'FR')).toBe(false);
    // Good Friday is a holiday in Alsace-Moselle only.
    expect(digestDueOn('daily', '2026-04-03', 'FR')).toBe(true);
    expect(digestDueOn('daily', '2026-04-03', 'FR-67')).toBe(false);
  });

  it('local mode fires the schedule\'s cron at 07:30 Paris on weekdays, across the DST change', () => {
    const cron = 'cron(30 7 ? * MON-FRI *)';
    expect(nextFire(cron, 'Europe/Paris', new Date('2026-03-26T06:00:00Z'))!.toISOString()).toBe('2026-03-26T06:30:00.000Z');
    expect(nextFire(cron, 'Europe/Paris', new Date('2026-03-26T06:30:00Z'))!.toISOString()).toBe('2026-03-27T06:30:00.000Z');
    // Friday 27 March after 07:30 -> Monday 30 March 07:30 CEST (summer time began on Sunday 29).
    expect(nextFire(cron, 'Europe/Paris', new Date('2026-03-27T07:00:00Z'))!.toISOString()).toBe('2026-03-30T05:30:00.000Z');
  });

  it('local streams filter records with the event source patterns', () => {
    const record = { eventName: 'INSERT', dynamodb: { Keys: { pk: { S: 'C#c' }, sk: { S: 'DIGEST#2026-05-06' } } } };
    expect(matchesPattern({ eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: [{ prefix: 'DIGEST#' }] } } } }, record)).toBe(true);
    expect(matchesPattern({ eventName: ['MODIFY'], dynamodb: { Keys: { sk: { S: [{ prefix: 'DIGEST#' }] } } } }, record)).toBe(false);
    expect(matchesPattern({ dynamodb: { Keys: { sk: { S: ['DOSSIER'] } } } }, record)).toBe(false);
  });
});
