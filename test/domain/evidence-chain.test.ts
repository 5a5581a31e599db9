import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainRecord, EvidenceRecord, factDocument, GENESIS_HASH, headOf, ownEvidence } from '../../lambdas/domain/evidence-chain';
import { BUNDLE_FORMAT, BundleManifest, manifestHash, ProblemCode, verifyBundle } from '../../lambdas/domain/evidence-verify';
import type { DossierEvent } from '../../lambdas/domain/model';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** A chain over facts, each with its own stored bytes, and the bundle files that carry it. */
function bundleOf(facts: { event: DossierEvent; bytes: Uint8Array }[]) {
  const records: EvidenceRecord[] = [];
  const files = new Map<string, Uint8Array>();
  const entries: BundleManifest['records'] = [];
  facts.forEach(({ event, bytes }, i) => {
    const key = `dossiers/dos_x/facts/${i + 1}.json`;
    const r = chainRecord(records[i - 1] ?? null, i + 1, event, { key, sha256: sha(bytes), versionId: null, retainUntil: '2036-01-01T00:00:00.000Z' });
    records.push(r);
    const file = `files/facts/${i + 1}.json`;
    files.set(file, bytes);
    entries.push({ file, record: r });
  });
  const unsealed = {
    format: BUNDLE_FORMAT,
    bundleId: 'bnd_test',
    dossier: { id: 'dos_x' },
    creditor: { id: 'c' },
    generatedAt: '2026-06-01T00:00:00.000Z',
    software: { name: 'amiable', version: 'test' },
    head: headOf(records)!,
    records: entries,
  } as Omit<BundleManifest, 'manifestHash'>;
  const manifest: BundleManifest = { ...unsealed, manifestHash: manifestHash(unsealed) };
  return { records, files, manifest };
}

function withManifest(files: Map<string, Uint8Array>, manifest: unknown): Map<string, Uint8Array> {
  return new Map([...files, ['manifest.json', Buffer.from(JSON.stringify(manifest))]]);
}

const codes = (files: Map<string, Uint8Array>, head?: string) => verifyBundle(files, head).problems.map((p) => p.code);

const eventArb = fc.record({
  type: fc.constantFrom('created', 'notice_sent', 'payment_recorded', 'dispute_opened', 'email_delivered', 'call_logged'),
  at: fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2030, 0, 1) }).map((t) => new Date(t).toISOString()),
  amount: fc.option(fc.integer({ min: 1, max: 10_000_000 }).map((c) => (c / 100).toFixed(2)), { nil: undefined }),
  note: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
});
const factsArb = fc.array(fc.record({ event: eventArb, bytes: fc.uint8Array({ minLength: 0, maxLength: 64 }) }), { minLength: 3, maxLength: 12 }).map((xs) =>
  xs.map(({ event, bytes }) => ({ event: JSON.parse(JSON.stringify(event)) as DossierEvent, bytes })),
);

