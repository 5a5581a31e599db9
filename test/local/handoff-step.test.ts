import { describe, expect, it } from 'vitest';
import { loadHandler } from '../../local/handlers';
import { invoice, useLocalSystem } from '../support/local-client';

/**
 * The hand-off is a step of its own (lambdas/handoff.ts). A Standard execution keeps the
 * definition it started with, so one started before that change still asks send-notice for the
 * hand-off: send-notice moves the dossier on to a new execution, whose SendLitigationHandoff step
 * runs the hand-off Lambda, once.
 */
describe('the hand-off step and executions started under the earlier definition', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });

  it('send-notice asked for the hand-off continues the dossier in a new execution, which hands it off', async () => {
    const { api, sys } = local;
    const id = (await api.createInvoice(invoice({ invoiceNumber: 'HANDOFF-OLD-1' }))).body.id as string;
    // The mise en demeure went out on 4 May; the execution now waits for the end of its grace period.
    await api.advanceTo('2026-05-12T00:00:00Z');
    const [old] = sys.engine.list().filter((r) => r.input?.dossierId === id && r.status === 'RUNNING');
    expect((await api.getInvoice(id)).body.nextAction.stage).toBe('litigation_handoff');

    // What that execution's SendLitigationHandoff did before: invoke send-notice.
    const sendNotice = await loadHandler('send-notice');
    const out = await sendNotice({
      dossierId: id,
      stage: 'litigation_handoff',
      executionName: old.name,
      executionStartTime: old.startDate,
      stateMachineArn: sys.synthesized.stateMachineArn,
    });
    expect(out).toMatchObject({ outcome: 'continued', nextStage: null });
    const successor = sys.engine.list().find((r) => r.input?.dossierId === id && r.name !== old.name);
    expect(successor).toMatchObject({ status: 'RUNNING', input: { dossierId: id, next: { stage: 'litigation_handoff' } } });
    // That execution ends on "continued"; here it is stopped instead: it is no longer the dossier's (not flagged).
    sys.engine.stop(old.arn, 'Superseded', 'ended by its continued outcome under the earlier definition');

    await api.advanceTo('2026-05-20T00:00:00Z');
    const view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('handed_off');
    expect(view.events.filter((e: any) => e.type === 'notice_sent' && e.stage === 'litigation_handoff')).toHaveLength(1);
    expect(view.events.filter((e: any) => e.type === 'needs_attention')).toEqual([]);
    const done = sys.engine.list().find((r) => r.name === successor!.name)!;
    expect(done.trail).toContain('SendLitigationHandoff');
    expect(done.status).toBe('SUCCEEDED');
  });
});
