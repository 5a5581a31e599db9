import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { invoice, useLocalSystem } from '../support/local-client';
import { rawDossierItem } from '../support/item-size';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The evidence head is no longer written on its own (issue 15: a write of the dossier item costs a
 * unit per KiB of it): a change that appends history finds the log's head (the record at the
 * history's length) and carries it in its own conditional update. Racing writers on one dossier
 * must still leave a log without gap or duplicate whose records are the history, entry for entry,
 * and the item's head must be a head the log really has, never ahead of it.
 */
describe('evidence head carried by the dossier writes', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });

  it('keeps the log whole and the head true under concurrent changes of one dossier', async () => {
    const created = await local.api.createInvoice(invoice({ invoiceNumber: 'HEAD-1' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // Twelve payments at once, each a history entry whose position the version condition decides.
    const paid = await Promise.all(
      Array.from({ length: 12 }, (_, i) => local.api.pay(id, { amount: '1.00', paidOn: '2026-04-04', reference: `HEAD-${i}` })),
    );
    expect(paid.map((r) => r.status).every((s) => s === 201)).toBe(true);

    const view = (await local.api.getInvoice(id)).body;
    const log = (await local.api.call('GET', `/invoices/${id}/evidence`)).body;
    const records = log.records as any[];
    // One record per history entry, in order, each the entry verbatim; the chain links.
    expect(records.map((r) => r.seq)).toEqual(view.events.map((_: unknown, i: number) => i + 1));
    expect(records.map((r) => r.fact)).toEqual(view.events);
    expect(records.filter((r) => r.type === 'payment_recorded').map((r) => r.fact.reference).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `HEAD-${i}`).sort(),
    );
    for (const [i, r] of records.entries()) {
      expect(r.prevHash).toBe(i === 0 ? '0'.repeat(64) : records[i - 1].hash);
      const { hash, ...rest } = r;
      expect(hash).toBe(sha(canonicalize(rest)!));
    }
    // The view shows the log's head itself; the item carries a real head of the log, never ahead.
    expect(view.evidenceHead).toEqual(log.head);
    expect(log.head).toEqual({ seq: records.length, hash: records.at(-1).hash });
    const item = await rawDossierItem(id);
    expect(item.events).toBeUndefined();
    expect(item.eventsZ?.B).toBeDefined();
    const stored = unmarshall(item).evidenceHead as { seq: number; hash: string };
    expect(stored.seq).toBeGreaterThanOrEqual(1);
    expect(stored.seq).toBeLessThanOrEqual(records.length);
    expect(stored.hash).toBe(records[stored.seq - 1].hash);
  }, 300_000);
});
