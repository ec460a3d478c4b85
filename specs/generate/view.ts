// A "view" is the flattened reading of a conjunction of schemas: `$ref`s followed (through
// store.resolve with the right base URI), `allOf` absorbed, keywords merged. Array and object
// keywords stay per conjunct because their meaning depends on siblings (`items` after that
// conjunct's `prefixItems`, `additionalProperties` beyond that conjunct's `properties`).
// Views are cached per store: compile once, generate many.
import type { JsonSchema, SchemaNode, SchemaStore } from '../model.ts';

export type JsonType = 'null' | 'boolean' | 'object' | 'array' | 'number' | 'integer' | 'string';
export const ALL_TYPES: JsonType[] = ['null', 'boolean', 'object', 'array', 'number', 'integer', 'string'];

/** One schema with the base URI its `$ref`s resolve against. */
export interface Part {
  schema: JsonSchema;
  base: string;
}
/** A conjunction of schemas (all must hold). */
export type Sub = Part[];

export interface ArrayConjunct {
  prefix: Sub[];
  /** undefined: unconstrained; false: no items beyond `prefix`. */
  items?: Sub | false;
}
export interface ObjectConjunct {
  props: Map<string, Sub>;
  patterns: { source: string; re: RegExp; sub: Sub }[];
  additional?: Sub | false;
}
export interface Disjunction {
  kind: 'anyOf' | 'oneOf';
  /** Identity of the keyword's array, so a decided disjunction is not re-opened. */
  id: object;
  branches: Sub[];
}

export interface View {
  key: string;
  /** No value satisfies it (a `false` schema or contradictory keywords). */
  never: boolean;
  /** `x-unspecified` note: the document leaves the type open; anything goes. */
  unspecified?: string;
  /** `x-void`: the value is `undefined` (a void return). */
  void: boolean;
  /** Allowed JSON types; undefined = unconstrained. */
  types?: JsonType[];
  hasConst: boolean;
  constValue?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf: number[];
  minLength?: number;
  maxLength?: number;
  patterns: string[];
  formats: string[];
  /** `x-guard: { pathUnder }`: the value is a filesystem path. */
  pathGuard: string | null;
  arrays: ArrayConjunct[];
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  contains: Sub[];
  objects: ObjectConjunct[];
  required: Set<string>;
  minProperties?: number;
  maxProperties?: number;
  dependentRequired: Map<string, string[]>;
  propertyNames: Sub[];
  disjunctions: Disjunction[];
  not: Sub[];
  examples: unknown[];
  /** A name that hints at the value when no property name does: `title`, else the `$defs` name a `$ref` reached. */
  hintName?: string;
  /** Keywords this generator does not understand (if/then/else, unevaluated*, ...). */
  unsupported: Set<string>;
  /** Memoised propSub / itemSub results: stable Sub arrays keep the view cache hot. */
  propCache: Map<string, Sub | null>;
  itemCache: Map<number, Sub | null>;
}

const schemaIds = new WeakMap<object, number>();
let nextId = 1;
function idOf(o: object): number {
  let id = schemaIds.get(o);
  if (id === undefined) schemaIds.set(o, (id = nextId++));
  return id;
}
function partKey(p: Part): string {
  return typeof p.schema === 'boolean' ? (p.schema ? 'T' : 'F') : `${idOf(p.schema)}@${p.base}`;
}

const caches = new WeakMap<SchemaStore, Map<string, View>>();
const subKeys = new WeakMap<Sub, string>();

export function subOf(node: SchemaNode): Sub {
  return [{ schema: node.schema, base: node.uri }];
}

/** The merged view of a conjunction; `decided` lists disjunctions already chosen by the caller. */
export function viewOf(store: SchemaStore, sub: Sub, decided?: ReadonlySet<object>): View {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new Map()));
  let key = subKeys.get(sub);
  if (key === undefined) subKeys.set(sub, (key = sub.map(partKey).join('&')));
  if (decided && decided.size) key += '|' + [...decided].map(idOf).sort((a, b) => a - b).join(',');
  let view = cache.get(key);
  if (!view) {
    view = build(store, sub, key, decided);
    cache.set(key, view);
  }
  return view;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const maxOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
const minOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

const IGNORED = new Set([
  '$schema', '$id', '$anchor', '$dynamicAnchor', '$comment', '$defs', 'definitions', 'title', 'description',
  'deprecated', 'readOnly', 'writeOnly', 'contentMediaType', 'contentEncoding', 'x-secret', 'x-guard', 'x-note',
  'x-notes', 'discriminator',
]);

const STRUCTURAL = new Set(['x-unspecified', 'x-void', '$ref', 'allOf', 'examples', 'default']);

function resolveBase(id: string, base: string): string {
  try {
    return new URL(id, base).href;
  } catch {
    return id;
  }
}

