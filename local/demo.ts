/**
 * `npm run demo`: local mode in a fresh temporary data dir; three sample invoices pushed over HTTP;
 * the simulated clock advanced through the whole escalation (one invoice paid after the first
 * reminder and receipted, two going further, one of them after a broken promise to pay); a readable timeline per invoice; every e-mail saved as .eml (and
 * its PDFs) from the evidence bucket into a folder; the accountants' morning digest of each
 * business day, the last full one saved with its chart and CSV. Exits non-zero if the story did not
 * happen.
 */
import { verifyZip } from '../cli/verify';
import './polyfills';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { simpleParser } from 'mailparser';
import { startLocalSystem } from './system';
import { isBusinessDay, localTimeToInstant } from '../lambdas/domain/calendar';

const CLOCK_START = '2026-03-30T08:00:00Z';

const business = (name: string, email: string, postalCode: string, city: string, siren?: string) => ({
  kind: 'business',
  name,
  email,
  language: 'fr',
  siren,
  address: { line1: '3 place du Marché', postalCode, city, country: 'FR' },
});

const INVOICES = [
  {
    invoiceNumber: 'F-2026-0101',
    issueDate: '2026-02-25',
    dueDate: '2026-03-27',
    amount: '1250.00',
    currency: 'EUR',
    description: 'Luminaires sur mesure, lot 1',
    debtor: business('Boulangerie Dupont SARL', 'compta@boulangerie-dupont.example', '75011', 'Paris', '732829320'),
  },
  {
    invoiceNumber: 'F-2026-0102',
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
    amount: '8400.00',
    currency: 'EUR',
    description: 'Installation éclairage, hall d’accueil',
    debtor: business('Hôtel des Vosges SAS', 'factures@hotel-vosges.example', '57000', 'Metz'),
  },
  {
    invoiceNumber: 'F-2026-0103',
    issueDate: '2026-03-03',
    dueDate: '2026-04-02',
    amount: '480.00',
    currency: 'EUR',
    description: 'Lamp repair and delivery',
    debtor: {
      kind: 'consumer',
      name: 'Emily Carter',
      email: 'emily.carter@mail.example',
      language: 'en',
      address: { line1: '8 quai de la Fosse', postalCode: '44000', city: 'Nantes', country: 'FR' },
    },
  },
];

