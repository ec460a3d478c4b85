// Value generator: valid values (examples first, then seeded faker/randexp values within every
// bound) and invalid values (one broken rule each, labelled with rule and JSON pointer) for any
// schema of a pack. Deterministic per seed: each call reseeds the module's private Faker instance.
//
// Work is split by job under specs/generate/: view.ts (follow $ref, merge allOf; cached per store),
// valid.ts, invalid.ts, scalars.ts (formats, name hints, patterns), check.ts (the conservative
// matcher used for oneOf / not / unions; independent of ajv on purpose).
import { Faker, base, en } from '@faker-js/faker';
import type { SchemaNode, SchemaStore } from './model.ts';
import { lazilySeededRandomizer } from './random.ts';
import { check } from './generate/check.ts';
import { breaksOf, type InvalidRule, type InvalidValue } from './generate/invalid.ts';
import { genSub, Unsatisfiable, type GenCtx } from './generate/valid.ts';
import { declaredProps, itemSub, propSub, subOf, viewOf, type Sub } from './generate/view.ts';

export type { InvalidRule, InvalidValue };
export { Unsatisfiable };

export interface GenerateOptions {
  seed: number;
  /** Number of valid values (default 5). Examples and defaults come first and count. */
  count?: number;
  /** Depth after which recursive schemas take their smallest shape (default 4). */
  maxDepth?: number;
  /**
   * Folder that path-like strings (names such as path, file, dir, cwd, logsPath, or `x-guard:
   * { pathUnder }`) point into: a run passes its own folder so an app's real file operations stay there.
   */
  pathRoot?: string;
  /** The app's guard roots by name: a value guarded by `x-guard: { pathUnder: <name> }` is generated inside it. */
  guardRoots?: Record<string, string>;
  /** The value's name when the schema has none (a positional param's name): picks hints such as paths. */
  name?: string;
}

// One private Faker, reseeded at the start of every call: building a Faker costs ~1 ms (locale
// merge), reseeding costs nothing until a number is drawn (lazilySeededRandomizer). Calls are
// synchronous, so no call sees another's state, and the shared global `faker` is never touched.
let sharedFaker: Faker | undefined;
function makeFaker(seed: number): Faker {
  sharedFaker ??= new Faker({ locale: [en, base], randomizer: lazilySeededRandomizer() });
  sharedFaker.seed(seed);
  return sharedFaker;
}

/**
 * Valid values for `node`: its own `examples` and `default` first, then generated ones.
 * Throws Unsatisfiable when no value can satisfy the schema (e.g. `false`, contradictory allOf).
 */
export function generateValid(node: SchemaNode, store: SchemaStore, opts: GenerateOptions): unknown[] {
  const count = opts.count ?? 5;
  const ctx: GenCtx = { store, f: makeFaker(opts.seed), full: false, maxDepth: opts.maxDepth ?? 4, pathRoot: opts.pathRoot, guardRoots: opts.guardRoots };
  const sub = subOf(node);
  const out: unknown[] = [];
  const own = node.schema && typeof node.schema === 'object' ? (node.schema as Record<string, unknown>) : {};
  // The node's own examples as written (a wrong one is a pack bug the property test reports), then
  // those reached through $ref / allOf that do not contradict a sibling conjunct.
  const ownExamples = [...(Array.isArray(own.examples) ? own.examples : []), ...('default' in own ? [own.default] : [])];
  out.push(...ownExamples.map((e) => structuredClone(e)));
  for (const e of viewOf(store, sub).examples) {
    if (out.length >= count) break;
    if (!ownExamples.includes(e) && check(store, sub, e) !== 'no') out.push(structuredClone(e));
  }
  while (out.length < count) out.push(genSub(ctx, sub, 0, opts.name));
  return out.slice(0, count);
}

/**
 * Invalid values for `node`, each breaking one rule at one JSON pointer. Built from "full" valid
 * values (every optional property present, arrays non-empty, so breaks reach nested fields), one
 * per branch of a top-level union.
 * Empty for schemas that accept anything (see `inspectSchema().invalidSkipped`).
 */
