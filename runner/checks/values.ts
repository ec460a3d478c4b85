// Helpers the checks share: decoding observed values, comparing them, reading dotted paths.
import { createRequire } from 'node:module';
import { deepEqual } from '../../specs/generate/view.ts';
import { valueAt } from '../../specs/model.ts';

interface Codec {
  encodeValue(value: unknown, opts?: { redact?: boolean; maxString?: number; maxItems?: number }): unknown;
  decodeValue(value: unknown): unknown;
  isOpaqueMarker(value: unknown): boolean;
}
const require = createRequire(import.meta.url);
export const codec = require('../instrument/codec.cjs') as Codec;

export const decode = (v: unknown): unknown => codec.decodeValue(v);
export const encode = (v: unknown): unknown => codec.encodeValue(v);

const isUndefinedMarker = (v: unknown) =>
  v !== null && typeof v === 'object' && (v as { $conform?: string }).$conform === 'undefined';

/** Positional args with trailing `undefined`s removed: `f(a)` and `f(a, undefined)` reach a handler the same way. */
export function trimArgs(args: unknown[]): unknown[] {
  let n = args.length;
  while (n > 0 && (args[n - 1] === undefined || isUndefinedMarker(args[n - 1]))) n--;
  return args.slice(0, n);
}

/** Deep equality of two encoded values; truncated/redacted markers match anything. */
export function sameEncoded(a: unknown, b: unknown): boolean {
  return deepEqual(a, b, codec.isOpaqueMarker);
}

/** Value at a dotted path (`a.b.0.c`); undefined when absent. */
export function atPath(value: unknown, path: string): unknown {
  return path === '' || path === '.' ? value : valueAt(value, path.split('.'));
}

/** Whether an encoded value (decoded, as JSON text) or a string mentions `needle`. */
export function containsText(hay: unknown, needle: string): boolean {
  if (hay === undefined || hay === null) return false;
  const text = typeof hay === 'string' ? hay : (() => {
    try {
      return JSON.stringify(decode(hay));
    } catch {
      return String(hay);
    }
  })();
  return text.includes(needle);
}

/** Short JSON for messages. */
export function brief(value: unknown, max = 160): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
