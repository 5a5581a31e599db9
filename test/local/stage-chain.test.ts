import { describe, expect, it } from 'vitest';
import { metricTotal } from '../../lambdas/adapters/telemetry';
import { loadHandler } from '../../local/handlers';
import { client, invoice, useLocalSystem } from '../support/local-client';

/**
 * The stages are a chain (lib/dunning-workflow.ts): RouteToNextStage once, then each send followed
 * by the following stage's Wait with no Choice in between. What that design must keep:
 * - a send that ends the course early stops its own execution (after handing the dossier to a new
 *   one when it goes on), so none of the stages left runs or is paid for, and the execution-status
 *   rule sees the product's own stop (execution-continuation.ts endChainEarly); a send that follows
 *   an ending all the same (a stop that failed) passes it through without touching the dossier or
 *   mailing anyone (step-outcome.ts passedThrough);
 * - a new execution resumes at any stage: the route jumps into the chain at that stage's Wait;
 * - a send whose dossier goes on to anything but the following stage never lets the chain run the
 *   following stage's send: the dossier moves to a new execution, or a stale execution just stops,
 *   starting nothing (execution-continuation.ts continueOnChain).
 * None of these stops counts as an unexpected end (ExecutionsEndedUnexpectedly).
 */
const CLOCK_START = '2026-04-04T10:00:00Z';
const CHAIN = [
  ...['WaitForFirstReminder', 'SendFirstReminder', 'WaitForFormalReminder', 'SendFormalReminder'],
  ...['WaitForFormalNotice', 'SendFormalNotice', 'WaitForGracePeriodEnd', 'SendLitigationHandoff'],
];
const WAIT_OF: Record<string, string> = {
  first_reminder: 'WaitForFirstReminder',
  formal_reminder: 'WaitForFormalReminder',
  formal_notice: 'WaitForFormalNotice',
  litigation_handoff: 'WaitForGracePeriodEnd',
};

type Api = ReturnType<typeof client>;

async function mailsFor(api: Api, invoiceNumber: string): Promise<any[]> {
  return (await api.emails()).filter((m: any) => String(m.subject).includes(invoiceNumber));
}

const stagesSent = (view: any) => view.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => e.stage);

describe('an early end in the middle of the chain of stages', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('stops the execution at the ending send: nothing sent, the dossier left as that send left it, flagged once', async () => {
    const { api, sys } = local;
    const unexpected = metricTotal('ExecutionsEndedUnexpectedly', { Status: 'ABORTED' });
    // Same debtor (same SIREN): B's first reminder goes out on 7 April, A's a week later and
    // bounces hard, so B's formal reminder (20 April) finds e-mail to the debtor paused.
    const b = (await api.createInvoice(invoice({ invoiceNumber: 'CHAIN-END-B' }))).body;
    const a = (await api.createInvoice(invoice({ invoiceNumber: 'CHAIN-END-A', dueDate: '2026-04-10', debtor: { ...invoice().debtor, email: 'direction@boulangerie-dupont.example' } }))).body;
    await api.advanceTo('2026-04-15T12:00:00Z');
    expect(await mailsFor(api, 'CHAIN-END-B')).toHaveLength(1);
    const aSent = (await api.getInvoice(a.id)).body.events.find((e: any) => e.type === 'notice_sent');
    expect(aSent).toBeDefined();
    expect((await api.call('POST', '/_local/ses/events', { messageId: aSent.messageId, type: 'Bounce', bounceType: 'Permanent' })).status).toBe(202);
    expect((await api.getInvoice(b.id)).body.status).toBe('active');

    await api.advanceTo('2026-04-20T12:00:00Z');
    const held = (await api.getInvoice(b.id)).body;
    expect(held.status).toBe('needs_attention');
    expect(held.events.at(-1)).toMatchObject({ type: 'needs_attention', reason: expect.stringMatching(/paused for this debtor after a hard bounce/) });
    expect(stagesSent(held)).toEqual(['first_reminder']);

    // The held send stopped its own execution on the spot: the hand-off's pair and the mise en
    // demeure's not run (5 transitions; passed through, 9). The dossier waits for a person, so the
    // execution-status rule judges the stop the product's own: not flagged twice, not counted.
    const run = sys.engine.list().find((r) => r.input?.dossierId === b.id)!;
    expect(run).toMatchObject({ status: 'ABORTED', cause: 'not_active', stopDate: '2026-04-20T07:00:00.000Z' });
    expect(run.trail).toEqual(['RouteToNextStage', ...CHAIN.slice(0, 4)]);
    await sys.executionEvents.idle();
    expect(sys.executionEvents.delivered.find((d) => d.event.detail.name === run.name)?.outcome).toEqual({ outcome: 'not_waiting', dossierId: b.id });
    expect(held.events.filter((e: any) => e.type === 'needs_attention')).toHaveLength(1);
    expect(metricTotal('ExecutionsEndedUnexpectedly', { Status: 'ABORTED' })).toBe(unexpected);

    // Nothing more: no later notice, no hand-off, the dossier exactly as the held send left it.
    await api.advance('P60D');
    const after = (await api.getInvoice(b.id)).body;
    expect(after.events).toEqual(held.events);
    expect(after.status).toBe('needs_attention');
    expect(await mailsFor(api, 'CHAIN-END-B')).toHaveLength(1);
  });
});

