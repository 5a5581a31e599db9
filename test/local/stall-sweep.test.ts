import { describe, expect, it } from 'vitest';
import { resetClients, setClientHook } from '../../lambdas/adapters/aws-clients';
import { metricTotal } from '../../lambdas/adapters/telemetry';
import { sweepCursor } from '../../lambdas/adapters/stall-candidates';
import { loadHandler } from '../../local/handlers';
import { adminClient, creditorProfile } from '../support/admin-client';
import { dyingCall, heal, runsOf } from '../support/lambda-death';
import { invoice, useLocalSystem } from '../support/local-client';

/**
 * The stall sweep (lib/stall-sweep.ts, services/stall-sweep.ts), fired by the simulated
 * clock from the template's schedule (local/scheduler.ts), on the real pipeline:
 * - a dispute resolved while the old execution had already ended (the dispute stopped it): the
 *   regenerate's Lambda dies between writing the successor's name and starting it. No stop event
 *   follows (nothing was running), so neither the execution-status rule nor a stale task can start
 *   it: only the sweep does, once the dossier's next action is overdue by more than an hour;
 * - a dossier whose execution was stopped by hand while the execution-status rule's event was lost
 *   (it failed its three deliveries: AWS's dead-letter queue): the sweep cannot restart an ended
 *   execution's name, so it flags the dossier needs_attention, which alerts the accountants; the
 *   resume of that flagged dossier dies before its start too (its old execution had ended): the
 *   next sweep starts it.
 */
const CLOCK_START = '2026-04-04T10:00:00Z';
const ACCOUNTANT = 'expert-comptable@cabinet-durand.example';

