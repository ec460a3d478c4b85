// Invalid values by construction: start from a valid value and break exactly one keyword at one
// place. Each break is correct on its own (a value shorter than minLength fails minLength whatever
// else holds); the only place construction cannot decide alone is a union, where the broken value
// must also miss every other branch: there the conservative checker (check.ts) must say 'no'.
import type { SchemaStore } from '../model.ts';
import { check } from './check.ts';
import { FORMAT_BREAKERS } from './scalars.ts';
import { genSub, Unsatisfiable, type GenCtx } from './valid.ts';
import {
  ALL_TYPES, deepEqual, itemSub, jsonType, pointer, propSub, typeAllowed, viewOf, type JsonType, type Sub, type View,
} from './view.ts';

export type InvalidRule =
  | 'wrong-type'
  | 'missing-required'
  | 'not-in-enum'
  | 'not-const'
  | 'extra-property'
  | 'pattern'
  | 'format'
  | 'minimum'
  | 'maximum'
  | 'multiple-of'
  | 'min-length'
  | 'max-length'
  | 'min-items'
  | 'max-items'
  | 'extra-item'
  | 'unique-items'
  | 'wrong-item'
  | 'min-properties'
  | 'max-properties'
  | 'property-name'
  | 'contains'
  | 'not';

export interface InvalidValue {
  rule: InvalidRule;
  /** JSON pointer (into the value) of the place that breaks the rule; '' is the root. */
  path: string;
  value: unknown;
  description: string;
}

/** A break at one level: `value` replaces the value at the level the break was computed for. */
type Break = InvalidValue;

const NO_DECISIONS: ReadonlySet<object> = new Set();
const MAX_BREAK_DEPTH = 10;

export function breaksOf(ctx: GenCtx, sub: Sub, x: unknown, path: string, depth: number, decided: ReadonlySet<object> = NO_DECISIONS): Break[] {
  if (depth > MAX_BREAK_DEPTH) return [];
  const v = viewOf(ctx.store, sub, decided);
  // Nothing to break: `x-unspecified` and `x-void` accept anything we could check here.
  if (v.never || v.void || v.unspecified !== undefined) return [];
  if (!v.disjunctions.length) return plainBreaks(ctx, v, x, path, depth);

  const all = new Set(decided);
  for (const d of v.disjunctions) all.add(d.id);
  const base = viewOf(ctx.store, sub, all);
  const out = plainBreaks(ctx, base, x, path, depth);
  // A type no branch admits (when the shared part says nothing about types).
  if (!base.types && !base.hasConst && !base.enum) {
    let allowed: JsonType[] | undefined;
    for (const d of v.disjunctions) {
      const u = unionTypes(ctx.store, d.branches);
      if (u) allowed = allowed ? allowed.filter((t) => u.includes(t)) : u;
    }
    if (allowed) {
      const w = wrongTypeValue(allowed, x);
      if (w) out.push({ rule: 'wrong-type', path, value: w.value, description: `${w.type} where only ${allowed.join(' | ')} is allowed` });
    }
  }
  for (const d of v.disjunctions) {
    const matching = d.branches.map((b, i) => (check(ctx.store, b, x) === 'yes' ? i : -1)).filter((i) => i >= 0);
    if (matching.length !== 1 && !(d.kind === 'anyOf' && matching.length > 0)) continue;
    const j = matching[0]!;
    const others = d.branches.filter((_, i) => i !== j);
    for (const b of breaksOf(ctx, [...sub, ...d.branches[j]!], x, path, depth, all)) {
      if (others.every((o) => check(ctx.store, o, b.value) === 'no')) {
        out.push({ ...b, description: `${b.description} (and no other ${d.kind} branch matches)` });
      }
    }
  }
  return dedupe(out);
}

