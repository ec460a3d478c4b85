import type { Randomizer } from '@faker-js/faker';

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
 * faker's default randomizer (`generateMersenne53Randomizer`: MT19937, 53-bit floats), value for
 * value, with a cheaper `seed`. The generator reseeds its Faker for every value and the mock for
 * every answer it fills: faker's seed builds its 624-word state with `Array.from({ length: 624 })`
 * (~20 us, ~10% of a mock call); this one reuses one Int32Array (~2 us), and only once a number
 * is drawn. The state words are the same modulo 2^32, and the algorithm reads them only through
 * 32-bit operations.
 */
export function mersenne53(): Randomizer {
  const N = 624;
  const mt = new Int32Array(N);
  let index = 0;
  const twist = () => {
    let k = 0;
    for (; k < N - 397; k++) {
      const y = (mt[k]! & 0x80000000) | (mt[k + 1]! & 0x7fffffff);
      mt[k] = mt[k + 397]! ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    }
    for (; k < N - 1; k++) {
      const y = (mt[k]! & 0x80000000) | (mt[k + 1]! & 0x7fffffff);
      mt[k] = mt[k + 397 - N]! ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    }
    const y = (mt[N - 1]! & 0x80000000) | (mt[0]! & 0x7fffffff);
    mt[N - 1] = mt[396]! ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    index = 0;
  };
  const initGenrand = (s: number) => {
    mt[0] = s;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = Math.imul(1812433253, prev) + i;
    }
  };
  const initByArray = (key: number[]) => {
    initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (mt[i]! ^ Math.imul(prev, 1664525)) + key[j]! + j;
      i++;
      j++;
      if (i >= N) (mt[0] = mt[N - 1]!), (i = 1);
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (mt[i]! ^ Math.imul(prev, 1566083941)) - i;
      i++;
      if (i >= N) (mt[0] = mt[N - 1]!), (i = 1);
    }
    mt[0] = 0x80000000;
  };
  // A seed takes effect when the first number is drawn: many reseeds draw nothing (a value
  // with no field faker fills).
  let pending: number | number[] | undefined;
  const nextU32 = () => {
    if (pending !== undefined) {
      if (typeof pending === 'number') initGenrand(pending);
      else initByArray(pending);
      pending = undefined;
      twist();
    }
    let y = mt[index]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    if (++index >= N) twist();
    return y >>> 0;
  };
  const seed = (s: number | number[]) => {
    pending = typeof s === 'number' ? s : [...s];
  };
  seed(Math.ceil(Math.random() * (2 ** 53 - 1)));
  return {
    next: () => ((nextU32() >>> 5) * 67108864 + (nextU32() >>> 6)) * 2 ** -53,
    seed,
  };
}
