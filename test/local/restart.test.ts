import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalSystem } from '../../local/system';
import { client, invoice } from '../support/local-client';

/** A clean stop and a restart on the same data dir resume every dossier where it stood. */
describe('restart in local mode', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-restart-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('keeps clock, key and dossiers; nothing skipped, nothing sent twice', async () => {
    let sys = await startLocalSystem({ dataDir, clockStart: '2026-04-04T10:00:00Z' });
    let api = client(sys);
    const key = sys.apiKey;
    const { body } = await api.createInvoice(invoice({ invoiceNumber: 'RESTART-1' }));
    await api.advanceTo('2026-04-10T12:00:00Z');
    expect((await api.getInvoice(body.id)).body.stage).toBe('first_reminder');
    await sys.stop();

    sys = await startLocalSystem({ dataDir, clockStart: '2030-01-01T00:00:00Z' });
    api = client(sys);
    try {
      expect(sys.apiKey).toBe(key); // saved in the data dir
      expect((await api.now()).body.now).toBe('2026-04-10T12:00:00.000Z'); // the saved clock wins
      const parked = sys.engine.list().find((r) => r.status === 'RUNNING');
      expect(parked?.parked?.state).toBe('WaitForFormalReminder');
      await api.advance('P60D');
      const v = (await api.getInvoice(body.id)).body;
      expect(v.status).toBe('handed_off');
      const stages = v.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => e.stage);
      expect(stages).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
      // The SES emulator's outbox is in memory: after the restart it holds the three later notices.
      expect(await api.emails()).toHaveLength(3);
    } finally {
      await sys.stop();
    }
  });
});