describe('a send whose next stage lies beyond the execution horizon', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('continues the dossier in a new execution and stops its own: the rest of its chain is not run', async () => {
    const { api, sys } = local;
    // Due in 286 days: the first reminder falls within this execution's 300 days
    // (execution-horizon.ts), the formal reminder two weeks later beyond them.
    const created = (await api.createInvoice(invoice({ invoiceNumber: 'CHAIN-FAR-1', issueDate: '2026-04-01', dueDate: '2027-01-15' }))).body;
    expect(created.nextAction.stage).toBe('first_reminder');
    const [first] = sys.engine.list().filter((r) => r.input?.dossierId === created.id);
    const horizon = Date.parse(first.startDate) + 300 * 86_400_000;
    expect(Date.parse(created.nextAction.at)).toBeLessThan(horizon);
    expect(Date.parse(created.schedule[1].at)).toBeGreaterThan(horizon);

    await api.advanceTo(new Date(Date.parse(created.nextAction.at) + 3_600_000).toISOString());
    // Stopped as a new generation's predecessor: 3 transitions (passed through, 9).
    const ended = sys.engine.describe(first.arn);
    expect(ended).toMatchObject({ status: 'ABORTED', cause: 'new_generation' });
    expect(ended.trail).toEqual(['RouteToNextStage', ...CHAIN.slice(0, 2)]);
    const next = sys.engine.list().find((r) => r.name === `${first.name}-2`)!;
    expect(next).toMatchObject({ status: 'RUNNING', input: { next: { stage: 'formal_reminder', at: created.schedule[1].at } } });

    await api.advance('P90D');
    const view = (await api.getInvoice(created.id)).body;
    expect(view.status).toBe('handed_off');
    expect(stagesSent(view)).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
    expect(await mailsFor(api, 'CHAIN-FAR-1')).toHaveLength(4);
    expect(sys.engine.describe(next.arn).trail).toEqual(['RouteToNextStage', ...CHAIN.slice(2)]);
  });
});

describe('a new execution resumes at any stage', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('enters the chain at the Wait of the stage it resumes at, and goes down the rest of it', async () => {
    const { api, sys } = local;
    // One dossier per stage: a dispute opened before that stage and rejected at once resumes the
    // escalation at it, in a new execution (-2).
    const cases = [
      { number: 'CHAIN-RES-1', disputeAt: '2026-04-05T12:00:00Z', resumes: 'first_reminder' },
      { number: 'CHAIN-RES-2', disputeAt: '2026-04-08T12:00:00Z', resumes: 'formal_reminder' },
      { number: 'CHAIN-RES-3', disputeAt: '2026-04-21T12:00:00Z', resumes: 'formal_notice' },
      { number: 'CHAIN-RES-4', disputeAt: '2026-05-05T12:00:00Z', resumes: 'litigation_handoff' },
    ];
    const ids: string[] = [];
    for (const c of cases) ids.push((await api.createInvoice(invoice({ invoiceNumber: c.number }))).body.id);
    for (const [i, c] of cases.entries()) {
      await api.advanceTo(c.disputeAt);
      const opened = await api.call('POST', `/invoices/${ids[i]}/disputes`, { reason: 'Contestation de principe' });
      expect(opened.status, c.number).toBe(201);
      const resolved = await api.call('POST', `/invoices/${ids[i]}/disputes/${opened.body.dispute.id}/resolve`, {
        outcome: 'rejected',
        reasons: 'La prestation a été livrée conforme au bon de commande signé.',
      });
      expect(resolved.status, c.number).toBe(200);
      expect(resolved.body.nextAction.stage, c.number).toBe(c.resumes);
    }

    await api.advance('P120D');
    for (const [i, c] of cases.entries()) {
      const view = (await api.getInvoice(ids[i])).body;
      expect(view.status, c.number).toBe('handed_off');
      expect(stagesSent(view), c.number).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
      const resumed = sys.engine.list().find((r) => r.input?.dossierId === ids[i] && r.name.endsWith('-2'))!;
      expect(resumed.input.next.stage, c.number).toBe(c.resumes);
      expect(resumed.status, c.number).toBe('SUCCEEDED');
      expect(resumed.trail, c.number).toEqual(['RouteToNextStage', ...CHAIN.slice(CHAIN.indexOf(WAIT_OF[c.resumes]))]);
      expect((resumed.output as any).next.outcome, c.number).toBe('handed_off');
    }
    // The route's count per resumed execution: 9, 7, 5, 3 transitions.
  }, 240_000);
});

