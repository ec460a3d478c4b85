// A conservative three-valued matcher: 'yes' / 'no' when it is sure, 'unknown' otherwise.
// The generator needs it only where construction alone cannot decide: a oneOf value must match
// exactly one branch, a `not` must stay unmatched, and a value broken inside one union branch
// must still miss every other branch. It is deliberately independent of ajv so the property test
// (which uses the store's ajv validator) still checks the generator's construction.
import type { SchemaStore } from '../model.ts';
import { deepEqual, itemSub, jsonType, propSub, typeAllowed, viewOf, type Sub, type View } from './view.ts';

export type Verdict = 'yes' | 'no' | 'unknown';

const and = (a: Verdict, b: Verdict): Verdict => (a === 'no' || b === 'no' ? 'no' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'yes');

export function ucs2length(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function multipleOk(x: number, m: number): boolean {
  const r = x / m;
  return r === parseInt(String(r), 10);
}

const regexCache = new Map<string, RegExp | null>();
export function regex(source: string): RegExp | null {
  let re = regexCache.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(source, 'u');
    } catch {
      re = null;
    }
    regexCache.set(source, re);
  }
  return re;
}

export function check(store: SchemaStore, sub: Sub, x: unknown, depth = 0): Verdict {
  if (depth > 40) return 'unknown';
  return checkView(store, viewOf(store, sub), x, depth);
}

export function checkView(store: SchemaStore, v: View, x: unknown, depth: number): Verdict {
  if (v.never) return 'no';
  // x-void holds only for undefined (the store's keyword checks `data === undefined`).
  if (v.void) return x === undefined ? 'yes' : 'no';
  const t = jsonType(x);
  if (t === 'undefined' || t === 'other') return 'no';
  if (v.unspecified !== undefined) return 'yes';
  if (!typeAllowed(v.types, t)) return 'no';
  if (v.hasConst && !deepEqual(v.constValue, x)) return 'no';
  if (v.enum && !v.enum.some((e) => deepEqual(e, x))) return 'no';
  let r: Verdict = v.unsupported.size ? 'unknown' : 'yes';

  if (typeof x === 'number') {
    if (v.minimum !== undefined && x < v.minimum) return 'no';
    if (v.maximum !== undefined && x > v.maximum) return 'no';
    if (v.exclusiveMinimum !== undefined && x <= v.exclusiveMinimum) return 'no';
    if (v.exclusiveMaximum !== undefined && x >= v.exclusiveMaximum) return 'no';
    if (v.multipleOf.some((m) => !multipleOk(x, m))) return 'no';
  }
  if (typeof x === 'string') {
    const len = ucs2length(x);
    if (v.minLength !== undefined && len < v.minLength) return 'no';
    if (v.maxLength !== undefined && len > v.maxLength) return 'no';
    for (const p of v.patterns) {
      const re = regex(p);
      if (!re) r = and(r, 'unknown');
      else if (!re.test(x)) return 'no';
    }
    if (v.formats.length) r = and(r, 'unknown');
  }
  if (Array.isArray(x)) {
    if (v.minItems !== undefined && x.length < v.minItems) return 'no';
    if (v.maxItems !== undefined && x.length > v.maxItems) return 'no';
    if (v.uniqueItems) {
      for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) if (deepEqual(x[i], x[j])) return 'no';
    }
    for (let i = 0; i < x.length; i++) {
      const s = itemSub(v, i);
      if (s === null) return 'no';
      if (s.length) r = and(r, check(store, s, x[i], depth + 1));
      if (r === 'no') return r;
    }
    if (v.contains.length) r = and(r, 'unknown');
  }
  if (t === 'object') {
    const o = x as Record<string, unknown>;
    const keys = Object.keys(o);
    for (const req of v.required) if (!Object.hasOwn(o, req)) return 'no';
    if (v.minProperties !== undefined && keys.length < v.minProperties) return 'no';
    if (v.maxProperties !== undefined && keys.length > v.maxProperties) return 'no';
    for (const [k, deps] of v.dependentRequired) if (Object.hasOwn(o, k) && deps.some((d) => !Object.hasOwn(o, d))) return 'no';
    for (const k of keys) {
      const s = propSub(v, k);
      if (s === null) return 'no';
      if (s.length) r = and(r, check(store, s, o[k], depth + 1));
      if (r === 'no') return r;
      for (const pn of v.propertyNames) r = and(r, check(store, pn, k, depth + 1));
    }
  }
  for (const d of v.disjunctions) {
    const verdicts = d.branches.map((b) => check(store, b, x, depth + 1));
    const yes = verdicts.filter((b) => b === 'yes').length;
    const unknown = verdicts.filter((b) => b === 'unknown').length;
    if (d.kind === 'anyOf') r = and(r, yes > 0 ? 'yes' : unknown > 0 ? 'unknown' : 'no');
    else r = and(r, yes > 1 ? 'no' : yes === 1 && unknown === 0 ? 'yes' : yes + unknown === 0 ? 'no' : 'unknown');
    if (r === 'no') return r;
  }
  for (const n of v.not) {
    const inner = check(store, n, x, depth + 1);
    r = and(r, inner === 'yes' ? 'no' : inner === 'no' ? 'yes' : 'unknown');
    if (r === 'no') return r;
  }
  return r;
}
