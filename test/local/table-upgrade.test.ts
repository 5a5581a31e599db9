import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import { DescribeTableCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { startLocalSystem } from '../../local/system';
import { createTable, deleteTable } from '../../local/table-upgrade';
import { client, invoice } from '../support/local-client';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite');

/**
 * A data dir made before the listing indexes existed: the next start rebuilds the table with them
 * (dynalite cannot add an index in place) and the old dossiers and profile are listed.
 */
describe('local data dir upgrade', () => {
  it('adds the listing indexes to an older data dir and lists its dossiers', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-upgrade-'));
    try {
      let sys = await startLocalSystem({ dataDir, clockStart: '2026-06-01T10:00:00Z' });
      const tableName = sys.synthesized.tableName;
      const table = sys.synthesized.table;
      let api = client(sys);
      const ids: string[] = [];
      for (const n of [1, 2, 3]) ids.push((await api.createInvoice(invoice({ invoiceNumber: `OLD-${n}`, issueDate: '2026-05-01', dueDate: '2026-07-01' }))).body.id);
      await sys.stop();

      // Make it an old data dir: one index only, items without the listing or registry attributes.
      const server: http.Server = dynalite({ path: path.join(dataDir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0 });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const ddb = new DynamoDBClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'eu-west-3', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
      const items = (await ddb.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
      await deleteTable(ddb, tableName);
      await createTable(ddb, { ...table, TableName: tableName, GlobalSecondaryIndexes: table.GlobalSecondaryIndexes.slice(0, 1) });
      for (const item of items) {
        const { activityKey: _a, creditorStatus: _c, summary: _s, searchText: _t, debtorRefs: _d, registry: _r, registryId: _i, ...old } = unmarshall(item);
        await ddb.send(new PutItemCommand({ TableName: tableName, Item: marshall(old, { removeUndefinedValues: true, convertClassInstanceToMap: false }) }));
      }
      expect((await ddb.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes).toHaveLength(1);
      ddb.destroy();
      await new Promise<void>((r) => server.close(() => r()));

      sys = await startLocalSystem({ dataDir });
      try {
        api = client(sys);
        const listed = await api.call('GET', '/invoices');
        expect(listed.status).toBe(200);
        expect(listed.body.items.map((i: any) => i.id).sort()).toEqual([...ids].sort());
        const creditors = await fetch(`${sys.apiUrl}/admin/creditors`, { headers: { 'x-admin-key': sys.adminKey } });
        expect(((await creditors.json()) as any).items.map((c: any) => c.id)).toEqual(['demo-creditor']);
        expect(fs.existsSync(path.join(dataDir, 'dynamodb-upgrade.json'))).toBe(false);
        // The dossiers still run: their workflow resumes where it stood.
        expect((await api.getInvoice(ids[0])).body.nextAction.stage).toBe('first_reminder');
      } finally {
        await sys.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
