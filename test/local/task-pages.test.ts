import { describe, expect, it } from 'vitest';
import { invoice, useLocalSystem } from '../support/local-client';

/**
 * GET /tasks a page at a time: the demo creditor's courtesy calls (fr-with-courtesy-call, D+8 =
 * Mon 13 Apr 09:00 Paris), one per invoice; a paid dossier's task is left out even when it falls
 * in the middle of a page. Pages follow the cursor to the end and together are the whole list.
 */
describe('GET /tasks pagination in local mode', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });

  it('pages the task list with limit and cursor, oldest due first, nothing twice or missed', async () => {
    const api = local.api;
    const ids: string[] = [];
    for (let n = 1; n <= 9; n++) {
      // Different due dates, so the due order is not the creation order.
      const due = `2026-04-0${1 + (n * 5) % 3}`;
      const created = await api.createInvoice(invoice({ invoiceNumber: `PAGE-${n}`, amount: '300.00', issueDate: '2026-03-01', dueDate: due }));
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    expect((await api.pay(ids[4]!, { amount: '300.00', paidOn: '2026-04-04', reference: 'VIR-PAGE-5' })).status).toBe(201);
    await api.advanceTo('2026-04-14T08:00:00Z');

    const whole = await api.call('GET', '/tasks?limit=500');
    expect(whole.status).toBe(200);
    expect(whole.body.nextCursor).toBeNull();
    expect(whole.body.tasks).toHaveLength(8);
    expect(whole.body.tasks.map((t: any) => t.invoiceNumber)).not.toContain('PAGE-5');
    const order = whole.body.tasks.map((t: any) => [t.dueAt, t.id]);
    expect(order).toEqual([...order].sort((a: string[], b: string[]) => a[0]!.localeCompare(b[0]!) || a[1]!.localeCompare(b[1]!)));
    // The default page (100) holds them all, as before pagination.
    expect((await api.call('GET', '/tasks')).body).toEqual(whole.body);

    const paged: any[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api.call('GET', `/tasks?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      sizes.push(page.body.tasks.length);
      paged.push(...page.body.tasks);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(whole.body.tasks);
    expect(sizes).toEqual([3, 3, 2]);

    // A task completed between pages drops out; the next page goes on after the cursor.
    const first = await api.call('GET', '/tasks?limit=2');
    const done = await api.call('POST', `/tasks/${whole.body.tasks[3].id}/complete`, { outcome: 'no_answer' });
    expect(done.status).toBe(200);
    const rest = await api.call('GET', `/tasks?limit=100&cursor=${first.body.nextCursor}`);
    expect(rest.body.tasks.map((t: any) => t.id)).toEqual(whole.body.tasks.slice(2).filter((_: unknown, i: number) => i !== 1).map((t: any) => t.id));

    for (const bad of ['limit=0', 'limit=501', 'limit=two', 'cursor=not-a-cursor', `cursor=${Buffer.from('{"pk":"C#other","sk":"T#x","dueAt":"y"}').toString('base64url')}`]) {
      const res = await api.call('GET', `/tasks?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.details[0].path, bad).toBe(bad.startsWith('limit') ? 'limit' : 'cursor');
    }
  });
});
