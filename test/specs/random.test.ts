import { describe, expect, it } from 'vitest';
import { generateMersenne53Randomizer } from '@faker-js/faker';
import { lazilySeededRandomizer } from '../../specs/random.ts';

describe('lazilySeededRandomizer (faker\'s randomizer, seeded at the first draw)', () => {
  it("draws faker's own sequence for every kind of seed, across several state twists", () => {
    const theirs = generateMersenne53Randomizer();
    const ours = lazilySeededRandomizer();
    const seeds: (number | number[])[] = [0, 1, 42, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32 + 5, 2 ** 53 - 1, -7, 3.7, [1, 2, 3], [2 ** 32 - 1, 5], Array.from({ length: 700 }, (_, i) => i * 7919)];
    for (const seed of seeds) {
      theirs.seed(seed);
      ours.seed(seed);
      const a = Array.from({ length: 1500 }, () => theirs.next()); // 3000 32-bit draws: 4 twists
      const b = Array.from({ length: 1500 }, () => ours.next());
      expect(b, JSON.stringify(seed).slice(0, 40)).toEqual(a);
    }
  });

  it('a reseed wins over draws and seeds before it', () => {
    const theirs = generateMersenne53Randomizer();
    const ours = lazilySeededRandomizer();
    theirs.seed(5);
    ours.seed(5);
    expect(ours.next()).toBe(theirs.next());
    theirs.seed(9);
    ours.seed(8);
    ours.seed(9);
    expect([ours.next(), ours.next()]).toEqual([theirs.next(), theirs.next()]);
  });
});
