/**
 * A tripwire for the `appended` marker (lambdas/adapters/appended-marker.ts): the stream filters of
 * accountant-alerts and events-out pass only dossier changes whose marker names a type they act
 * on, so a write of a dossier item that does not set it could silently lose an alert or a webhook.
 * Here, the writers are enumerated from the source: only dossier-store.ts writes dossier items,
 * through the three writes listed below, each of which sets the marker. A new write (or a new
 * module naming the dossier item) fails this test until it is added here — after making it set
 * the marker. What each write sets is checked at run time by every end-to-end test
 * (test/support/stream-filter-check.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendedMarker, APPENDED_NONE } from '../../lambdas/adapters/appended-marker';

const ROOT = path.join(__dirname, '../../lambdas');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('writers of dossier items', () => {
  it('only dossier-store.ts names the dossier item among modules that write (the others only read it)', () => {
    const naming = sources(ROOT)
      .filter((f) => /sk: 'DOSSIER'|sk\?\.S !== 'DOSSIER'|'DOSSIER'/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(ROOT, f))
      .sort();
    expect(naming).toEqual([
      'accountant-alerts.ts', // reads stream images
      'adapters/dossier-index.ts', // a listing cursor's shape
      'adapters/dossier-store.ts', // the writer
      'adapters/intake-read.ts', // BatchGetItem (the dossier and the creditor profile at intake)
      'adapters/report-source.ts', // BatchGetItem
      'events-out.ts', // reads stream images
    ]);
    for (const reader of ['accountant-alerts.ts', 'adapters/dossier-index.ts', 'adapters/intake-read.ts', 'adapters/report-source.ts', 'events-out.ts']) {
      expect(fs.readFileSync(path.join(ROOT, reader), 'utf8'), reader).not.toMatch(/PutCommand|UpdateCommand|DeleteCommand|conditional(Put|Update)Document|BatchWrite|TransactWrite/);
    }
  });

  it("dossier-store.ts writes through three calls, each setting the marker", () => {
    const store = fs.readFileSync(path.join(ROOT, 'adapters/dossier-store.ts'), 'utf8');
    const writes = store.match(/new (Put|Update|Delete)Command\(|conditional(Put|Update)Document\(|BatchWrite|TransactWrite/g);
    expect(writes).toEqual(['new UpdateCommand(', 'conditionalPutDocument(', 'conditionalUpdateDocument(']);
    // The send claim (appends nothing), the create (its whole history), every update (the tail it appends).
    expect(store).toMatch(/UpdateExpression: 'SET #sending = :lease, #version = #version \+ :one, #appended = :none'/);
    expect(store).toMatch(/Item: \{ \.\.\.toItem\(\{ \.\.\.d, version: 1 \}\), \[APPENDED_ATTRIBUTE\]: appendedMarker\(d\.events\) \}/);
    expect(store).toMatch(/attributes\[APPENDED_ATTRIBUTE\] = appendedMarker\(appended\);/);
    expect(store).toMatch(/conditionalUpdateDocument\(dossierUpdate\(next, current, result\.dossier\.events\.slice\(current\.events\.length\)\)\)/);
  });

  it('the marker: the set of the types appended, or none', () => {
    expect(appendedMarker([{ type: 'email_delivered' }, { type: 'email_bounced' }, { type: 'email_bounced' }, { type: 'needs_attention' }])).toEqual(new Set(['email_delivered', 'email_bounced', 'needs_attention']));
    expect(appendedMarker([])).toEqual(new Set([APPENDED_NONE]));
    // A hard bounce is also named as such (the alerts' filter passes it, not a soft one).
    expect(appendedMarker([{ type: 'email_bounced', bounceType: 'Transient' }])).toEqual(new Set(['email_bounced']));
    expect(appendedMarker([{ type: 'email_bounced', bounceType: 'Permanent' }, { type: 'needs_attention' }])).toEqual(new Set(['email_bounced', 'email_bounced:Permanent', 'needs_attention']));
  });
});
