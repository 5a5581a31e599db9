import { describe, expect, it } from 'vitest';
import { newDossier, scheduleFor, type Dossier } from '../../lambdas/domain/dossier';
import {
  assertOpen,
  callEvidenceKey,
  callLogDocument,
  completedTask,
  isListed,
  logCall,
  sameCall,
  TASK_ID,
  taskIdFor,
  tasksForDossier,
  taskView,
} from '../../lambdas/domain/dossier-tasks';
import { DomainError } from '../../lambdas/domain/errors';
import { builtinPolicy, DEFAULT_POLICY, FR_WITH_COURTESY_CALL, InvalidPolicyError } from '../../lambdas/domain/policy';
import { parseTaskCompletion, parseTaskListQuery } from '../../lambdas/http/validation';

const NOW = new Date('2026-04-04T10:00:00Z');

function dossier(overrides: { policyName?: string; amountCents?: number; invoiceNumber?: string } = {}): Dossier {
  return newDossier({
    id: 'dos_aaaaaaaaaaaaaaaaaaaaaaaaaa',
    creditorId: 'cred-a',
    executionName: 'x',
    now: NOW,
    policyName: overrides.policyName,
    invoice: {
      invoiceNumber: overrides.invoiceNumber ?? 'F-1',
      issueDate: '2026-03-04',
      dueDate: '2026-04-03',
      amountCents: overrides.amountCents ?? 125_000,
      currency: 'EUR',
    },
    debtor: {
      kind: 'business',
      name: 'Boulangerie Dupont SARL',
      email: 'compta@dupont.example',
      language: 'fr',
      address: { line1: '3 place du Marché', postalCode: '75011', city: 'Paris', country: 'FR' },
    },
  });
}

describe('the dossier runs under its policy', () => {
  it('keeps the four stages where the default puts them under fr-with-courtesy-call', () => {
    const plain = dossier();
    const withCall = dossier({ policyName: 'fr-with-courtesy-call' });
    expect(withCall.policyName).toBe('fr-with-courtesy-call');
    expect(plain.policyName).toBeUndefined();
    expect(withCall.schedule).toEqual(plain.schedule);
    expect(withCall.deadline).toBe(plain.deadline);
    expect(scheduleFor(withCall, NOW).tasks).toEqual([{ id: 'courtesy_call', at: '2026-04-13T07:00:00.000Z' }]);
    expect(scheduleFor(plain, NOW).tasks).toEqual([]);
  });

  it('uses the default for dossiers stored without a policy name, and refuses an unknown name', () => {
    expect(builtinPolicy(undefined)).toBe(DEFAULT_POLICY);
    expect(builtinPolicy('fr-with-courtesy-call')).toBe(FR_WITH_COURTESY_CALL);
    expect(() => builtinPolicy('fr-agressive')).toThrow(InvalidPolicyError);
    expect(() => builtinPolicy('constructor')).toThrow(InvalidPolicyError);
    expect(() => scheduleFor({ ...dossier(), policyName: 'nope' }, NOW)).toThrow(/unknown policy "nope"/);
  });
});