async function main(): Promise<void> {
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-demo-'));
  const outDir = path.resolve(process.env.AMIABLE_DEMO_OUT || path.join('out', 'demo'));
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });

  const sys = await startLocalSystem({ dataDir, clockStart: CLOCK_START });
  const call = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(sys.apiUrl + p, {
      method,
      headers: { 'content-type': 'application/json', 'x-api-key': sys.apiKey },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json: any = await res.json();
    if (res.status >= 400) throw new Error(`${method} ${p} -> ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const say = (line: string) => console.log(line);
  let failures = 0;
  const check = (ok: boolean, what: string) => {
    if (!ok) failures++;
    say(`  ${ok ? 'ok ' : 'FAIL'} ${what}`);
  };

  try {
    say(`Amiable demo — simulated clock starts at ${CLOCK_START}; data in ${dataDir}`);
    const ids: string[] = [];
    for (const inv of INVOICES) {
      const view = await call('POST', '/invoices', inv);
      ids.push(view.id);
      say(`  pushed ${inv.invoiceNumber} (${inv.amount} EUR, due ${inv.dueDate}) -> ${view.id}, first reminder ${view.nextAction?.at}`);
    }

    // Until just after the first reminders, then the first debtor pays in full.
    let now = (await call('POST', '/_local/clock', { to: '2026-04-06T12:00:00Z' })).now;
    say(`\nclock -> ${now}`);
    await call('POST', `/invoices/${ids[0]}/payments`, { amount: '1250.00', paidOn: '2026-04-06', reference: 'VIR-2026-0406-01' });
    say(`  ${INVOICES[0].invoiceNumber} paid in full by transfer VIR-2026-0406-01`);

    now = (await call('POST', '/_local/clock', { to: '2026-04-24T12:00:00Z' })).now;
    say(`clock -> ${now}`);
    await call('POST', `/invoices/${ids[2]}/payments`, { amount: '100.00', paidOn: '2026-04-23', reference: 'CB-5531' });
    say(`  ${INVOICES[2].invoiceNumber}: partial payment of 100.00 EUR (card CB-5531)`);
    const promise = await call('POST', `/invoices/${ids[2]}/promises`, { date: '2026-05-05', amount: '380.00' });
    say(`  ${INVOICES[2].invoiceNumber}: the debtor promises the remaining 380.00 EUR by 2026-05-05 (checked ${promise.promise.checkAt}); escalation paused`);

    now = (await call('POST', '/_local/clock', { advance: 'P60D' })).now;
    say(`clock -> ${now}\n`);

    for (let i = 0; i < ids.length; i++) {
      const v = await call('GET', `/invoices/${ids[i]}`);
      say(`${v.invoiceNumber}  status=${v.status}  stage=${v.stage ?? '-'}  balance=${v.balance} EUR`);
      for (const e of v.events) {
        const extra = e.stage
          ? ` ${e.stage}`
          : e.kind
            ? ` ${e.kind}`
            : e.type === 'payment_recorded'
              ? ` ${e.amount} EUR (${e.reference}), balance ${e.balance}`
              : e.type === 'promise_recorded'
                ? ` ${e.amount} EUR by ${e.date}`
                : e.reason
                  ? ` ${e.reason}`
                  : '';
        say(`  ${e.at}  ${e.type}${extra}`);
      }
      say('');
    }

    // Checks: the story the demo promises.
    const [paid, escalated, partial] = await Promise.all(ids.map((id) => call('GET', `/invoices/${id}`)));
    const sentStages = (v: any) => v.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => e.stage);
    check(paid.status === 'paid' && sentStages(paid).join() === 'first_reminder', `${paid.invoiceNumber}: paid after the first reminder, no notice after payment`);
    const afterPayment = paid.events.slice(paid.events.findIndex((e: any) => e.type === 'paid'));
    check(!afterPayment.some((e: any) => e.type === 'notice_sent'), `${paid.invoiceNumber}: nothing sent after the payment`);
    const all4 = 'first_reminder,formal_reminder,formal_notice,litigation_handoff';
    check(escalated.status === 'handed_off' && sentStages(escalated).join() === all4, `${escalated.invoiceNumber}: all four stages, handed off`);
    check(partial.events.some((e: any) => e.type === 'promise_broken'), `${partial.invoiceNumber}: promise to pay broken, escalation resumed`);
    check(partial.status === 'handed_off' && partial.balance === '380.00', `${partial.invoiceNumber}: escalated on the remaining 380.00 EUR`);
    const receipts = paid.events.filter((e: any) => e.kind === 'payment_receipt').length;
    check(receipts === 1, `${paid.invoiceNumber}: one payment receipt, the only message after payment`);

    // The auditor's view of the escalated dossier: its evidence bundle, downloaded by its link, verified offline.
    const issued = await call('POST', `/invoices/${ids[1]}/evidence-bundle`);
    const zip = new Uint8Array(await (await fetch(issued.url)).arrayBuffer());
    const bundleFile = path.join(outDir, `${INVOICES[1].invoiceNumber}-evidence-bundle.zip`);
    fs.writeFileSync(bundleFile, zip);
    const verified = verifyZip(zip, issued.head.hash);
    say(`\nEvidence bundle of ${INVOICES[1].invoiceNumber}: ${issued.records} records, ${(issued.size / 1024).toFixed(1)} KiB -> ${bundleFile}`);
    say(`  npx amiable verify ${path.relative(process.cwd(), bundleFile)} --head ${issued.head.hash}`);
    say(`  ${verified.lines.join('\n  ')}`);
    check(verified.exitCode === 0 && issued.records === escalated.events.length, `${escalated.invoiceNumber}: evidence bundle verifies, one record per history entry`);

    // The accountants' morning digests: one per business day the clock went through, at 07:30 Paris.
    const digests = await saveLastDigest(outDir, sys.synthesized.bucketName);
    const mornings = businessMornings(CLOCK_START, now);
    say(`\nAccountants' digests: ${digests.count} (business days ${mornings}); the last full one -> ${digests.file}`);
    check(digests.count === mornings, 'one digest to the accountants per business day, none on weekends or public holidays');

    const saved = await saveEvidence(outDir, sys.synthesized.bucketName, [paid, escalated, partial]);
    const mails = ((await (await fetch(`${sys.sesUrl}/store`)).json()) as any).emails.length;
    say(`\nE-mails sent (SES emulator): ${mails}`);
    say(`Evidence objects (S3, Object Lock enforced by the local S3 layer): ${saved.objects}`);
    say(`Saved ${saved.emls} .eml and ${saved.pdfs} PDF files into ${outDir}`);
    say(`Wall time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await sys.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (failures) {
    console.error(`\n${failures} demo check(s) failed`);
    process.exit(1);
  }
  process.exit(0);
}

/**
 * Copies every message from the evidence bucket (the exact bytes sent) and extracts its PDFs, named
 * by invoice number, order and stage (or follow-up kind): F-2026-0102_03_formal_notice.eml, then
 * F-2026-0102_03_formal_notice_<attachment>.pdf. Also counts every evidence object.
 */
async function saveEvidence(outDir: string, bucket: string, views: any[]): Promise<{ objects: number; emls: number; pdfs: number }> {
  const s3 = new S3Client({ forcePathStyle: true });
  let objects = 0;
  let emls = 0;
  let pdfs = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    objects += (page.Contents ?? []).length;
    token = page.NextContinuationToken;
  } while (token);
  for (const v of views) {
    const messages = v.events.filter((e: any) => typeof e.evidenceKey === 'string' && /\.eml(\.gz)?$/.test(e.evidenceKey));
    for (const [i, e] of messages.entries()) {
      const what = String(e.stage ?? e.kind ?? e.type);
      const base = `${fileSafe(v.invoiceNumber)}_${String(i + 1).padStart(2, '0')}_${fileSafe(what)}`;
      const stored = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: e.evidenceKey }))).Body!.transformToByteArray());
      // A message kept in Standard is gzipped in the vault (entry encoding: gzip); the .eml is the message as sent.
      const body = e.encoding === 'gzip' ? gunzipSync(stored) : stored;
      fs.writeFileSync(path.join(outDir, `${base}.eml`), body);
      emls++;
      const parsed = await simpleParser(body);
      for (const a of parsed.attachments) {
        if (a.contentType === 'application/pdf') {
          fs.writeFileSync(path.join(outDir, `${base}_${fileSafe(a.filename ?? 'letter.pdf')}`), a.content);
          pdfs++;
        }
      }
    }
  }
  s3.destroy();
  return { objects, emls, pdfs };
}

/** Business days (Paris) whose 07:30 falls after `from` and not after `to`. */
function businessMornings(from: string, to: string): number {
  let n = 0;
  for (let d = from.slice(0, 10); d <= to.slice(0, 10); d = new Date(Date.parse(`${d}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
    const at = Date.parse(localTimeToInstant(d, '07:30', 'Europe/Paris'));
    if (at > Date.parse(from) && at <= Date.parse(to) && isBusinessDay(d)) n++;
  }
  return n;
}

/** Counts the digests kept in the vault and saves the last full one (with its chart and CSV). */
async function saveLastDigest(outDir: string, bucket: string): Promise<{ count: number; file: string }> {
  const s3 = new S3Client({ forcePathStyle: true });
  const digests: { Key?: string; Size?: number }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'digests/demo-creditor/', ContinuationToken: token }));
    digests.push(...(page.Contents ?? []).filter((o) => /\/\d{4}-\d{2}-\d{2}\/[^/]+-digest-[0-9a-f]+\.eml$/.test(o.Key ?? '')));
    token = page.NextContinuationToken;
  } while (token);
  // One-line digests (nothing happened) have no attachments and are small.
  const full = digests.filter((o) => (o.Size ?? 0) > 8192).sort((a, b) => a.Key!.localeCompare(b.Key!)).pop();
  let file = '(none)';
  if (full) {
    const date = full.Key!.split('/')[2];
    const body = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: full.Key! }))).Body!.transformToByteArray());
    file = path.join(outDir, `digest_${date}.eml`);
    fs.writeFileSync(file, body);
    for (const a of (await simpleParser(body)).attachments) fs.writeFileSync(path.join(outDir, `digest_${date}_${fileSafe(a.filename ?? 'part')}`), a.content);
  }
  s3.destroy();
  return { count: digests.length, file };
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
