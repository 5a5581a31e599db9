/**
 * Seeded randomness for tests: a test that draws random numbers takes them from seededRandom(),
 * whose seed comes from AMIABLE_SEED when set (to replay a failure) and is otherwise drawn and
 * printed when the test fails: `AMIABLE_SEED=<n> npx vitest run <file>` draws the same numbers.
 * (A race test's interleavings also depend on real timing; the seed replays its choices.)
 */
import { onTestFailed } from 'vitest';

/** The run's seed: AMIABLE_SEED (a 32-bit integer) or a fresh one. */
export function testSeed(): number {
  const given = process.env.AMIABLE_SEED;
  if (given !== undefined) {
    const n = Number(given);
    if (!Number.isInteger(n)) throw new Error(`AMIABLE_SEED must be an integer, got ${given}`);
    return n | 0;
  }
  return (Math.random() * 2 ** 32) | 0;
}

/** mulberry32: a small, fast 32-bit PRNG, good enough to pick delays and rates in tests. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random source for the current test (call it inside `it`, or in beforeAll for a describe):
 * prints the seed and how to replay it when the test fails.
 */
export function seededRandom(label: string): { seed: number; random: () => number } {
  const seed = testSeed();
  try {
    onTestFailed(() => console.error(`${label}: seed ${seed}; replay with AMIABLE_SEED=${seed}`));
  } catch {
    // outside a test (beforeAll): the caller prints the seed itself
  }
  return { seed, random: mulberry32(seed) };
}
