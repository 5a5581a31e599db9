import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { simpleParser, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { isBusinessDay } from '../../lambdas/domain/calendar';
import type { LocalSystem } from '../../local/system';
import { invoice, useLocalSystem } from '../support/local-client';

/**
 * The accountants' digest and alerts end to end in local mode: the schedule fires at 07:30
 * Europe/Paris under the simulated clock, every digest's figures are recomputed here from the
 * dossiers themselves (GET /invoices/{id}) and must agree to the cent, the CSV is parsed as French
 * Excel would read it, and a bounce reaches the accountants at the very instant it is recorded.
 */
const START = '2026-04-06T06:00:00Z'; // Easter Monday (a public holiday), 08:00 in Paris
const ACCOUNTANT = 'expert-comptable@cabinet-durand.example';
const PARIS = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
const parisDate = (at: string | number) => PARIS.format(new Date(at));

const cents = (s: string) => {
  const [u, f = ''] = s.split('.');
  return Number(u) * 100 + Number(f.padEnd(2, '0'));
};
const euros = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
/** "1 250,00 €" (narrow no-break spaces, decimal comma) -> cents. */
const frCents = (s: string) => cents(s.replace(/[\s\u202f\u00a0€]/g, '').replace(',', '.'));
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function vault(sys: LocalSystem) {
  const s3 = new S3Client({ forcePathStyle: true });
  const bucket = sys.synthesized.bucketName;
  return {
    async list(prefix: string): Promise<string[]> {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (out.Contents ?? []).map((o) => o.Key!).sort();
    },
    async get(key: string): Promise<Buffer> {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    },
    close: () => s3.destroy(),
  };
}

const digestsIn = (mails: any[]) => mails.filter((m) => /^Recouvrement — point du /.test(m.subject));
const alertsIn = (mails: any[]) => mails.filter((m) => /^\[Amiable\]/.test(m.subject));
const toAccountant = (m: any) => JSON.stringify(m.destination).includes(ACCOUNTANT);

/** Parses the CSV as French Excel reads it: BOM, ";" fields, quoted cells, CRLF lines. */
function parseCsv(bytes: Buffer): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      row.push(cell);
      cell = '';
    }
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

/** The figures of a digest, recomputed from the dossiers as GET /invoices/{id} shows them. */
function recompute(views: any[], asOf: string, since: string, until: string) {
  const sinceMs = Date.parse(since);
  const untilMs = Date.parse(until);
  const open = views.filter((v) => !['paid', 'cancelled'].includes(v.status) && cents(v.balance) > 0 && Date.parse(v.events[0].at) <= untilMs);
  const dpd = (due: string) => (Date.parse(asOf) - Date.parse(due)) / 86_400_000;
  const bucketOf = (due: string) => {
    const d = dpd(due);
    return d <= 0 ? 'not_due' : d <= 30 ? '1-30' : d <= 60 ? '31-60' : d <= 90 ? '61-90' : '90+';
  };
  const sum = (vs: any[]) => vs.reduce((s, v) => s + cents(v.balance), 0);
  const aging = ['not_due', '1-30', '31-60', '61-90', '90+'].map((bucket) => {
    const inB = open.filter((v) => bucketOf(v.dueDate) === bucket);
    return { bucket, count: inB.length, balance: euros(sum(inB)) };
  });
  const byStage = ['none', 'first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff'].map((stage) => {
    const inS = open.filter((v) => (v.stage ?? 'none') === stage);
    return { stage, count: inS.length, balance: euros(sum(inS)) };
  });
  const from = parisDate(sinceMs);
  const to = addDays(parisDate(untilMs), -1);
  const payments = views.flatMap((v) => v.events.filter((e: any) => e.type === 'payment_recorded'));
  const collected = payments.filter((p: any) => p.paidOn >= from && p.paidOn <= to);
  const inPeriod = (e: any) => Date.parse(e.at) > sinceMs && Date.parse(e.at) <= untilMs;
  const notices = views.flatMap((v) => v.events.filter((e: any) => e.type === 'notice_sent' && inPeriod(e)));
  const noticesByStage: Record<string, number> = {};
  for (const n of notices) noticesByStage[n.stage] = (noticesByStage[n.stage] ?? 0) + 1;
  const ninety = open.filter((v) => dpd(v.dueDate) > 90);
  // Percent with 2 decimals, rounded half up, in integers.
  const pct = (n: number, d: number) => {
    const q = Math.floor((n * 10000 * 2 + d) / (2 * d));
    return `${Math.floor(q / 100)}.${String(q % 100).padStart(2, '0')}`;
  };
  return {
    open: { count: open.length, balance: euros(sum(open)) },
    aging,
    byStage,
    collected: { from, to, count: collected.length, amount: euros(collected.reduce((s: number, p: any) => s + cents(p.amount), 0)) },
    atRiskPercent: sum(open) > 0 ? pct(sum(ninety), sum(open)) : null,
    noticesByStage,
    paymentsReceived: payments.filter(inPeriod).length,
    openRows: open,
  };
}

