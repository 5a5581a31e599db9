import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PROFILE_PATH } from '../../local/creditor-profile';
import { startLocalSystem, LocalSystem } from '../../local/system';
import { client, invoice } from '../support/local-client';

/** A collection agency acting for the creditor (CPCE R124-4), through the whole escalation. */
describe('agency mode end to end', () => {
  let sys: LocalSystem;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-agency-'));

  beforeAll(async () => {
    const profile = JSON.parse(fs.readFileSync(DEMO_PROFILE_PATH, 'utf8'));
    profile.agency = {
      legalName: 'Recouvrement Rhône SAS',
      address: { line1: '5 quai Saint-Antoine', postalCode: '69002', city: 'Lyon', country: 'FR' },
    };
    fs.writeFileSync(path.join(dir, 'agency.json'), JSON.stringify(profile));
    sys = await startLocalSystem({ clockStart: '2026-04-04T10:00:00Z', profilePath: path.join(dir, 'agency.json'), accountantMail: false });
  });
  afterAll(async () => {
    await sys?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends the R124-4 first letter, then repeats its reference in every later notice', async () => {
    const api = client(sys);
    const { body } = await api.createInvoice(invoice({ invoiceNumber: 'AG-1' }));
    await api.advance('P45D');
    const v = (await api.getInvoice(body.id)).body;
    expect(v.status).toBe('handed_off');
    const mails = await api.emails();
    expect(mails).toHaveLength(4);
    const first = mails[0].body.text as string;
    expect(first).toContain('Recouvrement Rhône SAS');
    expect(first).toMatch(/L\.?\s?111-8/);
    // The readable reference of the first letter (invoice based), never the internal dossier id.
    const reference = 'AG-1-R1';
    for (const m of mails.slice(1, 3)) expect(m.body.text).toContain(reference);
    // No internal id in what people read; the hand-off's presigned bundle link is an opaque address
    // (bundles/<dossierId>/…, the vault's layout) and is left out of the check.
    for (const m of mails) expect((m.body.text as string).replace(/https?:\/\/\S+/g, '<link>')).not.toContain(body.id);
  });
});