/** JSON deep equality; a value `wildcard` accepts (on either side, at any depth) equals anything. */
export function deepEqual(a: unknown, b: unknown, wildcard?: (v: unknown) => boolean): boolean {
  if (wildcard && (wildcard(a) || wildcard(b))) return true;
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i], wildcard));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b as object, k) && deepEqual((a as any)[k], (b as any)[k], wildcard));
}

function build(store: SchemaStore, sub: Sub, key: string, decided?: ReadonlySet<object>): View {
  const v: View = {
    key, never: false, void: false, hasConst: false, multipleOf: [], patterns: [], formats: [], pathGuard: null, arrays: [],
    uniqueItems: false, contains: [], objects: [], required: new Set(), dependentRequired: new Map(),
    propertyNames: [], disjunctions: [], not: [], examples: [], unsupported: new Set(), propCache: new Map(), itemCache: new Map(),
  };
  let unspecifiedOnly = true;

  const absorb = (schema: JsonSchema, base: string, hops: number): void => {
    if (schema === true) return;
    if (schema === false || schema === null || typeof schema !== 'object') {
      v.never = true;
      return;
    }
    if (hops > 64) throw new Error(`$ref chain too deep at ${base}`);
    const s = schema as Record<string, any>;
    if (typeof s.$id === 'string') base = resolveBase(s.$id, base);
    let constrains = false;
    for (const k of Object.keys(s)) {
      // $ref / allOf targets are absorbed and judged on their own keywords.
      if (!STRUCTURAL.has(k) && !IGNORED.has(k)) constrains = true;
    }
    if (typeof s['x-unspecified'] === 'string' || s['x-unspecified'] === true) {
      v.unspecified ??= typeof s['x-unspecified'] === 'string' ? s['x-unspecified'] : 'unspecified';
    }
    if (constrains) unspecifiedOnly = false;
    if (s['x-void'] === true) v.void = true;

    if (typeof s.title === 'string') v.hintName ??= s.title;
    if (typeof s.$ref === 'string') {
      const target = store.resolve(s.$ref, base);
      const defName = /\/\$defs\/([^/]+)$/.exec(target.uri)?.[1];
      if (defName) v.hintName ??= decodeURIComponent(defName);
      absorb(target.schema, target.uri, hops + 1);
    }
    if (typeof s.$dynamicRef === 'string') v.unsupported.add('$dynamicRef');
    if (Array.isArray(s.allOf)) for (const x of s.allOf) absorb(x, base, hops + 1);
    for (const kind of ['anyOf', 'oneOf'] as const) {
      if (Array.isArray(s[kind]) && !decided?.has(s[kind])) {
        v.disjunctions.push({ kind, id: s[kind], branches: s[kind].map((b: JsonSchema) => [{ schema: b, base }]) });
      }
    }
    if (s.not !== undefined) v.not.push([{ schema: s.not, base }]);

    if (s.type !== undefined) {
      let t: JsonType[] = (Array.isArray(s.type) ? s.type : [s.type]).filter((x: unknown) => ALL_TYPES.includes(x as JsonType));
      if (s.nullable === true && !t.includes('null')) t.push('null');
      if (v.types) {
        const prev = v.types;
        t = t.flatMap((x): JsonType[] => {
          if (prev.includes(x)) return [x];
          if (x === 'number' && prev.includes('integer')) return ['integer'];
          if (x === 'integer' && prev.includes('number')) return ['integer'];
          return [];
        });
      }
      v.types = [...new Set(t)];
      if (v.types.length === 0) v.never = true;
    }
    if ('const' in s) {
      if (v.hasConst && !deepEqual(v.constValue, s.const)) v.never = true;
      v.hasConst = true;
      v.constValue = s.const;
    }
    if (Array.isArray(s.enum)) {
      v.enum = v.enum ? v.enum.filter((x) => s.enum.some((y: unknown) => deepEqual(x, y))) : [...s.enum];
      if (v.enum.length === 0) v.never = true;
    }
    v.minimum = maxOf(v.minimum, num(s.minimum));
    v.maximum = minOf(v.maximum, num(s.maximum));
    v.exclusiveMinimum = maxOf(v.exclusiveMinimum, num(s.exclusiveMinimum));
    v.exclusiveMaximum = minOf(v.exclusiveMaximum, num(s.exclusiveMaximum));
    if (num(s.multipleOf) !== undefined && s.multipleOf > 0) v.multipleOf.push(s.multipleOf);
    v.minLength = maxOf(v.minLength, num(s.minLength));
    v.maxLength = minOf(v.maxLength, num(s.maxLength));
    if (typeof s.pattern === 'string') v.patterns.push(s.pattern);
    if (typeof s.format === 'string') v.formats.push(s.format);
    if (s['x-guard'] && typeof s['x-guard'] === 'object' && 'pathUnder' in s['x-guard']) v.pathGuard = String((s['x-guard'] as { pathUnder: unknown }).pathUnder);

    if (Array.isArray(s.prefixItems) || s.items !== undefined) {
      const prefix: Sub[] = Array.isArray(s.prefixItems) ? s.prefixItems.map((x: JsonSchema) => [{ schema: x, base }]) : [];
      const items = s.items === undefined || s.items === true ? undefined : s.items === false ? false : [{ schema: s.items, base }];
      v.arrays.push({ prefix, items });
    }
    v.minItems = maxOf(v.minItems, num(s.minItems));
    v.maxItems = minOf(v.maxItems, num(s.maxItems));
    if (s.uniqueItems === true) v.uniqueItems = true;
    if (s.contains !== undefined) v.contains.push([{ schema: s.contains, base }]);

    if (s.properties !== undefined || s.patternProperties !== undefined || s.additionalProperties !== undefined) {
      const props = new Map<string, Sub>();
      for (const [k, x] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) props.set(k, [{ schema: x, base }]);
      const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, JsonSchema>).map(([source, x]) => ({
        source,
        re: new RegExp(source, 'u'),
        sub: [{ schema: x, base }],
      }));
      const additional =
        s.additionalProperties === undefined || s.additionalProperties === true
          ? undefined
          : s.additionalProperties === false
            ? (false as const)
            : [{ schema: s.additionalProperties, base }];
      v.objects.push({ props, patterns, additional });
    }
    if (Array.isArray(s.required)) for (const r of s.required) v.required.add(r);
    v.minProperties = maxOf(v.minProperties, num(s.minProperties));
    v.maxProperties = minOf(v.maxProperties, num(s.maxProperties));
    if (s.dependentRequired && typeof s.dependentRequired === 'object') {
      for (const [k, deps] of Object.entries(s.dependentRequired as Record<string, string[]>)) {
        v.dependentRequired.set(k, [...(v.dependentRequired.get(k) ?? []), ...deps]);
      }
    }
    if (s.propertyNames !== undefined) v.propertyNames.push([{ schema: s.propertyNames, base }]);
    if (Array.isArray(s.examples)) v.examples.push(...s.examples);
    if ('default' in s) v.examples.push(s.default);
    for (const k of ['if', 'then', 'else', 'dependentSchemas', 'unevaluatedProperties', 'unevaluatedItems', 'minContains', 'maxContains']) {
      if (k in s) v.unsupported.add(k);
    }
  };

  for (const p of sub) absorb(p.schema, p.base, 0);
  // `x-unspecified` with real constraints beside it is just a note; alone it means "anything".
  if (v.unspecified !== undefined && !unspecifiedOnly) v.unspecified = undefined;
  if (v.hasConst && v.enum && !v.enum.some((x) => deepEqual(x, v.constValue))) v.never = true;
  return v;
}