function dedupe(list: Break[]): Break[] {
  const seen = new Set<string>();
  return list.filter((b) => {
    const k = `${b.rule} ${b.path}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function unionTypes(store: SchemaStore, branches: Sub[]): JsonType[] | undefined {
  const out = new Set<JsonType>();
  for (const b of branches) {
    const t = typesOf(store, viewOf(store, b));
    if (!t) return undefined;
    for (const x of t) out.add(x);
  }
  return [...out];
}

function typesOf(store: SchemaStore, v: View): JsonType[] | undefined {
  if (v.never) return [];
  if (v.unspecified !== undefined) return undefined;
  if (v.void) return [];
  if (v.types) return v.types;
  const values = v.hasConst ? [v.constValue] : v.enum;
  if (values) return [...new Set(values.map((x) => jsonType(x)).filter((t): t is JsonType => ALL_TYPES.includes(t as JsonType)))];
  let acc: JsonType[] | undefined;
  for (const d of v.disjunctions) {
    const u = unionTypes(store, d.branches);
    if (u) acc = acc ? acc.filter((t) => u.includes(t)) : u;
  }
  return acc;
}

const WRONG_BY_TYPE: Record<string, [JsonType, unknown][]> = {
  string: [['integer', 42], ['boolean', true], ['null', null], ['array', []], ['object', {}]],
  number: [['string', '42'], ['boolean', true], ['null', null], ['array', []], ['object', {}]],
  boolean: [['string', 'true'], ['integer', 1], ['null', null], ['array', []], ['object', {}]],
  null: [['string', 'null'], ['integer', 0], ['boolean', false], ['array', []], ['object', {}]],
  array: [['object', {}], ['string', 'not-an-array'], ['integer', 1], ['boolean', true], ['null', null]],
  object: [['array', []], ['string', 'not-an-object'], ['integer', 1], ['boolean', true], ['null', null]],
};

function wrongTypeValue(allowed: JsonType[], x: unknown): { type: JsonType; value: unknown } | undefined {
  const t = jsonType(x);
  const order = WRONG_BY_TYPE[t === 'integer' ? 'number' : t] ?? WRONG_BY_TYPE.string!;
  // Integers only: a fraction is the closest wrong type.
  const candidates: [JsonType, unknown][] = allowed.includes('integer') && !allowed.includes('number') ? [['number', 1.5], ...order] : order;
  for (const [type, value] of candidates) if (!typeAllowed(allowed, jsonType(value))) return { type, value: structuredClone(value) };
  return undefined;
}

/** A value unequal to `c`, of the same type where one exists. */
function differentFrom(c: unknown): unknown {
  switch (jsonType(c)) {
    case 'string':
      return `${c as string}-not`;
    case 'integer':
    case 'number':
      return (c as number) + 1;
    case 'boolean':
      return !c;
    case 'null':
      return 'not-null';
    case 'array':
      return [...(c as unknown[]), 'not'];
    default:
      return { ...(c as object), notConst: true };
  }
}

function outsideEnum(values: unknown[], x: unknown): unknown {
  let candidate = differentFrom(x);
  for (let i = 0; values.some((e) => deepEqual(e, candidate)) && i < 50; i++) candidate = differentFrom(candidate);
  if (!values.some((e) => deepEqual(e, candidate))) return candidate;
  return { notInEnum: true };
}

const BAD_PATTERN_CANDIDATES = ['', '!', ' ', '~~~', '\n', '0', 'a', 'Z', '-', '#not matching#'];

function plainBreaks(ctx: GenCtx, v: View, x: unknown, path: string, depth: number): Break[] {
  const out: Break[] = [];
  const t = jsonType(x);
  const push = (rule: InvalidRule, value: unknown, description: string, at = path) => out.push({ rule, path: at, value, description });

  if (v.types) {
    const w = wrongTypeValue(v.types, x);
    if (w) push('wrong-type', w.value, `${w.type} where ${v.types.join(' | ')} is required`);
  }
  // A const / enum already pins the value: every other break there would just be "not the value".
  if (v.hasConst) {
    push('not-const', differentFrom(v.constValue), `value other than const ${JSON.stringify(v.constValue)}`);
    return out;
  }
  if (v.enum) {
    push('not-in-enum', outsideEnum(v.enum, x), `value outside enum ${JSON.stringify(v.enum)}`);
    return out;
  }

  if (typeof x === 'number') numberBreaks(v, x, push);
  if (typeof x === 'string') stringBreaks(v, x, push);
  if (Array.isArray(x)) arrayBreaks(ctx, v, x, path, depth, push, out);
  if (t === 'object') objectBreaks(ctx, v, x as Record<string, unknown>, path, depth, push, out);

  for (const n of v.not) {
    try {
      const bad = genSub({ ...ctx, full: false }, n, depth + 1);
      push('not', bad, 'value matching the schema under `not`');
    } catch (e) {
      if (!(e instanceof Unsatisfiable)) throw e;
    }
  }
  return out;
}

type Push = (rule: InvalidRule, value: unknown, description: string, at?: string) => void;

function numberBreaks(v: View, x: number, push: Push): void {
  const below = (m: number) => (Number.isInteger(m) ? m - 1 : Math.floor(m));
  const above = (m: number) => (Number.isInteger(m) ? m + 1 : Math.ceil(m));
  if (v.minimum !== undefined) push('minimum', below(v.minimum), `${below(v.minimum)} < minimum ${v.minimum}`);
  else if (v.exclusiveMinimum !== undefined) push('minimum', Math.floor(v.exclusiveMinimum), `${Math.floor(v.exclusiveMinimum)} <= exclusiveMinimum ${v.exclusiveMinimum}`);
  if (v.maximum !== undefined) push('maximum', above(v.maximum), `${above(v.maximum)} > maximum ${v.maximum}`);
  else if (v.exclusiveMaximum !== undefined) push('maximum', Math.ceil(v.exclusiveMaximum), `${Math.ceil(v.exclusiveMaximum)} >= exclusiveMaximum ${v.exclusiveMaximum}`);
  for (const m of v.multipleOf) {
    // x is a multiple of m, so x + m/2 is exactly halfway between two multiples.
    const bad = x + m / 2;
    push('multiple-of', bad, `${bad} is not a multiple of ${m}`);
    break;
  }
}

function stringBreaks(v: View, x: string, push: Push): void {
  const cps = Array.from(x);
  if (v.minLength !== undefined && v.minLength > 0) {
    push('min-length', cps.slice(0, v.minLength - 1).join(''), `string of ${v.minLength - 1} characters, minLength ${v.minLength}`);
  }
  if (v.maxLength !== undefined) {
    const bad = x + 'x'.repeat(v.maxLength + 1 - cps.length);
    push('max-length', bad, `string of ${v.maxLength + 1} characters, maxLength ${v.maxLength}`);
  }
  for (const p of v.patterns) {
    let re: RegExp;
    try {
      re = new RegExp(p, 'u');
    } catch {
      continue;
    }
    const bad = [...BAD_PATTERN_CANDIDATES, `${x}\n!`, `!${x}`].find((c) => !re.test(c));
    if (bad !== undefined) push('pattern', bad, `${JSON.stringify(bad)} does not match /${p}/`);
  }
  for (const f of v.formats) {
    const bad = FORMAT_BREAKERS[f];
    if (bad !== undefined) push('format', bad, `${JSON.stringify(bad)} is not a valid ${f}`);
  }
}

function arrayBreaks(ctx: GenCtx, v: View, x: unknown[], path: string, depth: number, push: Push, out: Break[]): void {
  const prefixLen = Math.max(0, ...v.arrays.map((a) => a.prefix.length));
  let closedAt = Infinity;
  for (const a of v.arrays) if (a.items === false) closedAt = Math.min(closedAt, a.prefix.length);
  if (v.minItems !== undefined && v.minItems > 0) {
    const bad = x.slice(0, v.minItems - 1);
    // A tuple of positional arguments: the missing position is a missing required argument.
    if (prefixLen > 0 && v.minItems <= prefixLen) {
      push('missing-required', bad, `required positional item ${v.minItems - 1} left out (minItems ${v.minItems})`, pointer(path, v.minItems - 1));
    } else {
      push('min-items', bad, `${bad.length} items, minItems ${v.minItems}`);
    }
  }
  const extend = (to: number) => {
    const bad = [...x];
    for (let i = bad.length; i < to; i++) bad.push(extraItem(ctx, v, i, depth, x));
    return bad;
  };
  if (v.maxItems !== undefined) {
    push('max-items', extend(v.maxItems + 1), `${v.maxItems + 1} items, maxItems ${v.maxItems}`, pointer(path, v.maxItems));
  } else if (closedAt !== Infinity) {
    push('extra-item', extend(Math.max(closedAt, x.length) + 1), `item beyond the ${closedAt} allowed (items: false)`, pointer(path, Math.max(closedAt, x.length)));
  }
  if (v.uniqueItems && prefixLen === 0 && x.length >= 1) {
    if (x.length >= 2) {
      const bad = [...x];
      bad[1] = structuredClone(x[0]);
      push('unique-items', bad, 'items 0 and 1 are equal (uniqueItems)', pointer(path, 1));
    } else if (v.maxItems === undefined || v.maxItems > 1) {
      push('unique-items', [x[0], structuredClone(x[0])], 'items 0 and 1 are equal (uniqueItems)', pointer(path, 1));
    }
  }
  for (const c of v.contains) {
    // Drop every item that matches `contains`; only when the rest surely does not match it.
    const rest = x.filter((item) => check(ctx.store, c, item) !== 'yes');
    if (rest.every((item) => check(ctx.store, c, item) === 'no')) push('contains', rest, 'no item matches `contains`');
  }
  // Break inside items: every positional item of a tuple, the first item of a list.
  const indices = prefixLen > 0 ? x.map((_, i) => i) : x.length ? [0] : [];
  for (const i of indices) {
    const s = itemSub(v, i);
    if (!s || !s.length) continue;
    const at = pointer(path, i);
    for (const b of breaksOf(ctx, s, x[i], at, depth + 1)) {
      const bad = [...x];
      bad[i] = b.value;
      const rule = b.rule === 'wrong-type' && b.path === at ? 'wrong-item' : b.rule;
      out.push({ rule, path: b.path, value: bad, description: b.description });
    }
  }
}

function extraItem(ctx: GenCtx, v: View, i: number, depth: number, x: unknown[]): unknown {
  const s = itemSub(v, i);
  if (s && s.length) {
    try {
      return genSub({ ...ctx, full: false }, s, depth + 1);
    } catch (e) {
      if (!(e instanceof Unsatisfiable)) throw e;
    }
  }
  return x.length ? structuredClone(x[x.length - 1]) : 'extra';
}

function objectBreaks(ctx: GenCtx, v: View, x: Record<string, unknown>, path: string, depth: number, push: Push, out: Break[]): void {
  for (const r of v.required) {
    if (!Object.hasOwn(x, r)) continue;
    const bad = { ...x };
    delete bad[r];
    push('missing-required', bad, `required property '${r}' left out`, pointer(path, r));
  }
  for (const [k, deps] of v.dependentRequired) {
    if (!Object.hasOwn(x, k)) continue;
    for (const d of deps) {
      if (!Object.hasOwn(x, d)) continue;
      const bad = { ...x };
      delete bad[d];
      push('missing-required', bad, `property '${d}' left out while '${k}' is present (dependentRequired)`, pointer(path, d));
    }
  }
  for (const pn of v.propertyNames) {
    const k = ['Not A Name!', '', '0', 'x'.repeat(300)].find((c) => !Object.hasOwn(x, c) && check(ctx.store, pn, c) === 'no');
    if (k !== undefined) push('property-name', { ...x, [k]: structuredClone(Object.values(x)[0] ?? null) }, `property name ${JSON.stringify(k)} breaks propertyNames`, pointer(path, k));
  }
  if (v.objects.some((o) => o.additional === false)) {
    const k = forbiddenKey(v, x);
    if (k !== undefined) push('extra-property', { ...x, [k]: 'unexpected' }, `property '${k}' not allowed (additionalProperties: false)`, pointer(path, k));
  }
  const keys = Object.keys(x);
  if (v.minProperties !== undefined && v.minProperties > 0) {
    const bad: Record<string, unknown> = {};
    for (const k of keys.slice(0, v.minProperties - 1)) bad[k] = x[k];
    push('min-properties', bad, `${Object.keys(bad).length} properties, minProperties ${v.minProperties}`);
  }
  if (v.maxProperties !== undefined) {
    const bad = { ...x };
    for (let i = 0; Object.keys(bad).length <= v.maxProperties; i++) if (!Object.hasOwn(bad, `extra${i}`)) bad[`extra${i}`] = 'extra';
    push('max-properties', bad, `${v.maxProperties + 1} properties, maxProperties ${v.maxProperties}`);
  }
  for (const k of keys) {
    const s = propSub(v, k);
    if (!s || !s.length) continue;
    for (const b of breaksOf(ctx, s, x[k], pointer(path, k), depth + 1)) {
      out.push({ ...b, value: { ...x, [k]: b.value } });
    }
  }
}

function forbiddenKey(v: View, x: Record<string, unknown>): string | undefined {
  for (const k of ['unexpectedProperty', 'zzUnexpected', '__unexpected__', 'x-unexpected-1']) {
    if (!Object.hasOwn(x, k) && propSub(v, k) === null) return k;
  }
  return undefined;
}
