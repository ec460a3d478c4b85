// Valid values by construction: walk the merged view and build a value that meets each keyword.
import type { Faker } from '@faker-js/faker';
import type { JsonSchema, SchemaStore } from '../model.ts';
import { check } from './check.ts';
import { genNumber, genString } from './scalars.ts';
import { declaredProps, deepEqual, itemSub, jsonType, propSub, typeAllowed, viewOf, type JsonType, type Sub, type View } from './view.ts';

export class Unsatisfiable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unsatisfiable';
  }
}

export interface GenCtx {
  store: SchemaStore;
  f: Faker;
  /** Include every optional property and at least one array item (base values for invalid variants). */
  full: boolean;
  /** Beyond this depth recursive schemas take their smallest shape. */
  maxDepth: number;
  /** Folder that generated path-like strings point into (the run's own); absent: faker's paths. */
  pathRoot?: string;
  /** The app's guard roots by name (`x-guard: { pathUnder }`), when known. */
  guardRoots?: Record<string, string>;
  /** Pick union branches in turn (branch = (rotate + attempt) % n) instead of at random: covers every branch across rotations. */
  rotate?: number;
}

const NO_DECISIONS: ReadonlySet<object> = new Set();

export function genSub(ctx: GenCtx, sub: Sub, depth: number, key?: string, decided: ReadonlySet<object> = NO_DECISIONS): unknown {
  if (depth > ctx.maxDepth + 12) throw new Unsatisfiable(`recursion deeper than ${ctx.maxDepth + 12} without a way out`);
  const v = viewOf(ctx.store, sub, decided);
  if (v.never) throw new Unsatisfiable(`no value satisfies ${describeSub(sub)}`);
  if (v.void) return undefined;
  if (v.unspecified !== undefined) return anyJson(ctx.f, depth);
  if (v.disjunctions.length) return genDisjunctive(ctx, sub, v, depth, key, decided);

  let fallback: unknown;
  let fallbackSet = false;
  for (let attempt = 0; attempt < 6; attempt++) {
    const x = genPlain(ctx, sub, v, depth, key, attempt);
    // `not` is best effort: retry while the value surely matches the negated schema.
    if (v.not.every((n) => check(ctx.store, n, x) !== 'yes')) return x;
    if (!fallbackSet) (fallback = x), (fallbackSet = true);
  }
  return fallback;
}

function describeSub(sub: Sub): string {
  return sub.map((p) => (typeof p.schema === 'boolean' ? String(p.schema) : p.base)).join(' & ');
}

function genDisjunctive(ctx: GenCtx, sub: Sub, v: View, depth: number, key: string | undefined, decided: ReadonlySet<object>): unknown {
  const nowDecided = new Set(decided);
  for (const d of v.disjunctions) nowDecided.add(d.id);
  let fallback: { x: unknown } | undefined;
  let lastError: unknown;
  // Overlapping oneOf branches need a value in one branch only: random search, bounded.
  for (let attempt = 0; attempt < 20; attempt++) {
    const chosen: Sub = [...sub];
    const picks: number[] = [];
    for (const d of v.disjunctions) {
      const order = ctx.rotate === undefined ? ctx.f.helpers.shuffle(d.branches.map((_, i) => i)) : d.branches.map((_, i) => (i + ctx.rotate!) % d.branches.length);
      // Deep in a recursive type, prefer branches without objects/arrays so recursion ends.
      if (depth >= ctx.maxDepth) order.sort((a, b) => weight(ctx, d.branches[a]!) - weight(ctx, d.branches[b]!));
      const pick = order[attempt % order.length]!;
      picks.push(pick);
      chosen.push(...d.branches[pick]!);
    }
    let x: unknown;
    try {
      x = genSub(ctx, chosen, depth, key, nowDecided);
    } catch (e) {
      if (!(e instanceof Unsatisfiable)) throw e;
      lastError = e;
      continue;
    }
    // oneOf: the value must miss every other branch. anyOf needs nothing more.
    let exclusive = true;
    v.disjunctions.forEach((d, di) => {
      if (d.kind !== 'oneOf') return;
      d.branches.forEach((b, bi) => {
        if (bi !== picks[di] && check(ctx.store, b, x) !== 'no') exclusive = false;
      });
    });
    if (exclusive) return x;
    fallback ??= { x };
  }
  if (fallback) return fallback.x;
  throw lastError instanceof Error ? lastError : new Unsatisfiable('no branch of the union could be generated');
}

