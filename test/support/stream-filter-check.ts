/**
 * Checks, on every record of the table's stream in a local run (LocalOptions.onStreamRecord), that
 * the event source filters of the functions that follow dossiers hold back nothing they would act
 * on, and that every dossier write stated exactly what it appended:
 * - the item's `appended` marker (lambdas/adapters/appended-marker.ts) is the set of the types of
 *   the entries this write appended (a hard bounce also named as such), or "none" — so a write path that leaves the previous write's
 *   value behind is named here whatever test drives it (an item without the marker is passed on by
 *   the filters, as before the marker existed: counted, and test/local/stream-filters.test.ts
 *   expects none from real pipelines);
 * - accountant-alerts: a record its filters hold back would have given no alert (alertsFor on the
 *   change, as the handler computes it);
 * - events-out: a record its filters hold back would have published no event.
 * The filters are the synthesized template's (whether or not local mode wires that consumer), read
 * with the local matcher (local/event-pattern.ts). Used by every end-to-end test that starts local
 * mode through test/support/local-client.ts, and by test/local/stream-filters.test.ts.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { alertChangeOf } from '../../lambdas/accountant-alerts';
import { eventsOf } from '../../lambdas/events-out';
import { historyOfItem } from '../../lambdas/adapters/dossier-store';
import { APPENDED_ATTRIBUTE, appendedMarker } from '../../lambdas/adapters/appended-marker';
import { alertsFor } from '../../lambdas/domain/accountant-alerts';
import { appendedEntries } from '../../lambdas/domain/dossier-events';
import { streamConsumers, type StreamRecord } from '../../local/dynamodb-stream';
import { matchesPattern } from '../../local/event-pattern';
import type { LocalSystem } from '../../local/system';

type Json = any;

/** The consumers whose filters rest on the marker, by handler name. */
const FOLLOWERS = ['accountant-alerts', 'events-out'] as const;
type Follower = (typeof FOLLOWERS)[number];

export interface StreamFilterStats {
  /** Dossier changes (INSERT or MODIFY of a dossier item) seen. */
  dossierChanges: number;
  /** Of those, how many left an item without the marker (passed on by the filters, as before it existed). */
  unmarked: number;
  /** Of those, how many each follower's filters pass, and how many it acts on. */
  passed: Record<Follower, number>;
  acted: Record<Follower, number>;
}

export function streamFilterCheck() {
  const problems: string[] = [];
  const stats: StreamFilterStats = { dossierChanges: 0, unmarked: 0, passed: { 'accountant-alerts': 0, 'events-out': 0 }, acted: { 'accountant-alerts': 0, 'events-out': 0 } };
  let patterns: Map<string, Json[]> | undefined;
  // Records emitted while local mode starts (before its template is known here).
  const early: StreamRecord[] = [];

  const passes = (handler: Follower, record: StreamRecord) => {
    const list = patterns!.get(handler);
    if (!list) throw new Error(`stream filter check: the template has no stream consumer ${handler}`);
    return list.length === 0 || list.some((p) => matchesPattern(p, record));
  };

  function check(record: StreamRecord): void {
    const image = record.dynamodb.NewImage;
    if (!image || image.sk?.S !== 'DOSSIER' || !image.pk?.S?.startsWith('D#')) {
      for (const f of FOLLOWERS) if (passes(f, record)) problems.push(`${f}'s filters pass a ${record.eventName} of ${JSON.stringify(record.dynamodb.Keys)}, not a dossier change`);
      return;
    }
    stats.dossierChanges++;
    const where = `${image.pk.S} ${record.eventName} (${record.eventID})`;
    try {
      const after = historyOfItem(unmarshall(image as Record<string, AttributeValue>));
      const old = record.dynamodb.OldImage;
      const before = old ? historyOfItem(unmarshall(old as Record<string, AttributeValue>)) : undefined;
      const entries = appendedEntries(before ? { ...before, events: before.events ?? [] } : undefined, { ...after, events: after.events ?? [] });
      const expected = [...appendedMarker(entries.map((e) => e.entry))].sort();
      const marker = (image[APPENDED_ATTRIBUTE] as Json)?.SS;
      // No marker: an item written as before the marker existed (a test's fixture of an older
      // release), which the filters pass on (safe; counted). A marker must be this write's own.
      if (!marker) stats.unmarked++;
      else if (JSON.stringify([...marker].sort()) !== JSON.stringify(expected)) problems.push(`${where}: marker ${JSON.stringify(marker)}, appended ${JSON.stringify(expected)}`);

      const asRecord = record as unknown as DynamoDBRecord;
      const change = alertChangeOf(asRecord);
      const decided: Record<Follower, boolean> = {
        'accountant-alerts': change ? alertsFor(change.dossier, change.previousLength).length > 0 : false,
        'events-out': eventsOf(asRecord).length > 0,
      };
      for (const f of FOLLOWERS) {
        const passed = passes(f, record);
        if (passed) stats.passed[f]++;
        if (decided[f]) stats.acted[f]++;
        if (decided[f] && !passed) problems.push(`${where}: ${f} would act on it, its filters hold it back (marker ${JSON.stringify(marker)})`);
      }
    } catch (e) {
      problems.push(`${where}: ${String((e as Error)?.stack ?? e)}`);
    }
  }

  return {
    stats,
    /** LocalOptions.onStreamRecord. */
    onRecord(record: StreamRecord): void {
      if (!patterns) early.push(record);
      else check(record);
    },
    /** Once local mode has started: its template's filters. */
    bind(sys: LocalSystem): void {
      patterns = new Map(streamConsumers(sys.synthesized.template, sys.synthesized.functions).map((c) => [c.handler, c.patterns]));
      for (const r of early.splice(0)) check(r);
    },
    problems: () => [...problems],
  };
}
