// Schema rules: each compares ONE pair of normalized schema nodes (old, new); the walker in
// ../compare.ts applies them at every matched node. Ids get the location prefix at report time
// (`param-type-narrowed`, `return-type-widened`). Severity depends on the data direction:
// params flow in (tightening breaks callers), returns/payloads/error branches flow out
// (loosening breaks consumers).
import type { Flow, Severity, Who } from '../types.ts';
import { BOUND_KEYS, canon, typeText } from '../normalize.ts';
import type { Norm } from '../normalize.ts';

export interface SchemaHit {
  message: string;
  before?: string;
  after?: string;
  /** Extra path segment under the node (e.g. `/name` for a property rule). */
  sub?: string;
  severity?: Severity;
}

export interface SchemaRule {
  id: string;
  family: 'schema' | 'security';
  summary: string;
  severity: Record<Flow, Severity>;
  who: Record<Flow, Who>;
  what: Record<Flow, string>;
  condition?: string;
  check(a: Norm, b: Norm, flow: Flow): SchemaHit[];
}

// --- helpers -----------------------------------------------------------------------------------

function accepts(set: Set<string> | undefined, t: string): boolean {
  return !set || set.has(t) || (t === 'integer' && set.has('number'));
}

/** Is every type of `a` accepted by `b`? */
function typesWithin(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  if (!b) return true;
  if (!a) return false;
  return [...a].every((t) => accepts(b, t));
}

export type Relation = 'same' | 'narrower' | 'wider' | 'changed';

export function typeRelation(a: Norm, b: Norm): Relation {
  const ab = typesWithin(a.types, b.types);
  const ba = typesWithin(b.types, a.types);
  if (ab && ba) return 'same';
  if (ba) return 'narrower';
  if (ab) return 'wider';
  return 'changed';
}

const mayBeObject = (n: Norm) => accepts(n.types, 'object');
const hasObjectShape = (n: Norm) => n.properties.size > 0 || n.required.size > 0 || n.additional !== undefined;

function valuesDiff(a: Norm, b: Norm): { added: unknown[]; removed: unknown[] } {
  const A = new Set((a.values ?? []).map(canon));
  const B = new Set((b.values ?? []).map(canon));
  return {
    added: (b.values ?? []).filter((v) => !A.has(canon(v))),
    removed: (a.values ?? []).filter((v) => !B.has(canon(v))),
  };
}

const isSingle = (n: Norm) => n.values !== undefined && n.values.length === 1;
const j = (v: unknown) => JSON.stringify(v);
const IN_TIGHT = 'renderer: existing callers sending values the old contract allowed are now rejected';
const OUT_LOOSE = 'renderer: consumers may now receive values they were not written for';
const IN_LOOSE = 'main: the handler must accept more values (existing callers are unaffected)';
const OUT_TIGHT = 'main: the handler must produce fewer kinds of values (existing consumers are unaffected)';

/** Tightening rule: breaks on the way in, harmless on the way out. */
function tightening(): Pick<SchemaRule, 'severity' | 'who' | 'what'> {
  return { severity: { in: 'breaking', out: 'info' }, who: { in: 'renderer', out: 'main' }, what: { in: IN_TIGHT, out: OUT_TIGHT } };
}
/** Loosening rule: harmless on the way in, breaks on the way out. */
function loosening(): Pick<SchemaRule, 'severity' | 'who' | 'what'> {
  return { severity: { in: 'info', out: 'breaking' }, who: { in: 'main', out: 'renderer' }, what: { in: IN_LOOSE, out: OUT_LOOSE } };
}

// --- types ---------------------------------------------------------------------------------------

export const typeNarrowed: SchemaRule = {
  id: 'type-narrowed',
  family: 'schema',
  summary: 'the set of allowed JSON types shrank (e.g. `string | null` -> `string`, `number` -> `integer`)',
  ...tightening(),
  check: (a, b) => (typeRelation(a, b) === 'narrower' ? [{ message: `type narrowed from ${typeText(a.types)} to ${typeText(b.types)}`, before: typeText(a.types), after: typeText(b.types) }] : []),
};

export const typeWidened: SchemaRule = {
  id: 'type-widened',
  family: 'schema',
  summary: 'the set of allowed JSON types grew (e.g. `string` -> `string | null`)',
  ...loosening(),
  check: (a, b) => (typeRelation(a, b) === 'wider' ? [{ message: `type widened from ${typeText(a.types)} to ${typeText(b.types)}`, before: typeText(a.types), after: typeText(b.types) }] : []),
};

