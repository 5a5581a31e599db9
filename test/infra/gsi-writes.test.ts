import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { indexWriteUnits, tableIndexes, type Item } from '../../scripts/gsi-writes';
import { synthTemplate } from './synth';

/**
 * The bench's count of index writes (dynalite reports none): the dossier table's indexes as the
 * synthesized template defines them, and AWS's rules for what a table write costs in each.
 */
const [table] = tableIndexes(synthTemplate().toJSON());
const item = (x: Record<string, unknown>): Item => marshall(x, { removeUndefinedValues: true }) as Item;

const dossier = (over: Record<string, unknown> = {}) =>
  item({
    pk: 'D#d1',
    sk: 'DOSSIER',
    creditorId: 'c1',
    nextActionAt: '2026-06-01T08:00:00.000Z',
    activityKey: '2026-05-01T08:00:00.000Z#d1',
    creditorStatus: 'c1#active',
    summary: { status: 'active', amount: 125000 },
    searchText: 'acme inv-1',
    debtorRefs: ['k1'],
    version: 3,
    events: [{ type: 'created', at: '2026-05-01T08:00:00.000Z' }],
    ...over,
  });

describe('index writes of a table write (AWS GSI write rules)', () => {
  it('reads the dossier table indexes from the template: keys and projections', () => {
    expect(table.tableKeys).toEqual(['pk', 'sk']);
    const byName = Object.fromEntries(table.indexes.map((i) => [i.name, i]));
    expect(byName.byCreditorNextAction).toMatchObject({ keys: ['creditorId', 'nextActionAt'], projection: 'KEYS_ONLY' });
    expect(byName.byCreditorActivity).toMatchObject({ keys: ['creditorId', 'activityKey'], projection: 'INCLUDE', include: ['summary', 'searchText', 'debtorRefs'] });
    expect(byName.creditorRegistry.keys).toEqual(['registry', 'registryId']);
  });

  it('a new dossier is one put in each index whose keys it carries (not the registry)', () => {
    expect(indexWriteUnits(table, undefined, dossier())).toEqual({ byCreditorNextAction: 1, byCreditorActivity: 1, byCreditorStatus: 1 });
  });

  it('a change of attributes no index holds (the history, the version) costs no index write', () => {
    const before = dossier();
    const after = dossier({ version: 4, events: [{ type: 'created', at: 'x' }, { type: 'notice_sent', at: 'y' }] });
    expect(indexWriteUnits(table, before, after)).toEqual({});
  });

  it('a changed index key is a delete and a put (2 writes); a changed projected attribute, one', () => {
    const before = dossier();
    const after = dossier({ nextActionAt: '2026-06-10T08:00:00.000Z', summary: { status: 'active', amount: 100000 } });
    expect(indexWriteUnits(table, before, after)).toEqual({ byCreditorNextAction: 2, byCreditorActivity: 1, byCreditorStatus: 1 });
  });

  it('an item leaving a sparse index (nothing scheduled any more) is one delete; a deleted item leaves every index', () => {
    const before = dossier();
    expect(indexWriteUnits(table, before, dossier({ nextActionAt: undefined }))).toEqual({ byCreditorNextAction: 1 });
    expect(indexWriteUnits(table, before, undefined)).toEqual({ byCreditorNextAction: 1, byCreditorActivity: 1, byCreditorStatus: 1 });
  });

  it('an entry is billed by its own size, per started KiB (a large projected summary: several units)', () => {
    const big = dossier({ summary: { note: 'x'.repeat(2500) } });
    expect(indexWriteUnits(table, undefined, big)).toEqual({ byCreditorNextAction: 1, byCreditorActivity: 3, byCreditorStatus: 3 });
  });

  it('the same map in another order is no change', () => {
    const before = dossier({ summary: { a: 1, b: 2 } });
    const after = dossier({ summary: { b: 2, a: 1 } });
    expect(indexWriteUnits(table, before, after)).toEqual({});
  });

  it('items of no index (evidence, alerts) cost nothing', () => {
    expect(indexWriteUnits(table, undefined, item({ pk: 'D#d1', sk: 'EV#000001', sha256: 'ab' }))).toEqual({});
  });
});
