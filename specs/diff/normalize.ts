// A flat, comparison-friendly view of one schema node: `$ref`s followed through the side's own
// SchemaStore (cycle-safe), `$ref` siblings and `allOf` parts merged, `const` folded into `enum`.
// Children stay unresolved NodeRefs (with their own base URI) so recursive types are walked lazily.
import type { Guard, JsonSchema, SchemaStore } from '../model.ts';

export interface NodeRef {
  uri: string;
  schema: JsonSchema;
}

export interface Norm {
  /** URI of the first concrete (non-`$ref`) schema reached: identifies the node for cycle checks. */
  uri: string;
  /** The `$ref` target names walked through, for messages (e.g. `types.yaml#/$defs/Item`). */
  refs: string[];
  /** `false` schema (accepts nothing). */
  never: boolean;
  /** Allowed JSON types; undefined = unconstrained. */
  types?: Set<string>;
  /** enum / const values; undefined = unconstrained. */
  values?: unknown[];
  properties: Map<string, NodeRef>;
  required: Set<string>;
  /** undefined = not stated (anything allowed). */
  additional?: NodeRef | boolean;
  items?: NodeRef;
  prefixItems: NodeRef[];
  bounds: Record<string, number>;
  pattern?: string;
  format?: string;
  /** anyOf / oneOf branches. */
  variants?: NodeRef[];
  unspecified?: string;
  secret: boolean;
  guard?: Guard;
  isVoid: boolean;
}

export const BOUND_KEYS = [
  'minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum', 'minLength', 'maxLength',
  'minItems', 'maxItems', 'minProperties', 'maxProperties', 'multipleOf',
] as const;

/** `<uri>/<seg>...`, adding the `#` when the URI has no fragment yet. */
export function childUri(uri: string, ...segs: (string | number)[]): string {
  const enc = segs.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).map(encodeURIComponent).join('/');
  return uri.includes('#') ? `${uri.replace(/\/$/, '')}/${enc}` : `${uri}#/${enc}`;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Canonical JSON (sorted keys) for value comparison. */
export function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

interface Part {
  uri: string;
  schema: Record<string, unknown> | boolean;
}