export const typeChanged: SchemaRule = {
  id: 'type-changed',
  family: 'schema',
  summary: 'the type changed to one that neither contains nor is contained in the old one',
  severity: { in: 'breaking', out: 'breaking' },
  who: { in: 'renderer', out: 'renderer' },
  what: { in: IN_TIGHT, out: 'renderer: consumers receive a different type' },
  check: (a, b) => (typeRelation(a, b) === 'changed' ? [{ message: `type changed from ${typeText(a.types)} to ${typeText(b.types)}`, before: typeText(a.types), after: typeText(b.types) }] : []),
};

// --- enum / const ----------------------------------------------------------------------------------

export const enumValueAdded: SchemaRule = {
  id: 'enum-value-added',
  family: 'schema',
  summary: 'an enum (or const) gained a value',
  ...loosening(),
  check: (a, b) => {
    if (!a.values || !b.values || (isSingle(a) && isSingle(b))) return [];
    return valuesDiff(a, b).added.map((v) => ({ message: `enum value ${j(v)} added`, after: j(v) }));
  },
};

export const enumValueRemoved: SchemaRule = {
  id: 'enum-value-removed',
  family: 'schema',
  summary: 'an enum (or const) lost a value',
  ...tightening(),
  check: (a, b) => {
    if (!a.values || !b.values || (isSingle(a) && isSingle(b))) return [];
    return valuesDiff(a, b).removed.map((v) => ({ message: `enum value ${j(v)} removed`, before: j(v) }));
  },
};

export const constChanged: SchemaRule = {
  id: 'const-changed',
  family: 'schema',
  summary: 'a single allowed value (const) changed to another one',
  severity: { in: 'breaking', out: 'breaking' },
  who: { in: 'renderer', out: 'renderer' },
  what: { in: IN_TIGHT, out: 'renderer: consumers matching the old value no longer match' },
  check: (a, b) => (isSingle(a) && isSingle(b) && canon(a.values![0]) !== canon(b.values![0]) ? [{ message: `const changed from ${j(a.values![0])} to ${j(b.values![0])}`, before: j(a.values![0]), after: j(b.values![0]) }] : []),
};

// --- constraints (bounds, pattern, format, enum presence, items) ---------------------------------

function boundHits(a: Norm, b: Norm, want: 'tighter' | 'looser'): SchemaHit[] {
  const hits: SchemaHit[] = [];
  for (const k of BOUND_KEYS) {
    const x = a.bounds[k];
    const y = b.bounds[k];
    if (x === y) continue;
    let rel: 'tighter' | 'looser' | 'changed';
    if (k === 'multipleOf') rel = x === undefined ? 'tighter' : y === undefined ? 'looser' : y % x === 0 ? 'tighter' : x % y === 0 ? 'looser' : 'changed';
    else if (x === undefined) rel = 'tighter';
    else if (y === undefined) rel = 'looser';
    else rel = (k.startsWith('min') || k === 'exclusiveMinimum') === y > x ? 'tighter' : 'looser';
    if (rel === want || (rel === 'changed' && want === 'tighter')) {
      hits.push({ message: `${k} ${x === undefined ? 'added' : y === undefined ? 'removed' : 'changed'}: ${x ?? '-'} -> ${y ?? '-'}`, before: x === undefined ? undefined : String(x), after: y === undefined ? undefined : String(y) });
    }
  }
  return hits;
}

export const boundTightened: SchemaRule = {
  id: 'bound-tightened',
  family: 'schema',
  summary: 'a numeric bound got stricter or was added (minimum, maxLength, minItems, multipleOf...)',
  ...tightening(),
  check: (a, b) => boundHits(a, b, 'tighter'),
};

export const boundLoosened: SchemaRule = {
  id: 'bound-loosened',
  family: 'schema',
  summary: 'a numeric bound got laxer or was removed',
  ...loosening(),
  check: (a, b) => boundHits(a, b, 'looser'),
};

function presence(a: Norm, b: Norm, added: boolean): SchemaHit[] {
  const hits: SchemaHit[] = [];
  const pick = (x: Norm, y: Norm) => (added ? [x, y] : [y, x]) as [Norm, Norm];
  const [without, withIt] = pick(a, b);
  if (without.pattern === undefined && withIt.pattern !== undefined) hits.push({ message: `pattern ${added ? 'added' : 'removed'}: ${withIt.pattern}`, [added ? 'after' : 'before']: withIt.pattern });
  if (without.format === undefined && withIt.format !== undefined) hits.push({ message: `format ${added ? 'added' : 'removed'}: ${withIt.format}`, [added ? 'after' : 'before']: withIt.format });
  if (without.values === undefined && withIt.values !== undefined) hits.push({ message: `enum constraint ${added ? 'added' : 'removed'}: ${j(withIt.values)}`, [added ? 'after' : 'before']: j(withIt.values) });
  return hits;
}