describe('the evidence chain', () => {
  it('hashes each record as SHA-256 of its RFC 8785 canonical form without `hash`, chained from 64 zeros', () => {
    const event = { type: 'payment_recorded', at: '2026-05-01T08:00:00.000Z', amount: '100.00', reference: 'VIR-1' };
    const r1 = chainRecord(null, 1, event, { key: 'k1', sha256: 'a'.repeat(64), versionId: 'v1', retainUntil: '2036-05-01T08:00:00.000Z' });
    const r2 = chainRecord(r1, 2, { ...event, amount: '5.00' }, { key: 'k2', sha256: 'b'.repeat(64), versionId: null, retainUntil: null });
    expect(r1.prevHash).toBe(GENESIS_HASH);
    expect(r2.prevHash).toBe(r1.hash);
    // Recomputed the way the documentation tells an auditor to, independently of recordHash.
    for (const r of [r1, r2]) {
      const { hash, ...rest } = r;
      expect(hash).toBe(sha(Buffer.from(canonicalize(rest)!, 'utf8')));
    }
    expect(() => chainRecord(r1, 3, event, { key: 'k', sha256: 'c', versionId: null, retainUntil: null })).toThrow(RangeError);
  });

  it('points a record at the entry’s own stored object when it has one, else at a canonical fact document', () => {
    expect(ownEvidence({ type: 'notice_sent', at: 'x', evidenceKey: 'k', sha256: 's', evidenceVersionId: 'v', retainUntil: 'r' })).toEqual({
      evidenceKey: 'k',
      sha256: 's',
      evidenceVersionId: 'v',
      retainUntil: 'r',
    });
    expect(ownEvidence({ type: 'payment_recorded', at: 'x' })).toBeNull();
    const a = factDocument('dos_x', 2, { type: 'paid', at: 't', b: 1, a: 2 });
    const b = factDocument('dos_x', 2, { a: 2, at: 't', type: 'paid', b: 1 });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('verifies an intact bundle, whatever the facts (property)', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const { files, manifest, records } = bundleOf(facts);
        const result = verifyBundle(withManifest(files, manifest), records[records.length - 1].hash);
        expect(result.problems).toEqual([]);
        expect(result.records).toBe(facts.length);
      }),
    );
  });

  it('names each kind of tampering, at the record it concerns (property)', () => {
    type Tamper = { expect: ProblemCode; apply: (b: ReturnType<typeof bundleOf>, i: number) => Map<string, Uint8Array> };
    const tampers: Record<string, Tamper> = {
      fileChanged: {
        expect: 'file_changed',
        apply: ({ files, manifest }, i) => {
          const f = new Map(files);
          const path = manifest.records[i].file;
          f.set(path, Buffer.concat([Buffer.from(f.get(path)!), Buffer.from('x')]));
          return withManifest(f, manifest);
        },
      },
      fileMissing: {
        expect: 'file_missing',
        apply: ({ files, manifest }, i) => {
          const f = new Map(files);
          f.delete(manifest.records[i].file);
          return withManifest(f, manifest);
        },
      },
      extraFile: { expect: 'extra_file', apply: ({ files, manifest }) => withManifest(new Map([...files, ['files/planted.eml', Buffer.from('x')]]), manifest) },
      recordRemoved: {
        expect: 'record_removed',
        apply: ({ files, manifest }, i) => {
          const records = manifest.records.filter((_, j) => j !== i);
          const f = new Map(files);
          f.delete(manifest.records[i].file);
          return withManifest(f, { ...manifest, records });
        },
      },
      recordsReordered: {
        expect: 'records_reordered',
        apply: ({ files, manifest }, i) => {
          const j = i === 0 ? 1 : i - 1;
          const records = [...manifest.records];
          [records[i], records[j]] = [records[j], records[i]];
          return withManifest(files, { ...manifest, records });
        },
      },
      recordEdited: {
        expect: 'record_edited',
        apply: ({ files, manifest }, i) => {
          const records = manifest.records.map((e, j) => (j === i ? { ...e, record: { ...e.record, at: '2020-01-01T00:00:00.000Z' } } : e));
          return withManifest(files, { ...manifest, records });
        },
      },
      manifestEdited: {
        expect: 'manifest_edited',
        apply: ({ files, manifest }) => withManifest(files, { ...manifest, creditor: { id: 'someone-else' } }),
      },
    };
    fc.assert(
      fc.property(factsArb, fc.constantFrom(...Object.keys(tampers)), fc.nat(), (facts, name, n) => {
        const bundle = bundleOf(facts);
        const i = n % facts.length;
        const found = codes(tampers[name].apply(bundle, i));
        expect(found).toContain(tampers[name].expect);
      }),
    );
  });

  it('tells a record edited and re-hashed from an intact one: the next record no longer links to it', () => {
    const { files, manifest } = bundleOf([0, 1, 2, 3].map((i) => ({ event: { type: 'payment_recorded', at: `2026-05-0${i + 1}T08:00:00.000Z` }, bytes: Buffer.from(String(i)) })));
    const forged = chainRecord(manifest.records[0].record, 2, { type: 'payment_recorded', at: '2026-05-02T08:00:00.000Z', amount: '999.00' }, manifest.records[1].record);
    const records = manifest.records.map((e, j) => (j === 1 ? { ...e, record: forged } : e));
    const result = verifyBundle(withManifest(files, { ...manifest, records }));
    expect(result.problems.map((p) => [p.code, p.seq])).toEqual([['record_edited', 2]]);
    expect(result.problems[0].message).toMatch(/record 2 edited or replaced: record 3's prevHash does not match it/);
  });

  it('checks the head the auditor brings, and a manifest head the chain does not reach', () => {
    const { files, manifest, records } = bundleOf([0, 1, 2].map((i) => ({ event: { type: 'paid', at: `2026-05-0${i + 1}T08:00:00.000Z` }, bytes: Buffer.from(String(i)) })));
    const bundle = withManifest(files, manifest);
    expect(verifyBundle(bundle, records[2].hash).ok).toBe(true);
    const wrong = verifyBundle(bundle, records[1].hash);
    expect(wrong.problems).toEqual([expect.objectContaining({ code: 'head_mismatch', message: expect.stringContaining('which is record 2') })]);
    // The last record dropped, and the manifest's head (and its seal) left as they were.
    const truncated = { ...manifest, records: manifest.records.slice(0, 2) };
    const f = new Map(files);
    f.delete(manifest.records[2].file);
    expect(verifyBundle(withManifest(f, truncated)).problems).toEqual([
      expect.objectContaining({ code: 'record_removed', message: 'record 3 removed: the manifest head is record 3 but the chain ends at record 2' }),
    ]);
  });

  it('refuses what is not a bundle with one clear line', () => {
    expect(verifyBundle(new Map()).problems).toEqual([{ code: 'manifest_invalid', message: 'manifest.json is missing' }]);
    expect(verifyBundle(new Map([['manifest.json', Buffer.from('{')]])).problems[0].code).toBe('manifest_invalid');
    expect(verifyBundle(new Map([['manifest.json', Buffer.from('{"format":"x"}')]])).problems[0].message).toMatch(/not an amiable-evidence-bundle\/1 manifest/);
  });
});