export function generateInvalid(node: SchemaNode, store: SchemaStore, opts: { seed: number; maxDepth?: number; pathRoot?: string; guardRoots?: Record<string, string> }): InvalidValue[] {
  const ctx: GenCtx = { store, f: makeFaker(opts.seed), full: true, maxDepth: opts.maxDepth ?? 4, pathRoot: opts.pathRoot, guardRoots: opts.guardRoots };
  const sub = subOf(node);
  const skipped = invalidSkipReason(store, sub);
  if (skipped) return [];
  // One base value per union branch at the top (rotating branch choice), so every branch is broken.
  const v = viewOf(store, sub);
  const rotations = Math.min(6, Math.max(1, ...v.disjunctions.map((d) => d.branches.length)));
  const out: InvalidValue[] = [];
  const seen = new Set<string>();
  for (let r = 0; r < rotations; r++) {
    const x = genSub({ ...ctx, rotate: r }, sub, 0);
    for (const b of breaksOf(ctx, sub, x, '', 0)) {
      const key = `${b.rule} ${b.path} ${JSON.stringify(b.value)}`;
      if (!seen.has(key)) (seen.add(key), out.push(b));
    }
  }
  return out;
}

export interface SchemaTraits {
  /** `x-unspecified` at the top: any JSON value is accepted; `note` says what the document leaves open. */
  unspecified?: string;
  /** `x-void`: the value is `undefined`. */
  void: boolean;
  /** JSON pointers (`*` for any item / key) of nested `x-unspecified` places, the top one included as ''. */
  unspecifiedPaths: string[];
  /** Why generateInvalid returns nothing for this schema, if it does. */
  invalidSkipped?: string;
  /** Keywords the generator ignores (if/then/else, unevaluated*, $dynamicRef ...): values there are best effort. */
  unsupported: string[];
}

function invalidSkipReason(store: SchemaStore, sub: Sub): string | undefined {
  const v = viewOf(store, sub);
  if (v.unspecified !== undefined) return `x-unspecified accepts any value (${v.unspecified})`;
  if (v.void) return 'x-void: the value is undefined, which JSON Schema cannot reject';
  if (v.never) return 'the schema accepts no value at all';
  for (const d of v.disjunctions) {
    if (d.branches.some((b) => viewOf(store, b).unspecified !== undefined)) return `an ${d.kind} branch is x-unspecified, so the union accepts any value`;
  }
  const constrains =
    v.types || v.hasConst || v.enum || v.disjunctions.length || v.not.length || v.objects.length || v.arrays.length || v.required.size ||
    v.minimum !== undefined || v.maximum !== undefined || v.exclusiveMinimum !== undefined || v.exclusiveMaximum !== undefined ||
    v.minLength !== undefined || v.maxLength !== undefined || v.patterns.length || v.minItems !== undefined || v.maxItems !== undefined ||
    v.multipleOf.length || v.uniqueItems || v.minProperties !== undefined || v.maxProperties !== undefined;
  if (!constrains) return 'the schema has no constraint ({} / true accepts every value)';
  return undefined;
}

/** What callers should know about a schema before trusting generated values. */
export function inspectSchema(node: SchemaNode, store: SchemaStore): SchemaTraits {
  const sub = subOf(node);
  const v = viewOf(store, sub);
  const unspecifiedPaths: string[] = [];
  const unsupported = new Set<string>();
  const seen = new Set<string>();
  const walk = (s: Sub, path: string, depth: number, decided: ReadonlySet<object> = new Set()) => {
    const view = viewOf(store, s, decided);
    if (seen.has(view.key + ' ' + path) || depth > 12) return;
    seen.add(view.key + ' ' + path);
    for (const k of view.unsupported) unsupported.add(k);
    if (view.unspecified !== undefined) {
      unspecifiedPaths.push(path);
      return;
    }
    if (view.disjunctions.length) {
      const all = new Set(decided);
      for (const d of view.disjunctions) all.add(d.id);
      for (const d of view.disjunctions) for (const b of d.branches) walk([...s, ...b], path, depth + 1, all);
    }
    for (const k of declaredProps(view)) {
      const p = propSub(view, k);
      if (p && p.length) walk(p, `${path}/${k}`, depth + 1);
    }
    for (const o of view.objects) if (o.additional) walk(o.additional, `${path}/*`, depth + 1);
    const prefixLen = Math.max(0, ...view.arrays.map((a) => a.prefix.length));
    for (let i = 0; i <= prefixLen; i++) {
      const it = itemSub(view, i);
      if (it && it.length) walk(it, i < prefixLen ? `${path}/${i}` : `${path}/*`, depth + 1);
    }
  };
  walk(sub, '', 0);
  return {
    unspecified: v.unspecified,
    void: v.void,
    unspecifiedPaths: [...new Set(unspecifiedPaths)],
    invalidSkipped: invalidSkipReason(store, sub),
    unsupported: [...unsupported].sort(),
  };
}
