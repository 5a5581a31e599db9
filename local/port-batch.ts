/**
 * Messages between local mode's main thread and its handler worker threads, posted in batches.
 *
 * A postMessage to a thread that sleeps in its event loop wakes it (libuv writes its eventfd, the
 * kernel wakes the thread), and on this project's 2-vCPU VMs that wake-up is paid by the SENDING
 * thread: ~100-250 µs of its CPU per message when the receiver was idle (measured with
 * /proc/thread-self/schedstat around the call; a second message right after costs ~10-20 µs). A
 * handler's SDK call crosses twice (the request to the main thread's emulator, the answer back), and
 * the worker thread posted ~19,500 messages at 300 dossiers and spent 4.4 s of its CPU (of ~20-25 s)
 * inside postMessage. Here every message a thread posts during one turn of its event loop goes in
 * ONE postMessage, sent from `setImmediate` (after the poll phase that ran the callbacks which queued
 * them): the invocations a worker runs concurrently share their wake-ups. Measured at 300 dossiers:
 * ~4 messages per post, the worker's CPU in postMessage 4.4 -> 2.6 s (a batch costs more than one
 * message, less than its messages posted apart). Order is kept (one queue per port, delivered in
 * order); a message waits at most for the rest of its thread's current loop turn. Local mode only:
 * nothing of this runs on AWS.
 */

/** What travels: one message, or a batch of them in the order they were queued. */
export type Batch<M> = { type: 'batch'; messages: M[] };

/**
 * A poster that queues `message` (with the ArrayBuffers it transfers) and posts the queue as one
 * batch at the end of this event-loop turn through `post`.
 */
export function batchedPoster<M>(post: (batch: Batch<M>, transfer: ArrayBuffer[]) => void): (message: M, transfer?: ArrayBuffer[]) => void {
  let queue: M[] = [];
  let transfers: ArrayBuffer[] = [];
  const flush = () => {
    const batch: Batch<M> = { type: 'batch', messages: queue };
    const transfer = transfers;
    queue = [];
    transfers = [];
    post(batch, transfer);
  };
  return (message, transfer) => {
    if (queue.length === 0) setImmediate(flush);
    queue.push(message);
    if (transfer) for (const t of transfer) transfers.push(t);
  };
}

/** Calls `each` on a received message, or on each message of a batch, in order. */
export function unbatch<M>(received: M | Batch<M>, each: (message: M) => void): void {
  if ((received as Batch<M>).type === 'batch' && Array.isArray((received as Batch<M>).messages)) for (const m of (received as Batch<M>).messages) each(m);
  else each(received as M);
}
