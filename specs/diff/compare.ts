// The schema walker: compares two schema nodes of two packs structurally, following `$ref`s
// through each side's own SchemaStore, and applies the schema rules at every matched node pair.
//
// Recursion and speed: a node pair already on the walk's stack is a cycle (recursive type) and is
// not entered again. Finished node pairs are memoized per store pair and direction, so a type
// shared by many channels is compared once; a result is memoized only when no cycle reached above
// its node (otherwise it would be cut short when reused from another root).
import type { SchemaStore } from '../model.ts';
import { canon, normalize } from './normalize.ts';
import type { NodeRef, Norm } from './normalize.ts';
import { ANNOTATION_RULES, VALUE_RULES, variantAdded, variantRemoved } from './rules/schema.ts';
import type { SchemaHit, SchemaRule } from './rules/schema.ts';
import type { Flow } from './types.ts';

export interface SchemaDelta {
  rule: SchemaRule;
  hit: SchemaHit;
  /** JSON pointer into the value ('' = root). */
  path: string;
}

interface Walk {
  A: SchemaStore;
  B: SchemaStore;
  flow: Flow;
  /** node pair key -> depth, for the pairs being walked */
  stack: Map<string, number>;
  memo: Map<string, SchemaDelta[]>;
}

const memos = new WeakMap<SchemaStore, WeakMap<SchemaStore, Record<Flow, Map<string, SchemaDelta[]>>>>();
function memoFor(a: SchemaStore, b: SchemaStore, flow: Flow): Map<string, SchemaDelta[]> {
  let inner = memos.get(a);
  if (!inner) memos.set(a, (inner = new WeakMap()));
  let m = inner.get(b);
  if (!m) inner.set(b, (m = { in: new Map(), out: new Map() }));
  return m[flow];
}

export function compareSchemas(a: NodeRef, storeA: SchemaStore, b: NodeRef, storeB: SchemaStore, flow: Flow): SchemaDelta[] {
  const w: Walk = { A: storeA, B: storeB, flow, stack: new Map(), memo: memoFor(storeA, storeB, flow) };
  return walk(w, a, b, 0).deltas;
}