function weight(ctx: GenCtx, sub: Sub): number {
  try {
    const bv = viewOf(ctx.store, sub);
    if (!bv.types) return bv.hasConst || bv.enum ? 0 : 2;
    return bv.types.some((t) => t === 'object' || t === 'array') ? (bv.types.length > 1 ? 1 : 3) : 0;
  } catch {
    return 4;
  }
}

function inferTypes(v: View): JsonType[] {
  if (v.types) return v.types;
  if (v.objects.length || v.required.size || v.minProperties !== undefined) return ['object'];
  if (v.arrays.length || v.minItems !== undefined || v.contains.length) return ['array'];
  if (v.patterns.length || v.formats.length || v.minLength !== undefined || v.maxLength !== undefined) return ['string'];
  if (v.minimum !== undefined || v.maximum !== undefined || v.multipleOf.length) return ['number'];
  return ['string', 'integer', 'boolean', 'object', 'array', 'null'];
}

function genPlain(ctx: GenCtx, sub: Sub, v: View, depth: number, key: string | undefined, attempt: number): unknown {
  const { f } = ctx;
  key ??= v.hintName;
  // Examples and defaults as written, when they do not contradict sibling conjuncts.
  if (v.examples.length && !ctx.full && attempt === 0 && f.datatype.boolean()) {
    const ex = f.helpers.arrayElement(v.examples);
    if (check(ctx.store, sub, ex) !== 'no') return structuredClone(ex);
  }
  if (v.hasConst) return structuredClone(v.constValue);
  if (v.enum) {
    let options = v.enum.filter((e) => typeAllowed(v.types, jsonType(e)));
    const allowedByNot = options.filter((e) => v.not.every((n) => check(ctx.store, n, e) !== 'yes'));
    if (allowedByNot.length) options = allowedByNot;
    if (!options.length) throw new Unsatisfiable(`enum ${JSON.stringify(v.enum)} has no value of type ${v.types}`);
    return structuredClone(f.helpers.arrayElement(options));
  }
  let types = inferTypes(v);
  if (types.length > 1 && types.includes('null') && (ctx.full || depth < ctx.maxDepth)) {
    // Mostly the non-null shape; null now and then. Deep in recursion, null ends it.
    if (ctx.full || f.number.int({ min: 0, max: 4 }) > 0) types = types.filter((t) => t !== 'null');
  } else if (depth >= ctx.maxDepth && types.includes('null')) {
    types = ['null'];
  }
  const type = f.helpers.arrayElement(types);
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return f.datatype.boolean();
    case 'string':
      return genString(f, v, key, { root: ctx.pathRoot, guardRoots: ctx.guardRoots });
    case 'integer':
    case 'number':
      try {
        return genNumber(f, v, type === 'integer', key);
      } catch (e) {
        throw new Unsatisfiable((e as Error).message);
      }
    case 'array':
      return genArray(ctx, v, depth);
    case 'object':
      return genObject(ctx, v, depth);
  }
}

function genArray(ctx: GenCtx, v: View, depth: number): unknown[] {
  const { f } = ctx;
  const prefixLen = Math.max(0, ...v.arrays.map((a) => a.prefix.length));
  let closedAt = Infinity;
  for (const a of v.arrays) if (a.items === false) closedAt = Math.min(closedAt, a.prefix.length);
  const min = v.minItems ?? 0;
  const max = Math.min(v.maxItems ?? Infinity, closedAt);
  if (max < min) throw new Unsatisfiable(`array needs ${min}..${max} items`);
  // Tuples (positional args) stay within their declared positions unless minItems needs more.
  const soft = prefixLen > 0 ? Math.max(prefixLen, min) : depth >= ctx.maxDepth ? min : min + 3;
  const upper = Math.min(max, soft);
  let n: number;
  if (ctx.full) n = Math.max(min, Math.min(upper, prefixLen > 0 ? prefixLen : Math.max(min, 2), max));
  else n = f.number.int({ min, max: Math.max(min, upper) });
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const s = itemSub(v, i)!;
    let item: unknown;
    let tries = 0;
    do {
      item = s.length ? genSub(ctx, s, depth + 1) : anyScalar(f);
      tries++;
    } while (v.uniqueItems && out.some((o) => deepEqual(o, item)) && tries < 8);
    if (v.uniqueItems && out.some((o) => deepEqual(o, item))) {
      if (i >= min) break;
      throw new Unsatisfiable(`cannot find ${min} unique items`);
    }
    out.push(item);
  }
  for (const c of v.contains) {
    if (out.some((x) => check(ctx.store, c, x) === 'yes')) continue;
    const i = out.length < max ? out.length : out.length - 1;
    if (i < 0) throw new Unsatisfiable('contains needs an item but maxItems is 0');
    out[i] = genSub(ctx, [...(itemSub(v, i) ?? []), ...c], depth + 1);
  }
  return out;
}