export const constraintAdded: SchemaRule = {
  id: 'constraint-added',
  family: 'schema',
  summary: 'a pattern, format or enum constraint was added where there was none',
  ...tightening(),
  check: (a, b) => presence(a, b, true),
};

export const constraintRemoved: SchemaRule = {
  id: 'constraint-removed',
  family: 'schema',
  summary: 'a pattern, format or enum constraint was removed',
  ...loosening(),
  check: (a, b) => presence(a, b, false),
};

export const patternChanged: SchemaRule = {
  id: 'pattern-changed',
  family: 'schema',
  summary: 'a pattern or format changed to another one (containment is not decided)',
  severity: { in: 'warning', out: 'warning' },
  who: { in: 'renderer', out: 'renderer' },
  what: { in: 'renderer: callers may send values the new pattern rejects', out: 'renderer: consumers may receive values outside the old pattern' },
  check: (a, b) => {
    const hits: SchemaHit[] = [];
    if (a.pattern !== undefined && b.pattern !== undefined && a.pattern !== b.pattern) hits.push({ message: `pattern changed from ${a.pattern} to ${b.pattern}`, before: a.pattern, after: b.pattern });
    if (a.format !== undefined && b.format !== undefined && a.format !== b.format) hits.push({ message: `format changed from ${a.format} to ${b.format}`, before: a.format, after: b.format });
    return hits;
  },
};

// --- objects -------------------------------------------------------------------------------------