/** Schema for array index `i` (conjunction over array conjuncts); null if no conjunct allows it. */
export function itemSub(view: View, i: number): Sub | null {
  let hit = view.itemCache.get(i);
  if (hit === undefined) view.itemCache.set(i, (hit = computeItemSub(view, i)));
  return hit;
}
function computeItemSub(view: View, i: number): Sub | null {
  const out: Sub = [];
  for (const a of view.arrays) {
    if (i < a.prefix.length) out.push(...a.prefix[i]!);
    else if (a.items === false) return null;
    else if (a.items) out.push(...a.items);
  }
  return out;
}

/** Schema for property `k`; null if a closed conjunct forbids the name. */
export function propSub(view: View, k: string): Sub | null {
  let hit = view.propCache.get(k);
  if (hit === undefined) {
    hit = computePropSub(view, k);
    // Arbitrary keys (records, probes) are not kept: only names the schema declares.
    if (view.propCache.size < 256) view.propCache.set(k, hit);
  }
  return hit;
}
function computePropSub(view: View, k: string): Sub | null {
  const out: Sub = [];
  for (const o of view.objects) {
    const own = o.props.get(k);
    let matched = false;
    if (own) {
      out.push(...own);
      matched = true;
    }
    for (const p of o.patterns) {
      if (p.re.test(k)) {
        out.push(...p.sub);
        matched = true;
      }
    }
    if (!matched) {
      if (o.additional === false) return null;
      if (o.additional) out.push(...o.additional);
    }
  }
  return out;
}

/** Every property name some conjunct declares, in declaration order. */
export function declaredProps(view: View): string[] {
  const names = new Set<string>();
  for (const o of view.objects) for (const k of o.props.keys()) names.add(k);
  for (const r of view.required) names.add(r);
  return [...names];
}

export function isClosed(view: View): boolean {
  return view.objects.some((o) => o.additional === false);
}

export function jsonType(x: unknown): JsonType | 'undefined' | 'other' {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  switch (typeof x) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(x) ? 'integer' : Number.isFinite(x) ? 'number' : 'other';
    case 'object':
      return 'object';
    case 'undefined':
      return 'undefined';
    default:
      return 'other';
  }
}

/** Does a list of allowed types admit a value of JSON type `t`? */
export function typeAllowed(types: JsonType[] | undefined, t: ReturnType<typeof jsonType>): boolean {
  if (t === 'undefined' || t === 'other') return false;
  if (!types) return true;
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

export function pointer(path: string, key: string | number): string {
  return `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
