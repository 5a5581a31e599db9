/**
 * The default EventBridge bus, locally: an endpoint on loopback speaking the AWS JSON 1.1 protocol
 * of PutEvents (what lambdas/adapters/events.ts sends, through AWS_ENDPOINT_URL_EVENTBRIDGE), that
 * records each entry as EventBridge would deliver it to a rule ({version, id, detail-type, source,
 * account, time, region, resources, detail}). The local front serves the log as GET /_local/events;
 * with a data dir it is kept in <data dir>/events.jsonl, so a restart keeps it. No rule runs
 * locally: the log is what a subscriber would receive.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { keepIdleConnections } from './loopback';
import { AppendFile } from './append-file';
import { serveInProcess } from './in-process';

export interface BusEventRecord {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  /** Local only: the bus the entry was put on. */
  eventBusName: string;
}

export interface LocalEventBus {
  url: string;
  events(): BusEventRecord[];
  close(): Promise<void>;
}

export async function startLocalEventBus(opts: { file?: string; account: string; region: string; now: () => Date }): Promise<LocalEventBus> {
  const log: BusEventRecord[] = [];
  const out = opts.file ? new AppendFile(opts.file) : undefined;
  if (opts.file && fs.existsSync(opts.file)) {
    for (const line of fs.readFileSync(opts.file, 'utf8').split('\n')) if (line.trim()) log.push(JSON.parse(line) as BusEventRecord);
  }
  const server = keepIdleConnections(http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown, errorType?: string) => {
        const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
        if (errorType) headers['x-amzn-errortype'] = errorType;
        res.writeHead(status, headers).end(JSON.stringify(body));
      };
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target !== 'AWSEvents.PutEvents') return reply(400, { __type: 'UnknownOperationException', message: `not supported locally: ${target}` }, 'UnknownOperationException');
      if (!/^AWS4-HMAC-SHA256 /.test(String(req.headers.authorization ?? ''))) {
        return reply(400, { __type: 'MissingAuthenticationTokenException', message: 'request is not signed' }, 'MissingAuthenticationTokenException');
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { Entries?: Record<string, unknown>[] };
        const entries = (body.Entries ?? []).map((e) => {
          if (typeof e.Source !== 'string' || typeof e.DetailType !== 'string' || typeof e.Detail !== 'string') {
            return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required' };
          }
          const record: BusEventRecord = {
            version: '0',
            id: randomUUID(),
            'detail-type': e.DetailType,
            source: e.Source,
            account: opts.account,
            time: typeof e.Time === 'number' ? new Date(e.Time * 1000).toISOString().replace('.000Z', 'Z') : opts.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
            region: opts.region,
            resources: Array.isArray(e.Resources) ? (e.Resources as string[]) : [],
            detail: JSON.parse(e.Detail),
            eventBusName: typeof e.EventBusName === 'string' ? e.EventBusName : 'default',
          };
          log.push(record);
          out?.append(`${JSON.stringify(record)}\n`);
          return { EventId: record.id };
        });
        return reply(200, { FailedEntryCount: entries.filter((e) => 'ErrorCode' in e).length, Entries: entries });
      } catch (e) {
        return reply(400, { __type: 'ValidationException', message: String((e as Error).message) }, 'ValidationException');
      }
    });
  }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  serveInProcess(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events: () => [...log],
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => {
          out?.close();
          r();
        });
      }),
  };
}
