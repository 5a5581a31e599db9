import { describe, expect, it } from 'vitest';
import { loadHandler } from '../../local/handlers';
import { client, invoice, useLocalSystem } from '../support/local-client';

/**
 * The stages are a chain (lib/dunning-workflow.ts): RouteToNextStage once, then each send followed
 * by the following stage's Wait with no Choice in between. What that design must keep:
 * - a send that ends the course early is passed through to the end of the chain at once, without
 *   touching the dossier or mailing anyone (step-outcome.ts passedThrough);
 * - a new execution resumes at any stage: the route jumps into the chain at that stage's Wait;
 * - a send whose dossier goes on to anything but the following stage never lets the chain run the
 *   following stage's send: the dossier moves to a new execution, or a stale execution just ends
 *   (execution-continuation.ts continueOnChain).
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

  it('is passed through to the end at once: nothing sent, the dossier left as the ending send left it', async () => {
    const { api, sys } = local;
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

    // The execution ran the rest of the chain on the spot (every Wait given "now") and ended with
    // the held send's outcome; it waits for nothing and is not failed (the dossier is not flagged twice).
    const run = sys.engine.list().find((r) => r.input?.dossierId === b.id)!;
    expect(run.status).toBe('SUCCEEDED');
    expect(run.trail).toEqual(['RouteToNextStage', ...CHAIN]);
    expect((run.output as any).next).toMatchObject({ outcome: 'not_active', stage: null });
    expect(run.stopDate).toBe('2026-04-20T07:00:00.000Z');

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

  it('continues the dossier in a new execution; the rest of its own chain passes "continued" through', async () => {
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
    const ended = sys.engine.describe(first.arn);
    expect(ended.status).toBe('SUCCEEDED');
    expect(ended.trail).toEqual(['RouteToNextStage', ...CHAIN]);
    expect((ended.output as any).next.outcome).toBe('continued');
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

  it('ends a stale execution on the spot, and moves the current one on to a new execution that starts where the dossier is', async () => {
    const { api, sys } = local;
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
    // chain would run next. The dossier is not its own: it ends at once, down the chain, untouched.
    const stale = sys.engine.start('chain-off-stale', { dossierId: id, next: { stage: 'first_reminder', at: '2026-04-21T12:00:00.000Z' } });
    // Its first Wait is already due: it runs at once, as on AWS, without the clock moving.
    await sys.engine.idle();
    expect(stale.status).toBe('SUCCEEDED');
    expect(stale.trail).toEqual(['RouteToNextStage', ...CHAIN]);
    expect((stale.output as any).next.outcome).toBe('not_active');
    expect((await api.getInvoice(id)).body.events).toEqual(before.events);

    // The same answer to the dossier's own execution (a retried first-reminder send arriving late):
    // the dossier moves to a new execution, whose route starts at the mise en demeure.
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
    // That execution would end on "continued" down its chain; here it waits at the mise en demeure: stopped instead.
    sys.engine.stop(current.arn, 'Superseded', 'ended by its continued outcome');

    await api.advance('P60D');
    const view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('handed_off');
    expect(stagesSent(view)).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
    expect(view.events.filter((e: any) => e.type === 'needs_attention')).toEqual([]);
    expect(await mailsFor(api, 'CHAIN-OFF-1')).toHaveLength(4);
    const done = sys.engine.list().find((r) => r.name === successor.name)!;
    expect(done.trail).toEqual(['RouteToNextStage', 'WaitForFormalNotice', 'SendFormalNotice', 'WaitForGracePeriodEnd', 'SendLitigationHandoff']);
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