describe('tasks of a dossier', () => {
  it('are the policy manual tasks, with deterministic ids and no contact details', () => {
    const d = dossier({ policyName: 'fr-with-courtesy-call' });
    const tasks = tasksForDossier(d);
    expect(tasks).toEqual([
      {
        id: taskIdFor(d.id, 'courtesy_call'),
        creditorId: 'cred-a',
        dossierId: d.id,
        invoiceNumber: 'F-1',
        debtor: { name: 'Boulangerie Dupont SARL' },
        task: 'courtesy_call',
        dueAt: '2026-04-13T07:00:00.000Z',
        status: 'open',
        createdAt: '2026-04-04T10:00:00.000Z',
      },
    ]);
    expect(tasks[0]!.id).toMatch(TASK_ID);
    expect(taskIdFor(d.id, 'courtesy_call')).not.toBe(taskIdFor('dos_bbbbbbbbbbbbbbbbbbbbbbbbbb', 'courtesy_call'));
    // Recomputed later (a replayed intake, after sends): the same tasks.
    const afterSend: Dossier = { ...d, events: [...d.events, { type: 'notice_sent', at: '2026-04-07T07:00:00.000Z', stage: 'first_reminder' }] };
    expect(tasksForDossier(afterSend)).toEqual(tasks);
    expect(tasksForDossier(dossier())).toEqual([]);
  });

  it('are due at once when the invoice comes in after their time', () => {
    const late = newDossier({ ...dossier(), executionName: 'x', now: new Date('2026-04-25T10:00:00Z'), policyName: 'fr-with-courtesy-call' });
    expect(tasksForDossier(late)[0]!.dueAt).toBe('2026-04-13T07:00:00.000Z');
  });

  it('are listed when due, open and the dossier still pursued', () => {
    const d = dossier({ policyName: 'fr-with-courtesy-call' });
    const [task] = tasksForDossier(d);
    const before = new Date('2026-04-13T06:59:59Z');
    const at = new Date('2026-04-13T07:00:00Z');
    expect(isListed(task!, d, before, false)).toBe(false);
    expect(isListed(task!, d, before, true)).toBe(true);
    expect(isListed(task!, d, at, false)).toBe(true);
    for (const status of ['paid', 'cancelled', 'handed_off'] as const) expect(isListed(task!, { status }, at, true)).toBe(false);
    for (const status of ['paused_dispute', 'needs_attention', 'promised'] as const) expect(isListed(task!, { status }, at, false)).toBe(true);
    expect(isListed({ ...task!, status: 'completed' }, d, at, true)).toBe(false);
    expect(isListed(task!, null, at, true)).toBe(false);
  });

  it('show the debtor contact, dossier status and balance from the dossier', () => {
    const d = dossier({ policyName: 'fr-with-courtesy-call' });
    const [task] = tasksForDossier(d);
    expect(taskView(task!, d)).toEqual({
      id: task!.id,
      dossierId: d.id,
      invoiceNumber: 'F-1',
      task: 'courtesy_call',
      dueAt: '2026-04-13T07:00:00.000Z',
      status: 'open',
      debtor: { name: 'Boulangerie Dupont SARL', email: 'compta@dupont.example' },
      dossierStatus: 'active',
      balance: '1250.00',
    });
  });
});