describe("the accountants' digest and alerts (local mode)", () => {
  const local = useLocalSystem({ clockStart: START, accountantMail: true });

  it('sends one digest per business day whose figures agree with the dossiers to the cent; a bounce reaches the accountants in the same clock step', async () => {
    const { api, sys } = local;
    const store = await vault(sys);
    const ids: Record<string, string> = {};
    for (const [n, due, amount] of [
      ['DIG-A', '2026-03-20', '1250.00'],
      ['DIG-B', '2026-03-27', '860.40'],
      ['DIG-C', '2026-04-01', '2300.00'],
      ['DIG-D', '2026-01-10', '5000.00'],
      ['DIG-E', '2026-04-30', '199.99'],
      ['DIG-F', '2026-02-15', '730.05'],
    ] as const) {
      const r = await api.createInvoice(invoice({ invoiceNumber: n, issueDate: '2026-01-02', dueDate: due, amount, debtor: { ...invoice().debtor, siren: undefined, email: `${n.toLowerCase()}@debtor.example`, name: `Débiteur ${n} & fils` } }));
      expect(r.status).toBe(201);
      ids[n] = r.body.id;
    }
    const views = async () => Promise.all(Object.values(ids).map(async (id) => (await api.getInvoice(id)).body));

    const digestDays: string[] = [];
    let previousUntil: string | null = null;
    let bounceChecked = false;
    for (let day = '2026-04-07'; day <= '2026-05-12'; day = addDays(day, 1)) {
      const before = (await api.emails()).length;
      expect((await api.advanceTo(`${day}T06:00:00Z`)).status).toBe(200); // 08:00 in Paris (CEST)
      const fresh = (await api.emails()).slice(before);
      const digests = digestsIn(fresh);
      // One digest on each business day (not on weekends, 1 May or 8 May), at 07:30 Paris, to the accountants.
      expect(digests.length, day).toBe(isBusinessDay(day) ? 1 : 0);
      if (digests.length === 1) {
        digestDays.push(day);
        const mail = digests[0];
        expect(toAccountant(mail)).toBe(true);
        expect(new Date(mail.at * 1000).toISOString()).toBe(`${day}T05:30:00.000Z`);

        // The digest as the vault keeps it: its report (JSON) and its exact MIME bytes.
        const keys = await store.list(`digests/demo-creditor/${day}/`);
        const reportKey = keys.find((k) => k.includes('-report-'))!;
        const emlKey = keys.find((k) => k.includes('-digest-'))!;
        const { report, evidenceLines } = JSON.parse((await store.get(reportKey)).toString('utf8'));
        expect(report.period.until).toBe(`${day}T05:30:00.000Z`);
        if (previousUntil) expect(report.period.since).toBe(previousUntil); // "since" is the previous digest, never a fixed 24 h
        previousUntil = report.period.until;

        // Every figure, recomputed from the dossiers (nothing happens between 07:30 and 08:00).
        const now = await views();
        const expected = recompute(now, day, report.period.since, report.period.until);
        expect(report.portfolio.open, day).toEqual(expected.open);
        expect(report.portfolio.aging, day).toEqual(expected.aging);
        expect(report.portfolio.byStage, day).toEqual(expected.byStage);
        expect(report.portfolio.collected, day).toMatchObject(expected.collected);
        expect(report.portfolio.atRiskPercent, day).toBe(expected.atRiskPercent);
        expect(report.happened.noticesSent.byStage, day).toEqual(expected.noticesByStage);
        expect(report.happened.paymentsReceived.count, day).toBe(expected.paymentsReceived);
        // The evidence root: SHA-256 over the sorted "dossierId:headHash" lines the vault keeps with it.
        const { createHash } = await import('node:crypto');
        expect(report.evidence.root).toBe(createHash('sha256').update(evidenceLines.map((l: string) => `${l}\n`).join('')).digest('hex'));
        for (const line of evidenceLines) {
          const [id, hash] = line.split(':');
          const log = (await api.call('GET', `/invoices/${id}/evidence`)).body;
          // The head printed is a record of the dossier's chain (later records may follow it).
          expect(log.records.map((r: any) => r.hash), line).toContain(hash);
        }

        const parsed: ParsedMail = await simpleParser(await store.get(emlKey), { skipImageLinks: true });
        expect(parsed.subject).toBe(mail.subject);
        expect(parsed.headers.get('x-amiable-evidence-root')).toBe(report.evidence.root);
        const text = parsed.text ?? '';
        if (report.happened.empty) {
          expect(text.trim().split('\n'), day).toHaveLength(1);
          expect(parsed.attachments, day).toHaveLength(0);
        } else {
          // What the accountant reads agrees too: the open balance and every aging line of the text.
          const openLine = text.split('\n').find((l) => l.startsWith('Encours en recouvrement'))!;
          expect(frCents(openLine.split('\u00a0: ')[1].split(' (')[0]), day).toBe(cents(expected.open.balance));
          for (const [label, b] of [['Non échu', 0], ['1 à 30 jours', 1], ['31 à 60 jours', 2], ['61 à 90 jours', 3], ['Plus de 90 jours', 4]] as const) {
            const line = text.split('\n').find((l) => l.startsWith(`${label}\u00a0: `))!;
            expect(frCents(line.split('\u00a0: ')[1].split(' (')[0]), `${day} ${label}`).toBe(cents(expected.aging[b].balance));
          }
          expect(text).toContain(report.evidence.root);
          // The chart is an inline image the HTML shows by its Content-ID.
          const chart = parsed.attachments.find((a) => a.contentType === 'image/png')!;
          expect(chart.contentDisposition).toBe('inline');
          expect(chart.cid).toBe('aging-chart@amiable');
          expect([...chart.content.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
          expect(parsed.html).toContain('src="cid:aging-chart@amiable"');
          expect(parsed.html).not.toContain('<script');
          // The CSV opens in French Excel with the right columns: one row per open dossier.
          const csv = parsed.attachments.find((a) => a.filename?.endsWith('.csv'))!;
          const rows = parseCsv(csv.content);
          expect(rows[0]).toEqual(['Facture', 'Débiteur', 'Montant', 'Solde', 'Échéance', 'Jours de retard', 'Statut', 'Étape', 'Prochaine action', 'Date prochaine action']);
          expect(rows.slice(1).map((r) => r[0]).sort()).toEqual(expected.openRows.map((v) => v.invoiceNumber).sort());
          for (const r of rows.slice(1)) {
            const v = expected.openRows.find((x) => x.invoiceNumber === r[0]);
            expect(r, day).toHaveLength(10);
            expect(r[1]).toBe(`Débiteur ${r[0]} & fils`);
            expect(r[2]).toBe(v.amount.replace('.', ','));
            expect(r[3]).toBe(v.balance.replace('.', ','));
            expect(r[4]).toBe(v.dueDate.split('-').reverse().join('/'));
            expect(Number(r[5])).toBe(Math.max(0, (Date.parse(day) - Date.parse(v.dueDate)) / 86_400_000));
          }
        }
      }

      // Events of the weeks: payments, a dispute, a promise, a bounce (each after that morning's digest).
      if (day === '2026-04-09') expect((await api.pay(ids['DIG-A'], { amount: '400.00', paidOn: '2026-04-09', reference: 'VIR-A1' })).status).toBe(201);
      // Recorded three days after its payment date: listed as received in the next digest, but the
      // days it is dated in were already reported (collected is by payment date, each day once).
      if (day === '2026-04-16') expect((await api.pay(ids['DIG-A'], { amount: '100.00', paidOn: '2026-04-13', reference: 'VIR-A2' })).status).toBe(201);
      if (day === '2026-04-10') expect((await api.pay(ids['DIG-D'], { amount: '5000.00', paidOn: '2026-04-10', reference: 'VIR-D' })).status).toBe(201);
      if (day === '2026-04-14') {
        const before2 = (await api.emails()).length;
        const dispute = await api.call('POST', `/invoices/${ids['DIG-B']}/disputes`, { reason: 'Livraison incomplète <script>alert(1)</script>' });
        expect(dispute.status).toBe(201);
        const alerts = alertsIn((await api.emails()).slice(before2));
        expect(alerts.map((m) => m.subject)).toEqual([expect.stringMatching(/^\[Amiable\] Litige ouvert par le débiteur — DIG-B — /)]);
        expect(alerts[0].body.html).not.toContain('<script>');
        expect(alerts[0].body.html).toContain('&lt;script&gt;');
      }
      if (day === '2026-04-15') expect((await api.call('POST', `/invoices/${ids['DIG-F']}/promises`, { date: '2026-04-22', amount: '730.05' })).status).toBe(201);
      if (day === '2026-04-21') expect((await api.pay(ids['DIG-F'], { amount: '730.05', paidOn: '2026-04-21', reference: 'VIR-F' })).status).toBe(201);
      if (!bounceChecked) {
        const c = (await api.getInvoice(ids['DIG-C'])).body;
        const sent = c.events.find((e: any) => e.type === 'notice_sent');
        if (sent) {
          // The bounce is recorded at the simulated now; the alert goes out at that same instant.
          const now = (await api.now()).body.now;
          const before3 = (await api.emails()).length;
          const bounced = await api.call('POST', '/_local/ses/events', { messageId: sent.messageId, type: 'Bounce', bounceType: 'Permanent', diagnosticCode: 'smtp; 550 5.1.1 user unknown' });
          expect(bounced.status).toBe(202);
          const alerts = alertsIn((await api.emails()).slice(before3));
          expect(alerts).toHaveLength(1);
          expect(alerts[0].subject).toMatch(/^\[Amiable\] Adresse e-mail du débiteur en échec définitif — DIG-C — /);
          expect(toAccountant(alerts[0])).toBe(true);
          expect(new Date(alerts[0].at * 1000).toISOString()).toBe(now);
          expect(alerts[0].body.text).toContain('dig-c@debtor.example');
          expect(alerts[0].body.text).toContain(`POST /invoices/${ids['DIG-C']}/resume`);
          // Once per event: the same SES event again alerts no one.
          await api.call('POST', '/_local/ses/events', { messageId: sent.messageId, type: 'Bounce', bounceType: 'Permanent', diagnosticCode: 'smtp; 550 5.1.1 user unknown' });
          expect(alertsIn((await api.emails()).slice(before3))).toHaveLength(1);
          // Kept in the vault like any message.
          expect((await store.list('digests/demo-creditor/alerts/')).some((k) => k.includes(ids['DIG-C']) && k.includes('hard_bounce'))).toBe(true);
          bounceChecked = true;
        }
      }
    }
    expect(bounceChecked).toBe(true);
    // 7 April - 12 May 2026: 26 weekdays, less 1 May and 8 May (Fridays).
    expect(digestDays).toHaveLength(24);
    expect(digestDays).not.toContain('2026-05-01');
    expect(digestDays).not.toContain('2026-05-08');

    // The digests listed what happened, each in the period it happened in.
    const reports = await Promise.all(
      digestDays.map(async (day) => {
        const keys = await store.list(`digests/demo-creditor/${day}/`);
        return JSON.parse((await store.get(keys.find((k) => k.includes('-report-'))!)).toString('utf8')).report;
      }),
    );
    const all = (pick: (r: any) => any[]) => reports.flatMap(pick);
    expect(all((r) => r.happened.paymentsReceived.items).map((p) => p.reference).sort()).toEqual(['VIR-A1', 'VIR-A2', 'VIR-D', 'VIR-F']);
    expect(all((r) => r.happened.disputesOpened.items).map((d) => d.invoiceNumber)).toEqual(['DIG-B']);
    expect(all((r) => r.happened.bounces.items).map((d) => d.invoiceNumber)).toEqual(['DIG-C']);
    expect(all((r) => r.happened.promisesAgreed.items).map((d) => d.invoiceNumber)).toEqual(['DIG-F']);
    expect(all((r) => r.happened.newDossiers.items)).toHaveLength(6);
    const last = reports.at(-1);
    expect(last.attention.needsAttention.items.map((x: any) => x.invoiceNumber)).toEqual(['DIG-C']);
    expect(last.attention.needsAttention.items[0].reason).toMatch(/hard bounce/);
    expect(last.attention.openDisputes.items.map((x: any) => x.invoiceNumber)).toEqual(['DIG-B']);
    // Collected periods are consecutive days, each counted once: their sum is every payment dated in them.
    const collected = reports.reduce((s, r) => s + cents(r.portfolio.collected.amount), 0);
    expect(euros(collected)).toBe('6130.05');
    store.close();
    // Weeks of simulated days with their digests and alerts: it went past the default 120 s with
    // the two cores shared by a dozen other test runs (load average ~20); 300 s leaves room for that.
  }, 300_000);

  it('sends one now on POST /_local/digest; an empty period gives a one-line digest; alerts beyond 10 an hour roll into the next digest', async () => {
    const { api } = local;
    const first = await api.digestNow('demo-creditor');
    expect(first.status).toBe(200);
    expect(first.body.sent).toEqual([{ creditorId: 'demo-creditor', messageId: expect.any(String) }]);
    // Nothing happens between two digests at the same instant: one line.
    const again = await api.digestNow();
    const mail = (await api.emails()).find((m) => m.messageId === again.body.sent[0].messageId);
    expect(mail.body.text.trim().split('\n')).toHaveLength(1);
    expect(mail.body.text).toMatch(/^Rien de nouveau depuis le /);
    expect((await api.call('POST', '/_local/digest', { creditorId: 'nobody-here' })).status).toBe(404);
    expect((await api.call('POST', '/_local/digest', { creditorId: 'Bad Id' })).status).toBe(400);

    // Twelve disputes in one hour: ten alerts, two deferred to the next digest.
    await api.advance('PT1M');
    const before = (await api.emails()).length;
    for (let i = 0; i < 12; i++) {
      const r = await api.createInvoice(invoice({ invoiceNumber: `BURST-${i}`, issueDate: '2026-04-01', dueDate: '2026-05-30' }));
      expect((await api.call('POST', `/invoices/${r.body.id}/disputes`, { reason: `burst ${i}` })).status).toBe(201);
    }
    expect(alertsIn((await api.emails()).slice(before))).toHaveLength(10);
    const next = await api.digestNow('demo-creditor');
    const digest = (await api.emails()).find((m) => m.messageId === next.body.sent[0].messageId);
    expect(digest.body.text).toContain('Alertes non envoyées sur le moment (limite horaire atteinte) (2)');
    const summary = (await api.call('GET', `/reports/summary?since=${encodeURIComponent('2026-05-12T06:00:00Z')}`)).body;
    expect(summary.attention.deferredAlerts.count).toBe(2);
    expect(summary.happened.disputesOpened.count).toBe(12);
  });
});
