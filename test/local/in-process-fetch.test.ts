/**
 * fetch's POSTs to a server served in-process (local/in-process-fetch.ts: PutEvents and SQS
 * SendMessage are sent with fetch) reach the server's listener without a socket, with the same
 * method, path, headers and body, and come back as a Response with the server's status, headers and
 * body; anything else (a GET, another server) still goes over HTTP.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { serveInProcess } from '../../local/in-process';

describe('fetch to a server served in-process', () => {
  const seen: { method?: string; url?: string; target?: unknown; type?: unknown; body: string }[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method, url: req.url, target: req.headers['x-amz-target'], type: req.headers['content-type'], body });
      if (body === 'nothing') return void res.writeHead(204).end();
      res.writeHead(201, { 'content-type': 'application/json', 'x-extra': 'é'.length === 1 ? 'yes' : 'no' }).end(JSON.stringify({ got: body }));
    });
  });
  server.on('connection', () => connections++);
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('answers a POST without a socket, as the server answers it over HTTP', async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    serveInProcess(server);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/path?q=1`;
    const post = (body: string) => fetch(url, { method: 'POST', headers: { 'X-Amz-Target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' }, body });

    const r = await post('{"Entries":["é"]}');
    expect(r.status).toBe(201);
    expect(r.headers.get('x-extra')).toBe('yes');
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(await r.json()).toEqual({ got: '{"Entries":["é"]}' });
    expect(seen[0]).toEqual({ method: 'POST', url: '/path?q=1', target: 'AWSEvents.PutEvents', type: 'application/x-amz-json-1.1', body: '{"Entries":["é"]}' });
    // A bodiless status: a Response without a body (the Fetch standard refuses one with a body).
    const empty = await post('nothing');
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
    expect(connections).toBe(0);

    // A GET (tests and the demo read local endpoints so) still goes over HTTP.
    const got = await fetch(url);
    expect(got.status).toBe(201);
    await got.text();
    expect(connections).toBe(1);
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/path?q=1' });
  });
});
