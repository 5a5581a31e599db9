import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { batchedPoster, unbatch, type Batch } from '../../local/port-batch';

describe('batchedPoster', () => {
  it('posts what one loop turn queued as one batch, in order, with every transfer', async () => {
    const posted: [Batch<number>, ArrayBuffer[]][] = [];
    const post = batchedPoster<number>((batch, transfer) => posted.push([batch, transfer]));
    const a = new ArrayBuffer(8);
    const b = new ArrayBuffer(8);
    post(1, [a]);
    post(2);
    await Promise.resolve();
    post(3, [b]);
    expect(posted).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(posted).toEqual([[{ type: 'batch', messages: [1, 2, 3] }, [a, b]]]);
    post(4);
    await new Promise((r) => setImmediate(r));
    expect(posted.map(([batch]) => batch.messages)).toEqual([[1, 2, 3], [4]]);
  });

  it('crosses a real port: bodies transferred, messages received one by one in order', async () => {
    const { port1, port2 } = new MessageChannel();
    const got: { id: number; body?: Uint8Array }[] = [];
    const all = new Promise<void>((resolve) =>
      port2.on('message', (m: Batch<{ id: number; body?: Uint8Array }>) =>
        unbatch(m, (one) => {
          got.push(one);
          if (got.length === 3) resolve();
        }),
      ),
    );
    const post = batchedPoster<{ id: number; body?: Uint8Array }>((batch, transfer) => port1.postMessage(batch, transfer));
    const body = new Uint8Array([1, 2, 3]);
    post({ id: 1 });
    post({ id: 2, body }, [body.buffer]);
    post({ id: 3 });
    await all;
    port1.close();
    expect(got.map((m) => m.id)).toEqual([1, 2, 3]);
    expect([...got[1]!.body!]).toEqual([1, 2, 3]);
    expect(body.byteLength).toBe(0); // transferred, not copied
  });
});

describe('unbatch', () => {
  it('passes a single message through', () => {
    const seen: unknown[] = [];
    unbatch({ type: 'result', id: 1 }, (m) => seen.push(m));
    expect(seen).toEqual([{ type: 'result', id: 1 }]);
  });
});
