/**
 * The parked executions in wake-up order, for the local engine (./local-step-functions). The clock
 * asks for the earliest wake-up and for the due executions at every step, and each dossier brings
 * its own steps (~14 per escalated dossier: its sends fall at instants of their own): scanning,
 * parsing and sorting every execution at every step made a run of n dossiers O(n^2) (at 1,000
 * dossiers ~14,000 steps over 1,000 records each). A binary heap keyed by instant answers both
 * in O(log n) per execution parked.
 *
 * Ordered as the scan ordered them: by wake-up instant (ISO 8601 strings from toISOString, which
 * compare as the instants do), then by the order the executions were first known (the engine's
 * records, a Map, in insertion order). An entry goes stale when its execution is woken, stopped or
 * ends, or parks again (a new entry): the caller says which entries are still current, and stale
 * ones are dropped as they reach the top.
 */
export interface WakeEntry<T> {
  item: T;
  wakeAt: string;
  /** The order the item was first known in: ties between equal instants. */
  seq: number;
}

const before = <T>(a: WakeEntry<T>, b: WakeEntry<T>) => a.wakeAt < b.wakeAt || (a.wakeAt === b.wakeAt && a.seq < b.seq);

export class WakeQueue<T> {
  private readonly heap: WakeEntry<T>[] = [];

  /** `current(entry)`: whether an entry still stands for its item (not woken, stopped, ended nor parked again). */
  constructor(private readonly current: (entry: WakeEntry<T>) => boolean) {}

  push(entry: WakeEntry<T>): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  /** The earliest current entry, stale ones above it dropped. */
  peek(): WakeEntry<T> | undefined {
    while (this.heap.length > 0 && !this.current(this.heap[0])) this.pop();
    return this.heap[0];
  }

  /** Removes and returns every current entry whose instant is at or before `instant` (ms), earliest first. */
  takeDue(instant: number): WakeEntry<T>[] {
    const due: WakeEntry<T>[] = [];
    for (let top = this.peek(); top && Date.parse(top.wakeAt) <= instant; top = this.peek()) due.push(this.pop()!);
    return due;
  }

  /** Entries held, stale ones included (tests). */
  get size(): number {
    return this.heap.length;
  }

  private pop(): WakeEntry<T> | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