describe('logging a call', () => {
  const d = dossier({ policyName: 'fr-with-courtesy-call' });
  const [task] = tasksForDossier(d);
  const at = new Date('2026-04-13T09:30:00Z');
  const input = { outcome: 'promised_to_pay' as const, notes: 'promised to pay on 12/12', by: 'Julie Martin' };
  const evidence = { evidenceKey: callEvidenceKey(d.id, task!.id), sha256: 'ab'.repeat(32) };

  it('appends one call_logged event, once per task', () => {
    const first = logCall(d, task!, input, at, evidence);
    expect(first.kind).toBe('logged');
    expect(first.event).toEqual({
      type: 'call_logged',
      at: '2026-04-13T09:30:00.000Z',
      taskId: task!.id,
      task: 'courtesy_call',
      outcome: 'promised_to_pay',
      notes: 'promised to pay on 12/12',
      by: 'Julie Martin',
      evidenceKey: `dossiers/${d.id}/calls/${task!.id}.json`,
      sha256: evidence.sha256,
    });
    expect(first.dossier.events.at(-1)).toBe(first.event);
    expect(d.events.some((e) => e.type === 'call_logged')).toBe(false);

    const again = logCall(first.dossier, task!, { outcome: 'no_answer', by: 'api' }, new Date('2026-04-14T09:00:00Z'), evidence);
    expect(again.kind).toBe('already_logged');
    expect(again.dossier).toBe(first.dossier);
    expect(again.event).toBe(first.event);
    expect(sameCall(again.event, input)).toBe(true);
    expect(sameCall(again.event, { outcome: 'no_answer', by: 'api' })).toBe(false);
  });

  it('leaves notes out when there are none, and is allowed on a closed dossier', () => {
    const r = logCall({ ...d, status: 'paid' }, task!, { outcome: 'no_answer', by: 'api' }, at, evidence);
    expect(r.event).not.toHaveProperty('notes');
    expect(sameCall(r.event, { outcome: 'no_answer', by: 'api' })).toBe(true);
  });

  it('refuses a task of another dossier', () => {
    expect(() => logCall(d, { ...task!, dossierId: 'dos_bbbbbbbbbbbbbbbbbbbbbbbbbb' }, input, at, evidence)).toThrow(RangeError);
  });

  it('completes the task as the history records it; a second completion is a 409 saying when', () => {
    const { event } = logCall(d, task!, input, at, evidence);
    const done = completedTask(task!, event);
    expect(done).toMatchObject({ status: 'completed', outcome: 'promised_to_pay', notes: 'promised to pay on 12/12', by: 'Julie Martin', completedAt: '2026-04-13T09:30:00.000Z' });
    expect(taskView(done, d)).toMatchObject({ status: 'completed', outcome: 'promised_to_pay', completedAt: '2026-04-13T09:30:00.000Z' });
    expect(() => assertOpen(task!)).not.toThrow();
    let error: unknown;
    try {
      completedTask(done, event);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).status).toBe(409);
    expect((error as DomainError).message).toContain('2026-04-13T09:30:00.000Z');
    expect((error as DomainError).message).toContain('promised_to_pay');
  });

  it('keeps who, when and what in the evidence document', () => {
    expect(callLogDocument(task!, input, at)).toEqual({
      kind: 'call_log',
      creditorId: 'cred-a',
      dossierId: d.id,
      invoiceNumber: 'F-1',
      taskId: task!.id,
      task: 'courtesy_call',
      dueAt: '2026-04-13T07:00:00.000Z',
      at: '2026-04-13T09:30:00.000Z',
      outcome: 'promised_to_pay',
      notes: 'promised to pay on 12/12',
      by: 'Julie Martin',
    });
  });
});

describe('task completion input', () => {
  it('trims notes, drops empty ones and defaults by to "api"', () => {
    expect(parseTaskCompletion({ outcome: 'reached', notes: '  promised to pay on 12/12\nby transfer  ' })).toEqual({
      outcome: 'reached',
      notes: 'promised to pay on 12/12\nby transfer',
      by: 'api',
    });
    expect(parseTaskCompletion({ outcome: 'voicemail', notes: '   ', by: 'Julie' })).toEqual({ outcome: 'voicemail', by: 'Julie' });
  });

  it('answers 400 with field paths', () => {
    const details = (body: unknown) => {
      try {
        parseTaskCompletion(body);
      } catch (e) {
        expect((e as DomainError).status).toBe(400);
        return (e as DomainError).details.map((x) => x.path);
      }
      throw new Error('expected a 400');
    };
    expect(details({ outcome: 'maybe' })).toEqual(['outcome']);
    expect(details({})).toEqual(['outcome']);
    expect(details({ outcome: 'reached', notes: 'x'.repeat(2001) })).toEqual(['notes']);
    expect(details({ outcome: 'reached', notes: 'bell\u0007' })).toEqual(['notes']);
    expect(details({ outcome: 'reached', by: '' })).toEqual(['by']);
    expect(parseTaskCompletion({ outcome: 'reached', notes: 'x'.repeat(2000) }).notes).toHaveLength(2000);
  });

  it('accepts include=upcoming only', () => {
    expect(parseTaskListQuery(null)).toEqual({ includeUpcoming: false, limit: 100 });
    expect(parseTaskListQuery({ include: 'upcoming' })).toEqual({ includeUpcoming: true, limit: 100 });
    expect(() => parseTaskListQuery({ include: 'all' })).toThrow(DomainError);
  });

  it('takes a page size of 1 to 500 and a cursor', () => {
    expect(parseTaskListQuery({ limit: '500', cursor: 'abc' })).toEqual({ includeUpcoming: false, limit: 500, cursor: 'abc' });
    for (const limit of ['0', '501', '2.5', 'ten']) expect(() => parseTaskListQuery({ limit }), limit).toThrow(DomainError);
  });
});