function genObject(ctx: GenCtx, v: View, depth: number): Record<string, unknown> {
  const { f } = ctx;
  const keys: string[] = [];
  const include = (k: string) => {
    if (keys.includes(k)) return;
    keys.push(k);
    for (const d of v.dependentRequired.get(k) ?? []) include(d);
  };
  for (const r of v.required) {
    if (propSub(v, r) === null) throw new Unsatisfiable(`required property '${r}' is forbidden by additionalProperties: false`);
  }
  const declared = declaredProps(v);
  const deep = depth >= ctx.maxDepth;
  for (const k of declared) {
    if (v.required.has(k)) include(k);
    else if (propSub(v, k) !== null && !deep && (ctx.full || f.datatype.boolean())) include(k);
  }
  // Record-like objects (no declared names) get a few entries of their value schema.
  const open = v.objects.every((o) => o.additional !== false);
  const patterns = v.objects.flatMap((o) => o.patterns);
  const valueSchema = v.objects.some((o) => o.additional && o.additional.length) || patterns.length;
  let extras = declared.length === 0 && valueSchema && !deep ? f.number.int({ min: ctx.full ? 1 : 0, max: 2 }) : 0;
  extras = Math.max(extras, (v.minProperties ?? 0) - keys.length);
  for (let i = 0, guard = 0; i < extras && guard < 20; guard++) {
    const k = extraKey(ctx, v, depth, patterns);
    if (k === undefined || keys.includes(k) || propSub(v, k) === null) continue;
    include(k);
    i++;
  }
  if (v.maxProperties !== undefined) {
    for (let i = keys.length - 1; keys.length > v.maxProperties && i >= 0; i--) if (!v.required.has(keys[i]!)) keys.splice(i, 1);
  }
  if (!open && keys.some((k) => propSub(v, k) === null)) throw new Unsatisfiable('object keys conflict with additionalProperties: false');
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const s = propSub(v, k)!;
    out[k] = s.length ? genSub(ctx, s, depth + 1, k) : anyScalar(f);
  }
  return out;
}

function extraKey(ctx: GenCtx, v: View, depth: number, patterns: View['objects'][number]['patterns']): string | undefined {
  const { f } = ctx;
  if (v.propertyNames.length) {
    const k = genSub(ctx, [...v.propertyNames.flat(), STRING_PART], depth + 1);
    return typeof k === 'string' ? k : undefined;
  }
  const noAdditional = v.objects.some((o) => o.additional === false);
  if (patterns.length && (noAdditional || f.datatype.boolean())) {
    const p = f.helpers.arrayElement(patterns);
    return genString(f, viewOf(ctx.store, [patternPart(p.source)]), undefined);
  }
  return `${f.lorem.word()}${f.number.int({ min: 1, max: 99 })}`;
}

// Constant schema objects: views are cached by schema identity, so never build them per call.
const STRING_PART = { schema: { type: 'string' }, base: '' };
const patternParts = new Map<string, { schema: JsonSchema; base: string }>();
function patternPart(source: string) {
  let p = patternParts.get(source);
  if (!p) patternParts.set(source, (p = { schema: { type: 'string', pattern: source }, base: '' }));
  return p;
}

function anyScalar(f: Faker): unknown {
  return f.helpers.arrayElement([() => f.lorem.word(), () => f.number.int({ min: 0, max: 100 }), () => f.datatype.boolean()])();
}

/** Any JSON value (for `x-unspecified`): small, of every kind. */
export function anyJson(f: Faker, depth: number): unknown {
  const kinds = depth > 2 ? 4 : 6;
  switch (f.number.int({ min: 0, max: kinds - 1 })) {
    case 0:
      return f.lorem.word();
    case 1:
      return f.number.int({ min: 0, max: 1000 });
    case 2:
      return f.datatype.boolean();
    case 3:
      return null;
    case 4:
      return { [f.lorem.word()]: anyJson(f, depth + 1) };
    default:
      return [anyJson(f, depth + 1), anyJson(f, depth + 1)];
  }
}
