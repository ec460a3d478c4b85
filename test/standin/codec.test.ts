// The stand-in's tagged codec against Node's own structuredClone: what one keeps the other keeps,
// what one refuses the other refuses (with Electron's message).
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';

const { encode, decode } = createRequire(import.meta.url)('../../runner/standin/shared/codec.cjs') as {
  encode(v: unknown): unknown;
  decode(v: unknown): unknown;
};
const viaJson = (v: unknown) => decode(JSON.parse(JSON.stringify(encode(v))));

describe('tagged codec', () => {
  const samples: Array<[string, unknown]> = [
    ['primitives', [1, 'a', true, null, undefined, NaN, -0, Infinity, -Infinity, 2n ** 70n]],
    ['date', new Date(1700000000000)],
    ['invalid date', new Date(NaN)],
    ['map with object keys', new Map<unknown, unknown>([[{ k: 1 }, 'v'], ['x', new Set([1])]])],
    ['typed arrays', [new Uint8Array([1, 255]), new Int32Array([-5, 7]), new Float32Array([1.5]), new BigInt64Array([-3n]), new Uint8ClampedArray([300 % 256])]],
    ['array buffer', new Uint8Array([9, 8, 7]).buffer],
    ['regexp', /x+\d/gimsuy],
    ['errors', [new Error('e1'), new TypeError('t1'), new RangeError('r1')]],
    ['boxed', [Object(1), Object('s'), Object(false)]],
    ['object with $ key', { $: 'not a tag', v: { $: 'r', i: 0 } }],
    ['sparse array', [1, , 3]],
    ['class instance', new (class Point { constructor(public x = 1, public y = 2) {} })()],
  ];
  it.each(samples)('%s round-trips like structuredClone', (_name, value) => {
    expect(viaJson(value)).toStrictEqual(structuredClone(value));
  });

  it('keeps cycles and shared references as identities', () => {
    const shared = { s: 1 };
    const root: any = { a: shared, b: shared, list: [shared] };
    root.self = root;
    root.map = new Map([['root', root]]);
    const out = viaJson(root) as any;
    expect(out.self).toBe(out);
    expect(out.a).toBe(out.b);
    expect(out.list[0]).toBe(out.a);
    expect(out.map.get('root')).toBe(out);
    expect(out).not.toBe(root);
  });

  it('keeps -0, NaN and typed array contents exactly', () => {
    const out = viaJson([-0, NaN, new Float64Array([-0, 0.1])]) as any[];
    expect(Object.is(out[0], -0)).toBe(true);
    expect(Number.isNaN(out[1])).toBe(true);
    expect(Object.is(out[2][0], -0)).toBe(true);
    expect(out[2][1]).toBe(0.1);
  });

  it.each([
    ['function', () => 1],
    ['symbol', Symbol('s')],
    ['nested function', { a: [{ f() {} }] }],
    ['WeakMap', new WeakMap()],
    ['Promise', Promise.resolve(1)],
  ])('refuses a %s like structuredClone, with "An object could not be cloned."', (_name, value) => {
    expect(() => structuredClone(value)).toThrow();
    expect(() => encode(value)).toThrow(new Error('An object could not be cloned.'));
  });
});