const objectPair = (a: Norm, b: Norm) => mayBeObject(a) && mayBeObject(b) && (hasObjectShape(a) || hasObjectShape(b));
const keyPath = (k: string) => '/' + k.replace(/~/g, '~0').replace(/\//g, '~1');

export const propertyAdded: SchemaRule = {
  id: 'property-added',
  family: 'schema',
  summary: 'an optional property was added',
  severity: { in: 'info', out: 'info' },
  who: { in: 'main', out: 'none' },
  what: { in: 'main: callers may now send it; existing callers do not', out: 'none: consumers ignore fields they do not read' },
  check: (a, b) => (objectPair(a, b) ? [...b.properties.keys()].filter((k) => !a.properties.has(k) && !b.required.has(k)).map((k) => ({ sub: keyPath(k), message: `optional property '${k}' added` })) : []),
};

export const requiredPropertyAdded: SchemaRule = {
  id: 'required-property-added',
  family: 'schema',
  summary: 'a new property was added as required',
  ...tightening(),
  what: { in: 'renderer: existing callers do not send the new required property and are rejected', out: 'main: the handler must now always produce it' },
  check: (a, b) => (objectPair(a, b) ? [...new Set([...b.properties.keys(), ...b.required])].filter((k) => !a.properties.has(k) && !a.required.has(k) && b.required.has(k)).map((k) => ({ sub: keyPath(k), message: `required property '${k}' added` })) : []),
};

export const propertyRemoved: SchemaRule = {
  id: 'property-removed',
  family: 'schema',
  summary: 'a property was removed',
  severity: { in: 'warning', out: 'warning' },
  who: { in: 'renderer', out: 'renderer' },
  what: {
    in: 'renderer: callers still sending it are ignored (or rejected when additional properties are closed)',
    out: 'renderer: consumers reading it get undefined',
  },
  condition: 'breaking when the property was required (out) or the new object closes additionalProperties (in)',
  check: (a, b, flow) => {
    if (!objectPair(a, b)) return [];
    return [...a.properties.keys()].filter((k) => !b.properties.has(k) && !b.required.has(k)).map((k) => ({
      sub: keyPath(k),
      message: `${a.required.has(k) ? 'required' : 'optional'} property '${k}' removed`,
      severity: (flow === 'out' ? a.required.has(k) : b.additional === false) ? 'breaking' : 'warning',
    }));
  },
};

export const propertyMadeRequired: SchemaRule = {
  id: 'property-made-required',
  family: 'schema',
  summary: 'an existing optional property became required',
  ...tightening(),
  what: { in: 'renderer: callers that omit it are now rejected', out: 'main: the handler must now always produce it' },
  check: (a, b) => (objectPair(a, b) ? [...b.required].filter((k) => !a.required.has(k) && a.properties.has(k)).map((k) => ({ sub: keyPath(k), message: `property '${k}' made required` })) : []),
};

export const propertyMadeOptional: SchemaRule = {
  id: 'property-made-optional',
  family: 'schema',
  summary: 'a required property became optional',
  ...loosening(),
  what: { in: 'main: the handler must cope without it', out: 'renderer: consumers that read it may now get undefined' },
  check: (a, b) => (objectPair(a, b) ? [...a.required].filter((k) => !b.required.has(k) && b.properties.has(k)).map((k) => ({ sub: keyPath(k), message: `property '${k}' made optional` })) : []),
};

export const additionalPropertiesClosed: SchemaRule = {
  id: 'additional-properties-closed',
  family: 'schema',
  summary: '`additionalProperties: false` was added',
  ...tightening(),
  what: { in: 'renderer: callers sending extra fields are now rejected', out: 'main: the handler must stop sending extra fields' },
  check: (a, b) => (objectPair(a, b) && a.additional !== false && b.additional === false ? [{ message: 'additional properties closed', before: 'open', after: 'false' }] : []),
};

export const additionalPropertiesOpened: SchemaRule = {
  id: 'additional-properties-opened',
  family: 'schema',
  summary: '`additionalProperties: false` was removed',
  severity: { in: 'info', out: 'warning' },
  who: { in: 'main', out: 'renderer' },
  what: { in: IN_LOOSE, out: 'renderer: consumers may now receive unknown fields (harmless unless they iterate keys)' },
  check: (a, b) => (objectPair(a, b) && a.additional === false && b.additional !== false ? [{ message: 'additional properties opened', before: 'false', after: 'open' }] : []),
};

// --- arrays ---------------------------------------------------------------------------------------

export const itemsConstraintAdded: SchemaRule = {
  id: 'items-constrained',
  family: 'schema',
  summary: 'an array that took any items now has an item schema',
  ...tightening(),
  check: (a, b) => (accepts(a.types, 'array') && accepts(b.types, 'array') && !a.items && b.items && a.prefixItems.length === 0 ? [{ message: 'array items constrained', sub: '/*' }] : []),
};

export const itemsConstraintRemoved: SchemaRule = {
  id: 'items-unconstrained',
  family: 'schema',
  summary: 'an array item schema was removed (any items allowed)',
  ...loosening(),
  check: (a, b) => (accepts(a.types, 'array') && accepts(b.types, 'array') && a.items && !b.items && b.prefixItems.length === 0 ? [{ message: 'array items unconstrained', sub: '/*' }] : []),
};

// --- unknowns -------------------------------------------------------------------------------------

export const unspecifiedChanged: SchemaRule = {
  id: 'unspecified-changed',
  family: 'schema',
  summary: '`x-unspecified` was added, removed or its note changed (the type was open and is now stated, or the reverse)',
  severity: { in: 'info', out: 'info' },
  who: { in: 'none', out: 'none' },
  what: { in: 'none: an open type cannot be checked either way; review the new shape', out: 'none: an open type cannot be checked either way; review the new shape' },
  check: (a, b) => {
    if (a.unspecified === b.unspecified) return [];
    const msg = a.unspecified === undefined ? `type left open: ${b.unspecified}` : b.unspecified === undefined ? `open type now specified (was: ${a.unspecified})` : 'note of the open type changed';
    return [{ message: msg, before: a.unspecified, after: b.unspecified }];
  },
};

// --- security annotations --------------------------------------------------------------------------

const SECURITY_WHAT = 'main: a security promise is dropped; its probes no longer run and a compromised renderer may reach further';

export const secretRemoved: SchemaRule = {
  id: 'secret-removed',
  family: 'security',
  summary: '`x-secret: true` was removed from a field',
  severity: { in: 'breaking', out: 'breaking' },
  who: { in: 'main', out: 'main' },
  what: { in: 'main: the value is no longer treated as a credential: it may be echoed, recorded and reported', out: 'main: the value is no longer treated as a credential: it may be echoed, recorded and reported' },
  check: (a, b) => (a.secret && !b.secret ? [{ message: 'x-secret removed', before: 'true' }] : []),
};

export const secretAdded: SchemaRule = {
  id: 'secret-added',
  family: 'security',
  summary: '`x-secret: true` was added to a field',
  severity: { in: 'info', out: 'info' },
  who: { in: 'main', out: 'main' },
  what: { in: 'main: must never echo or record the value', out: 'main: must never echo or record the value' },
  check: (a, b) => (!a.secret && b.secret ? [{ message: 'x-secret added', after: 'true' }] : []),
};

export const guardRemoved: SchemaRule = {
  id: 'guard-removed',
  family: 'security',
  summary: '`x-guard` was removed from a field',
  severity: { in: 'breaking', out: 'breaking' },
  who: { in: 'main', out: 'main' },
  what: { in: SECURITY_WHAT, out: SECURITY_WHAT },
  check: (a, b) => (a.guard && !b.guard ? [{ message: `x-guard removed: ${j(a.guard)}`, before: j(a.guard) }] : []),
};

/** Per guard key: does the new guard allow more (weaker) or less (stronger)? */
function guardDeltas(a: Norm, b: Norm): { key: string; weaker: boolean; before?: string; after?: string }[] {
  if (!a.guard || !b.guard) return [];
  const out: { key: string; weaker: boolean; before?: string; after?: string }[] = [];
  const ga = a.guard;
  const gb = b.guard;
  if (ga.pathUnder !== gb.pathUnder) out.push({ key: 'pathUnder', weaker: ga.pathUnder !== undefined, before: ga.pathUnder, after: gb.pathUnder });
  for (const k of ['schemes', 'hosts'] as const) {
    const x = ga[k];
    const y = gb[k];
    if (canon([...(x ?? [])].sort()) === canon([...(y ?? [])].sort()) && (x === undefined) === (y === undefined)) continue;
    const weaker = x !== undefined && (y === undefined || y.some((v) => !x.includes(v)));
    out.push({ key: k, weaker, before: x && x.join(','), after: y && y.join(',') });
  }
  if (ga.maxBytes !== gb.maxBytes) out.push({ key: 'maxBytes', weaker: ga.maxBytes !== undefined && (gb.maxBytes === undefined || gb.maxBytes > ga.maxBytes), before: ga.maxBytes?.toString(), after: gb.maxBytes?.toString() });
  return out;
}

export const guardWeakened: SchemaRule = {
  id: 'guard-weakened',
  family: 'security',
  summary: 'an `x-guard` allows more than before (scheme or host added, maxBytes raised, pathUnder changed or dropped)',
  severity: { in: 'breaking', out: 'breaking' },
  who: { in: 'main', out: 'main' },
  what: { in: SECURITY_WHAT, out: SECURITY_WHAT },
  check: (a, b) => guardDeltas(a, b).filter((d) => d.weaker).map((d) => ({ message: `x-guard ${d.key} weakened: ${d.before ?? '-'} -> ${d.after ?? '-'}`, before: d.before, after: d.after })),
};

export const guardAdded: SchemaRule = {
  id: 'guard-added',
  family: 'security',
  summary: '`x-guard` was added or allows less than before',
  severity: { in: 'info', out: 'info' },
  who: { in: 'main', out: 'main' },
  what: { in: 'main: must enforce the new guard; callers outside it are refused by design', out: 'main: must enforce the new guard' },
  check: (a, b) => {
    if (!a.guard && b.guard) return [{ message: `x-guard added: ${j(b.guard)}`, after: j(b.guard) }];
    return guardDeltas(a, b).filter((d) => !d.weaker).map((d) => ({ message: `x-guard ${d.key} strengthened: ${d.before ?? '-'} -> ${d.after ?? '-'}`, before: d.before, after: d.after }));
  },
};

/** Rules about the node's own type/value: skipped when the node is a variant container compared to a non-variant. */
export const VALUE_RULES: SchemaRule[] = [
  typeNarrowed, typeWidened, typeChanged, enumValueAdded, enumValueRemoved, constChanged,
  boundTightened, boundLoosened, constraintAdded, constraintRemoved, patternChanged,
  propertyAdded, requiredPropertyAdded, propertyRemoved, propertyMadeRequired, propertyMadeOptional,
  additionalPropertiesClosed, additionalPropertiesOpened, itemsConstraintAdded, itemsConstraintRemoved,
];
export const ANNOTATION_RULES: SchemaRule[] = [unspecifiedChanged, secretRemoved, secretAdded, guardRemoved, guardWeakened, guardAdded];

/** Variant (anyOf/oneOf) rules are decided by the walker's matching; listed here for the catalog. */
export const variantAdded: SchemaRule = {
  id: 'variant-added',
  family: 'schema',
  summary: 'an anyOf/oneOf branch was added (or a single schema became a union)',
  ...loosening(),
  check: () => [],
};
export const variantRemoved: SchemaRule = {
  id: 'variant-removed',
  family: 'schema',
  summary: 'an anyOf/oneOf branch was removed',
  ...tightening(),
  check: () => [],
};

export const SCHEMA_RULES: SchemaRule[] = [...VALUE_RULES, variantAdded, variantRemoved, ...ANNOTATION_RULES];