const keyPath = (k: string) => '/' + k.replace(/~/g, '~0').replace(/\//g, '~1');

function apply(rules: SchemaRule[], na: Norm, nb: Norm, flow: Flow, out: SchemaDelta[]): void {
  for (const rule of rules) for (const hit of rule.check(na, nb, flow)) out.push({ rule, hit, path: hit.sub ?? '' });
}

interface Result {
  deltas: SchemaDelta[];
  /** Smallest stack depth a cycle in this subtree went back to (Infinity: none above this node). */
  low: number;
}

function add(out: SchemaDelta[], prefix: string, r: Result): void {
  for (const d of r.deltas) out.push(prefix ? { ...d, path: prefix + d.path } : d);
}

function walk(w: Walk, a: NodeRef, b: NodeRef, depth: number): Result {
  const na = normalize(a, w.A);
  const nb = normalize(b, w.B);
  const key = `${na.uri}|${nb.uri}`;
  const memo = w.memo.get(key);
  if (memo) return { deltas: memo, low: Infinity };
  const onStack = w.stack.get(key);
  if (onStack !== undefined) return { deltas: [], low: onStack };
  w.stack.set(key, depth);
  const out: SchemaDelta[] = [];
  let low = Infinity;
  const child = (x: NodeRef, y: NodeRef, prefix: string) => {
    const r = walk(w, x, y, depth + 1);
    low = Math.min(low, r.low);
    add(out, prefix, r);
  };

  apply(ANNOTATION_RULES, na, nb, w.flow, out);
  // An open type on either side cannot be compared structurally: the note change is the finding.
  const open = (na.unspecified !== undefined || nb.unspecified !== undefined) && na.unspecified !== nb.unspecified;
  if (!open) {
    const va = na.variants;
    const vb = nb.variants;
    if (va && vb) apply(VALUE_RULES, na, nb, w.flow, out);
    else if (!va && !vb) apply(VALUE_RULES, na, nb, w.flow, out);
    if (va || vb) {
      // A single schema against a union: the single side is a union of one.
      low = Math.min(low, matchVariants(w, va ?? [a], vb ?? [b], depth, out));
    }
    if (!(va || vb) || (va && vb)) {
      for (const [k, ca] of na.properties) {
        const cb = nb.properties.get(k);
        if (cb) child(ca, cb, keyPath(k));
      }
      if (typeof na.additional === 'object' && typeof nb.additional === 'object') child(na.additional, nb.additional, '/{additional}');
      if (na.items && nb.items) child(na.items, nb.items, '/*');
      const n = Math.min(na.prefixItems.length, nb.prefixItems.length);
      for (let i = 0; i < n; i++) child(na.prefixItems[i]!, nb.prefixItems[i]!, `/${i}`);
    }
  }
  w.stack.delete(key);
  if (low >= depth) {
    w.memo.set(key, out);
    low = Infinity;
  }
  return { deltas: out, low };
}

/** A discriminating key of a union branch: its single-valued properties (`type="chunk"`), else its lone type. */
function variantKey(n: Norm, store: SchemaStore): string | undefined {
  const parts: string[] = [];
  for (const [k, ref] of [...n.properties].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const p = normalize(ref, store);
    if (p.values?.length === 1) parts.push(`${k}=${canon(p.values[0])}`);
  }
  if (parts.length) return parts.join('&');
  if (n.values?.length === 1) return `=${canon(n.values[0])}`;
  if (n.types?.size === 1 && !n.types.has('object')) return `type:${[...n.types][0]}`;
  return undefined;
}

/** Pairs union branches (by key, then by equality, then in order) and walks the pairs; returns the cycle low mark. */
function matchVariants(w: Walk, va: NodeRef[], vb: NodeRef[], depth: number, out: SchemaDelta[]): number {
  const pairs: [number, number][] = [];
  const freeA = new Set(va.map((_, i) => i));
  const freeB = new Set(vb.map((_, i) => i));
  const ka = va.map((v) => variantKey(normalize(v, w.A), w.A));
  const kb = vb.map((v) => variantKey(normalize(v, w.B), w.B));
  const results = new Map<string, Result>();
  const cmp = (i: number, x: number) => {
    const k = `${i},${x}`;
    let r = results.get(k);
    if (!r) results.set(k, (r = walk(w, va[i]!, vb[x]!, depth + 1)));
    return r;
  };
  const pairUp = (i: number, x: number) => {
    pairs.push([i, x]);
    freeA.delete(i);
    freeB.delete(x);
  };
  // 1. by discriminating key
  for (const i of [...freeA]) {
    if (ka[i] === undefined) continue;
    const x = [...freeB].find((y) => kb[y] === ka[i]);
    if (x !== undefined) pairUp(i, x);
  }
  // 2. by structural equality
  for (const i of [...freeA]) {
    const x = [...freeB].find((y) => cmp(i, y).deltas.length === 0);
    if (x !== undefined) pairUp(i, x);
  }
  // 3. leftovers in order when the counts agree (a branch edited in place)
  if (freeA.size === freeB.size) {
    const rb = [...freeB];
    [...freeA].forEach((i, n) => pairUp(i, rb[n]!));
  }
  const label = (i: number, len: number) => (len > 1 ? `/anyOf[${i}]` : '');
  for (const i of freeA) out.push({ rule: variantRemoved, path: label(i, va.length), hit: { message: `union branch ${i}${ka[i] ? ` (${ka[i]})` : ''} removed` } });
  for (const x of freeB) out.push({ rule: variantAdded, path: label(x, vb.length), hit: { message: `union branch ${x}${kb[x] ? ` (${kb[x]})` : ''} added` } });
  let low = Infinity;
  for (const [i, x] of pairs.sort((p, q) => p[1] - q[1])) {
    const r = cmp(i, x);
    low = Math.min(low, r.low);
    add(out, label(x, vb.length), r);
  }
  return low;
}
