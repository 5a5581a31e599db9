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
    let sys = await startLocalSystem({ dataDir, clockStart: '2026-04-04T10:00:00Z', accountantMail: false });
    let api = client(sys);
    const key = sys.apiKey;
    const { body } = await api.createInvoice(invoice({ invoiceNumber: 'RESTART-1' }));
    const onPlan = (await api.createInvoice(invoice({ invoiceNumber: 'RESTART-2' }))).body;
    await api.advanceTo('2026-04-10T12:00:00Z');
    expect((await api.getInvoice(body.id)).body.stage).toBe('first_reminder');
    const plan = await api.call('POST', `/invoices/${onPlan.id}/payment-plan`, {
      instalments: [
        { dueDate: '2026-05-05', amount: '625.00' },
        { dueDate: '2026-06-05', amount: '625.00' },
      ],
    });
    expect(plan.status).toBe(201);
    await sys.stop();

    sys = await startLocalSystem({ dataDir, clockStart: '2030-01-01T00:00:00Z', accountantMail: false });
    api = client(sys);
    try {
      expect(sys.apiKey).toBe(key); // saved in the data dir
      expect((await api.now()).body.now).toBe('2026-04-10T12:00:00.000Z'); // the saved clock wins
      const parked = sys.engine.list().filter((r) => r.status === 'RUNNING');
      expect(parked.map((r) => r.parked?.state).sort()).toEqual(['WaitForFormalReminder', 'WaitForInstalmentReminder']);
      await api.advance('P60D');
      const v = (await api.getInvoice(body.id)).body;
      expect(v.status).toBe('handed_off');
      const stages = v.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => e.stage);
      expect(stages).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
      // The SES emulator's outbox is in memory: after the restart it holds the three later notices.
      expect((await api.emails()).filter((m: any) => /RESTART-1/.test(m.subject))).toHaveLength(3);

      // The plan resumed at its checkpoint: reminder on Monday 4 May (2 May is a Saturday), the
      // instalment of 5 May missed (checked Thursday 7 May), escalation resumed on the spot.
      const p = (await api.getInvoice(onPlan.id)).body;
      expect(p.events.find((e: any) => e.kind === 'instalment_reminder')?.at).toBe('2026-05-04T07:00:00.000Z');
      expect(p.events.find((e: any) => e.type === 'payment_plan_broken')?.at).toBe('2026-05-07T07:00:00.000Z');
      const sent = p.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => [e.stage, e.at.slice(0, 10)]);
      expect(sent).toEqual([
        ['first_reminder', '2026-04-07'],
        ['formal_reminder', '2026-05-07'],
        ['formal_notice', '2026-05-22'],
        ['litigation_handoff', '2026-06-02'],
      ]);
      // Four checkpoints planned: the route entered the chain of checkpoints four reviews before its
      // end (the names of the run of four before the chain, where the execution waited across the
      // restart); the check that broke the plan handed the dossier to a new execution and stopped
      // its own (the two pairs after it not run), and the new one's route took the escalation back
      // into the chain of stages.
      const run = sys.engine.list().find((r) => r.name.endsWith('-2'))!;
      expect(run).toMatchObject({ status: 'ABORTED', cause: 'new_generation' });
      expect(run.trail).toEqual(['RouteToNextStage', 'WaitForInstalmentReminder', 'ReviewInstalmentReminder', 'WaitForInstalmentCheck', 'ReviewInstalmentCheck']);
      const resumed = sys.engine.list().find((r) => r.name === run.name.replace(/-2$/, '-3'))!;
      expect(resumed.trail).toEqual([
        ...['RouteToNextStage', 'WaitForFormalReminder', 'SendFormalReminder', 'WaitForFormalNotice', 'SendFormalNotice'],
        ...['WaitForGracePeriodEnd', 'SendLitigationHandoff'],
      ]);
      // The dossier parked across the restart went on down the chain from where it waited.
      const first = sys.engine.list().find((r) => r.input?.dossierId === body.id)!;
      expect(first.trail).toEqual([
        ...['RouteToNextStage', 'WaitForFirstReminder', 'SendFirstReminder', 'WaitForFormalReminder', 'SendFormalReminder'],
        ...['WaitForFormalNotice', 'SendFormalNotice', 'WaitForGracePeriodEnd', 'SendLitigationHandoff'],
      ]);
    } finally {
      await sys.stop();
    }
    // Two starts of local mode and 60 simulated days of escalation: 99.5 s measured with the
    // machine's two cores shared by a dozen other test runs (load average ~20), against the
    // default 120 s. Twice that, rounded up.
  }, 240_000);
});