/** Concrete parts of a node: the node itself, its `$ref` targets and `allOf` members, recursively. */
function flatten(node: NodeRef, store: SchemaStore, refs: string[], seen: Set<string>, out: Part[]): void {
  const s = node.schema;
  if (typeof s === 'boolean' || !isObj(s)) {
    out.push({ uri: node.uri, schema: typeof s === 'boolean' ? s : true });
    return;
  }
  const { $ref, allOf, ...own } = s as Record<string, unknown>;
  out.push({ uri: node.uri, schema: own });
  if (typeof $ref === 'string') {
    const target = store.resolve($ref, node.uri);
    if (!seen.has(target.uri)) {
      seen.add(target.uri);
      refs.push(target.uri.replace(/^conform:\/packs\/[^/]+\//, ''));
      flatten({ uri: target.uri, schema: target.schema }, store, refs, seen, out);
    }
  }
  if (Array.isArray(allOf)) {
    allOf.forEach((sub, i) => flatten({ uri: childUri(node.uri, 'allOf', i), schema: sub as JsonSchema }, store, refs, seen, out));
  }
}

function typeSet(t: unknown): Set<string> | undefined {
  if (typeof t === 'string') return new Set([t]);
  if (Array.isArray(t)) return new Set(t.filter((x): x is string => typeof x === 'string'));
  return undefined;
}

function intersectTypes(a: Set<string> | undefined, b: Set<string> | undefined): Set<string> | undefined {
  if (!a) return b;
  if (!b) return a;
  const out = new Set<string>();
  for (const t of a) {
    if (b.has(t)) out.add(t);
    else if (t === 'integer' && b.has('number')) out.add('integer');
  }
  for (const t of b) if (t === 'integer' && a.has('number')) out.add('integer');
  return out;
}

// A schema object sits at exactly one place of one document, so its identity (per store, since
// refs resolve per store) is a sound cache key.
const normCache = new WeakMap<SchemaStore, WeakMap<object, Norm>>();

export function normalize(node: NodeRef, store: SchemaStore): Norm {
  if (typeof node.schema !== 'object') return compute(node, store);
  let inner = normCache.get(store);
  if (!inner) normCache.set(store, (inner = new WeakMap()));
  let n = inner.get(node.schema);
  if (!n) inner.set(node.schema, (n = compute(node, store)));
  return n;
}

function compute(node: NodeRef, store: SchemaStore): Norm {
  const parts: Part[] = [];
  const refs: string[] = [];
  flatten(node, store, refs, new Set([node.uri]), parts);
  // The node that carries the content: the last part reached through $refs, or the node itself.
  const concrete = parts.find((p) => typeof p.schema === 'boolean' || Object.keys(p.schema).length > 0) ?? parts[0]!;
  const n: Norm = {
    uri: concrete.uri,
    refs,
    never: false,
    properties: new Map(),
    required: new Set(),
    prefixItems: [],
    bounds: {},
    secret: false,
    isVoid: false,
  };
  for (const p of parts) {
    if (p.schema === false) n.never = true;
    if (typeof p.schema === 'boolean') continue;
    const s = p.schema;
    if ('type' in s) n.types = intersectTypes(n.types, typeSet(s.type));
    const vals = 'const' in s ? [s.const] : Array.isArray(s.enum) ? (s.enum as unknown[]) : undefined;
    if (vals) {
      n.values = n.values ? n.values.filter((v) => vals.some((w) => canon(w) === canon(v))) : vals;
    }
    if (isObj(s.properties)) {
      for (const [k, v] of Object.entries(s.properties)) {
        if (!n.properties.has(k)) n.properties.set(k, { uri: childUri(p.uri, 'properties', k), schema: v as JsonSchema });
      }
    }
    if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === 'string') n.required.add(r);
    if ('additionalProperties' in s) {
      const ap = s.additionalProperties as JsonSchema;
      if (ap === false || n.additional === false) n.additional = false;
      else if (n.additional === undefined) n.additional = typeof ap === 'boolean' ? ap : { uri: childUri(p.uri, 'additionalProperties'), schema: ap };
    }
    if (s.items !== undefined && n.items === undefined) n.items = { uri: childUri(p.uri, 'items'), schema: s.items as JsonSchema };
    if (Array.isArray(s.prefixItems) && n.prefixItems.length === 0) {
      n.prefixItems = s.prefixItems.map((it, i) => ({ uri: childUri(p.uri, 'prefixItems', i), schema: it as JsonSchema }));
    }
    for (const k of BOUND_KEYS) {
      const v = s[k];
      if (typeof v !== 'number') continue;
      const cur = n.bounds[k];
      const tighterIsHigher = k.startsWith('min') || k === 'exclusiveMinimum';
      n.bounds[k] = cur === undefined ? v : k === 'multipleOf' ? v : tighterIsHigher ? Math.max(cur, v) : Math.min(cur, v);
    }
    if (typeof s.pattern === 'string') n.pattern ??= s.pattern;
    if (typeof s.format === 'string') n.format ??= s.format;
    for (const key of ['anyOf', 'oneOf'] as const) {
      const arr = s[key];
      if (Array.isArray(arr) && !n.variants) n.variants = arr.map((v, i) => ({ uri: childUri(p.uri, key, i), schema: v as JsonSchema }));
    }
    if (s['x-unspecified'] !== undefined) n.unspecified ??= String(s['x-unspecified']);
    if (s['x-secret'] === true) n.secret = true;
    if (isObj(s['x-guard'])) n.guard = { ...(s['x-guard'] as Guard), ...(n.guard ?? {}) };
    if (s['x-void'] === true) n.isVoid = true;
  }
  // Untyped enums: the value types are the type set.
  if (!n.types && n.values) n.types = new Set(n.values.map(jsonType));
  return n;
}

export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Short text of a type set for messages. */
export function typeText(t: Set<string> | undefined): string {
  return t ? [...t].sort().join(' | ') || 'nothing' : 'any';
}