describe('the stall sweep', () => {
  // 'report': the simulated death answers 500, which a crashed Lambda gives and no contract documents.
  const local = useLocalSystem({ clockStart: CLOCK_START, accountantMail: true, stallSweep: true }, 'report');

  it('starts the successor a dying dispute resolution never started; the dossier reaches its next notice, nothing flagged, nothing twice', async () => {
    const { api, sys } = local;
    const id = (await api.createInvoice(invoice({ invoiceNumber: 'STALL-DISPUTE' }))).body.id as string;
    await api.advanceTo('2026-04-08T12:00:00Z');
    const opened = await api.call('POST', `/invoices/${id}/disputes`, { reason: 'La prestation de mars n’a pas été livrée en totalité.' });
    expect(opened.status).toBe(201);
    const [first] = runsOf(sys, id);
    expect(first.status).toBe('ABORTED');
    await api.advanceTo('2026-04-09T12:00:00Z');
    const successor = `${first.name}-2`;
    const restartedBefore = metricTotal('StalledDossiersRestarted');
    const { made, seen } = await dyingCall(sys, successor, () =>
      api.call('POST', `/invoices/${id}/disputes/${opened.body.dispute.id}/resolve`, { outcome: 'rejected', reasons: 'La prestation a été livrée conforme au bon de commande.' }),
    );
    expect(made.status).toBe(500);
    expect(seen.starts).toBe(1);
    // Stored: the dossier waits on generation 2, which does not exist, and nothing else will start it.
    let view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('active');
    const due = view.nextAction as { stage: string; at: string };
    expect(due.stage).toBe('formal_reminder');
    expect(sys.engine.list().some((r) => r.name === successor)).toBe(false);

    // Due 07:00Z; the sweep of 06:41 found it not yet due, and none fires within the hour's grace.
    expect(due.at).toMatch(/T07:00:00.000Z$/);
    await api.advanceTo(new Date(Date.parse(due.at) + 60 * 60_000).toISOString());
    expect(sys.engine.list().some((r) => r.name === successor)).toBe(false);
    // The next sweep (12:41Z, every 6 hours) starts it under its recorded name; its Wait is past: it sends at once.
    await api.advanceTo(new Date(Date.parse(due.at) + 8 * 3_600_000).toISOString());
    expect(metricTotal('StalledDossiersRestarted')).toBe(restartedBefore + 1);
    const runs = runsOf(sys, id);
    expect(runs.map((r) => [r.name, r.status])).toEqual([
      [first.name, 'ABORTED'],
      [successor, 'RUNNING'],
    ]);
    expect(runs[1].input).toEqual({ dossierId: id, next: due });
    const startedAt = Date.parse(runs[1].startDate);
    expect(new Date(startedAt).toISOString()).toBe(due.at.replace('T07:00', 'T12:41'));
    view = (await api.getInvoice(id)).body;
    const formal = view.events.filter((e: any) => e.type === 'notice_sent' && e.stage === 'formal_reminder');
    expect(formal).toHaveLength(1);

    // The successor carries the escalation to the hand-off: each notice once, never flagged.
    await api.advance('P60D');
    view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('handed_off');
    const stages = view.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => e.stage);
    expect(stages).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
    expect(view.events.map((e: any) => e.type)).not.toContain('needs_attention');
    expect(runsOf(sys, id).filter((r) => r.name === successor)).toHaveLength(1);
    expect(metricTotal('StalledDossiersRestarted')).toBe(restartedBefore + 1);
  }, 240_000);

  it('flags a dossier whose execution ended unheard of, and the accountants are alerted; a resume that dies is started by the next sweep', async () => {
    const { api, sys } = local;
    const id = (await api.createInvoice(invoice({ invoiceNumber: 'STALL-ENDED' }))).body.id as string;
    await api.advance('PT1H');
    let view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('active');
    const due = view.nextAction as { stage: string; at: string };
    const [first] = runsOf(sys, id);
    expect(first.status).toBe('RUNNING');
    const flaggedBefore = metricTotal('StalledDossiersFlagged');

    // Stopped by hand (the console) while the execution-status rule cannot read the table: its three
    // deliveries fail and the event is dropped (on AWS: its dead-letter queue, which alarms the
    // operator, but the dossier is not flagged and the accountants know nothing).
    setClientHook((service, c: any) => {
      if (service !== 'dynamodb') return;
      c.middlewareStack.add(
        () => async () => {
          throw Object.assign(new Error('table unavailable'), { name: 'SimulatedOutage', $fault: 'client' });
        },
        { step: 'initialize', name: 'outage' },
      );
    });
    resetClients();
    try {
      sys.engine.stop(first.arn, 'Operator', 'stopped by hand in the console');
      await sys.executionEvents.idle();
    } finally {
      heal();
    }
    const lost = sys.executionEvents.delivered.find((d) => d.event.detail.name === first.name);
    expect(lost?.error).toMatch(/table unavailable/);
    view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('active');

    await api.advanceTo(new Date(Date.parse(due.at) + 8 * 3_600_000).toISOString());
    view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('needs_attention');
    const flag = view.events.filter((e: any) => e.type === 'needs_attention');
    expect(flag).toHaveLength(1);
    expect(flag[0].reason).toBe(`workflow ${first.name} ended ABORTED while the dossier still waits on it; its next action is overdue and nothing will wake the dossier up (stall sweep)`);
    expect(metricTotal('StalledDossiersFlagged')).toBe(flaggedBefore + 1);
    // Nothing was started under the ended execution's name, nor beside it.
    expect(runsOf(sys, id).map((r) => [r.name, r.status])).toEqual([[first.name, 'ABORTED']]);
    // The accountants' immediate alert (the table's stream, accountant-alerts), naming the invoice.
    const alerts = (await api.emails()).filter((m: any) => JSON.stringify(m.destination).includes(ACCOUNTANT) && JSON.stringify(m).includes('STALL-ENDED'));
    expect(alerts.length).toBeGreaterThan(0);

    // A later sweep leaves the flagged dossier alone (it no longer waits).
    await api.advance('PT12H');
    expect(metricTotal('StalledDossiersFlagged')).toBe(flaggedBefore + 1);
    // A person resumes it, and that Lambda dies too, between its write and the start: the old execution
    // had already ended, so no stop event follows; the next sweep starts the recorded generation 2.
    const restartedBefore = metricTotal('StalledDossiersRestarted');
    const successor = `${first.name}-2`;
    const { made } = await dyingCall(sys, successor, () => api.call('POST', `/invoices/${id}/resume`, { note: 'relance après arrêt manuel' }));
    expect(made.status).toBe(500);
    view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('active');
    expect(sys.engine.list().some((r) => r.name === successor)).toBe(false);
    await api.advance('P1D');
    expect(metricTotal('StalledDossiersRestarted')).toBe(restartedBefore + 1);
    expect(runsOf(sys, id).map((r) => [r.name, r.status])).toEqual([
      [first.name, 'ABORTED'],
      [successor, 'RUNNING'],
    ]);
    view = (await api.getInvoice(id)).body;
    expect(view.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => e.stage)).toContain(due.stage);
    expect(view.events.filter((e: any) => e.type === 'needs_attention')).toHaveLength(1);
  }, 240_000);
});

describe('a stall sweep that runs out of time', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('stores the last creditor it finished; the next run starts after it and clears the mark', async () => {
    const { sys } = local;
    expect((await adminClient(sys).call('POST', '/admin/creditors', creditorProfile({ id: 'zz-second-creditor' }))).status).toBe(201);
    const sweep = await loadHandler('stall-sweep');
    const full = await sweep({ source: 'amiable.stall-sweep' }, { getRemainingTimeInMillis: () => 290_000 });
    expect(full).toMatchObject({ creditors: 2, unfinished: false, errors: 0, restarted: 0, flagged: 0 });
    expect(await sweepCursor()).toBeNull();
    // Time for one creditor only: the run stops before the second and says where.
    let left = 1;
    const short = await sweep({ source: 'amiable.stall-sweep' }, { getRemainingTimeInMillis: () => (left-- > 0 ? 290_000 : 5_000) });
    expect(short).toMatchObject({ creditors: 1, unfinished: true });
    expect(await sweepCursor()).toBe(sys.creditorId);
    const resumed = await sweep({ source: 'amiable.stall-sweep' }, { getRemainingTimeInMillis: () => 290_000 });
    expect(resumed).toMatchObject({ creditors: 1, unfinished: false });
    expect(await sweepCursor()).toBeNull();
  }, 120_000);
});