describe('a send whose dossier goes on to other than the following stage', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('stops a stale execution on the spot, starting nothing, and moves the current one on to a new execution that starts where the dossier is', async () => {
    const { api, sys } = local;
    const unexpected = metricTotal('ExecutionsEndedUnexpectedly', { Status: 'ABORTED' });
    const id = (await api.createInvoice(invoice({ invoiceNumber: 'CHAIN-OFF-1' }))).body.id as string;
    // First and formal reminders sent: the dossier's next stage is the mise en demeure (4 May).
    await api.advanceTo('2026-04-21T12:00:00Z');
    const before = (await api.getInvoice(id)).body;
    expect(stagesSent(before)).toEqual(['first_reminder', 'formal_reminder']);
    expect(before.nextAction.stage).toBe('formal_notice');
    const [current] = sys.engine.list().filter((r) => r.input?.dossierId === id && r.status === 'RUNNING');
    expect(current.parked?.state).toBe('WaitForFormalNotice');

    // A stale execution at the first reminder (the dossier moved on without it): its send finds the
    // stage sent and the dossier going on to the mise en demeure, not to the formal reminder the
    // chain would run next. The dossier is not its own: it stops at once, untouched, starting nothing.
    const stale = sys.engine.start('chain-off-stale', { dossierId: id, next: { stage: 'first_reminder', at: '2026-04-21T12:00:00.000Z' } });
    // Its first Wait is already due: it runs at once, as on AWS, without the clock moving.
    await sys.engine.idle();
    expect(stale).toMatchObject({ status: 'ABORTED', cause: 'not_active' });
    expect(stale.trail).toEqual(['RouteToNextStage', ...CHAIN.slice(0, 2)]);
    expect((await api.getInvoice(id)).body.events).toEqual(before.events);
    expect(sys.engine.list().filter((r) => r.input?.dossierId === id).map((r) => r.name)).toEqual([current.name, 'chain-off-stale']);
    expect(current.status).toBe('RUNNING');

    // The same answer to the dossier's own execution (a retried first-reminder send arriving late):
    // the dossier moves to a new execution, whose route starts at the mise en demeure, and the send
    // stops its own execution (here parked at the mise en demeure's Wait).
    const sendNotice = await loadHandler('send-notice');
    const out = await sendNotice({
      dossierId: id,
      stage: 'first_reminder',
      executionName: current.name,
      executionStartTime: current.startDate,
      stateMachineArn: sys.synthesized.stateMachineArn,
      next: { stage: 'first_reminder', at: '2026-04-07T07:00:00.000Z' },
    });
    expect(out).toEqual({ outcome: 'continued', nextStage: null, nextAt: '2026-04-21T12:00:00.000Z' });
    const successor = sys.engine.list().find((r) => r.input?.dossierId === id && r.name === `${current.name}-2`)!;
    expect(successor).toMatchObject({ status: 'RUNNING', input: { dossierId: id, next: { stage: 'formal_notice', at: before.nextAction.at } } });
    expect(sys.engine.describe(current.arn)).toMatchObject({ status: 'ABORTED', cause: 'new_generation' });

    await api.advance('P60D');
    const view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('handed_off');
    expect(stagesSent(view)).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
    expect(view.events.filter((e: any) => e.type === 'needs_attention')).toEqual([]);
    expect(await mailsFor(api, 'CHAIN-OFF-1')).toHaveLength(4);
    const done = sys.engine.list().find((r) => r.name === successor.name)!;
    expect(done.trail).toEqual(['RouteToNextStage', 'WaitForFormalNotice', 'SendFormalNotice', 'WaitForGracePeriodEnd', 'SendLitigationHandoff']);
    const verdicts = sys.executionEvents.delivered.filter((d) => d.event.detail.input.includes(id)).map((d) => [d.event.detail.name, (d.outcome as any)?.outcome]);
    expect(verdicts).toEqual([
      ['chain-off-stale', 'superseded'],
      [current.name, 'superseded'],
    ]);
    expect(metricTotal('ExecutionsEndedUnexpectedly', { Status: 'ABORTED' })).toBe(unexpected);
  });

  it('the hand-off passes an ending through, and refuses to be handed another step', async () => {
    const { api, sys } = local;
    const id = (await api.createInvoice(invoice({ invoiceNumber: 'CHAIN-OFF-2' }))).body.id as string;
    const before = (await api.getInvoice(id)).body;
    const handoff = await loadHandler('handoff');
    const base = { dossierId: id, stage: 'litigation_handoff', executionName: 'any', stateMachineArn: sys.synthesized.stateMachineArn };
    const now = (await api.now()).body.now;
    expect(await handoff({ ...base, next: { outcome: 'continued', stage: null, at: now } })).toEqual({ outcome: 'continued', nextStage: null, nextAt: now });
    expect(await handoff({ ...base, next: { outcome: 'sent', stage: null, at: now } })).toEqual({ outcome: 'not_active', nextStage: null, nextAt: now });
    await expect(handoff({ ...base, next: { outcome: 'sent', stage: 'formal_notice', at: now } })).rejects.toThrow(/formal_notice/);
    expect((await api.getInvoice(id)).body.events).toEqual(before.events);
  });
});
