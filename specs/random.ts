import { generateMersenne53Randomizer, type Randomizer } from '@faker-js/faker';

// A small seeded PRNG (mulberry32): everything that must be reproducible per seed (sampled stream
// words, synthesized mock streams) draws from it instead of Math.random.
export function seededRandom(seed: number): () => number {
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
 * faker's default randomizer (`generateMersenne53Randomizer`) whose seed takes effect only when a
 * number is drawn. The generator reseeds its Faker for every value and the mock for every answer
 * it fills, and many of those draw nothing (a value with no field faker fills): faker's seed
 * builds its 624-word state each time (~20 us, ~10% of a mock call).
 */
export function lazilySeededRandomizer(): Randomizer {
  const inner = generateMersenne53Randomizer();
  let pending: number | number[] | undefined;
  return {
    seed(seed) {
      pending = seed;
    },
    next() {
      if (pending !== undefined) {
        inner.seed(pending);
        pending = undefined;
      }
      return inner.next();
    },
  };
}
