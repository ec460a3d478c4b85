import { describe, expect, it } from 'vitest';
import { generateInvalid, generateValid, inspectSchema, Unsatisfiable, type InvalidRule } from '../../specs/generate.ts';
import { createSchemaStore } from '../../specs/schema-store.ts';
import { fixtureDefs, fixtureStore } from './generate-fixtures.ts';
import { issuesExplain } from './generate-rules.ts';

const { store, node } = fixtureStore();
const SEEDS = Array.from({ length: 25 }, (_, i) => i + 1);

function valid(name: string, seed = 1, count = 8) {
  return generateValid(node(name), store, { seed, count });
}
function invalid(name: string, seed = 1) {
  return generateInvalid(node(name), store, { seed });
}

/** Every valid value passes, for many seeds. */
function expectAllValid(name: string) {
  for (const seed of SEEDS) {
    for (const v of valid(name, seed)) {
      const r = store.validate(node(name), v);
      expect(r.valid, `${name} seed ${seed}: ${JSON.stringify(v)} ${JSON.stringify(r.issues)}`).toBe(true);
    }
  }
}

/** The schema yields an invalid variant for `rule` at `path`, it fails, and ajv names that rule there. */
function expectBreak(name: string, rule: InvalidRule, path: string) {
  for (const seed of SEEDS.slice(0, 8)) {
    const all = invalid(name, seed);
    const hit = all.find((b) => b.rule === rule && b.path === path);
    expect(hit, `${name} seed ${seed}: no ${rule} at '${path}' in ${JSON.stringify(all.map((b) => `${b.rule} ${b.path}`))}`).toBeDefined();
    const r = store.validate(node(name), hit!.value);
    expect(r.valid, `${name} ${rule} ${path}: ${JSON.stringify(hit!.value)}`).toBe(false);
    expect(issuesExplain(hit!, r.issues), `${name} ${rule} ${path}: ajv says ${JSON.stringify(r.issues)}`).toBe(true);
  }
}

describe('valid values', () => {
  it.each([
    'Str', 'Pattern', 'PatternAndLength', 'TitledTuple', 'Int', 'ExclusiveNum', 'MultipleOf', 'FloatMultiple', 'Const', 'ConstObject', 'Enum',
    'BoolEnum', 'Nullable', 'OpenApiNullable', 'List', 'Contains', 'Tuple', 'ClosedTuple', 'EmptyTuple', 'Named', 'Record',
    'PatternProps', 'Dependent', 'AllOf', 'ClosedAllOf', 'Result', 'OverlapOneOf', 'AnyOfMixed', 'NotNull', 'NotEnum', 'Tree',
    'LinkedList', 'CrossFile', 'Examples', 'Unspecified', 'Void', 'VoidOrSnapshot', 'PartlyUnspecified', 'Empty', 'TypeArray',
    'PropertyNames', 'Secret',
  ])('%s: every value passes ajv across seeds', (name) => expectAllValid(name));

  it.each([
    ['Uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/],
    ['DateTime', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/],
    ['Date', /^\d{4}-\d\d-\d\d$/],
    ['Time', /^\d\d:\d\d:\d\dZ$/],
    ['Email', /^[^@\s]+@[^@\s]+\.[a-z]+$/i],
    ['Uri', /^https?:\/\//],
    ['Hostname', /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i],
    ['Ipv4', /^\d{1,3}(\.\d{1,3}){3}$/],
    ['Ipv6', /^[0-9a-f:]+$/i],
    ['Regex', /^\^/],
  ])('format %s: faker values of the right shape that ajv-formats accepts', (name, shape) => {
    for (const seed of SEEDS) {
      for (const v of valid(name, seed, 3)) {
        expect(v).toMatch(shape);
        expect(store.validate(node(name), v).valid).toBe(true);
      }
    }
  });

  it('stays within string, number and array bounds', () => {
    for (const seed of SEEDS) {
      for (const s of valid('Str', seed) as string[]) expect(s.length).toBeGreaterThanOrEqual(3), expect(s.length).toBeLessThanOrEqual(8);
      for (const n of valid('Int', seed) as number[]) expect(Number.isInteger(n) && n >= 10 && n <= 20).toBe(true);
      for (const n of valid('ExclusiveNum', seed) as number[]) expect(n > 0 && n < 1).toBe(true);
      for (const n of valid('MultipleOf', seed) as number[]) expect(n % 7).toBe(0);
      for (const a of valid('List', seed) as number[][]) {
        expect(a.length).toBeGreaterThanOrEqual(2);
        expect(a.length).toBeLessThanOrEqual(4);
        expect(new Set(a).size).toBe(a.length);
      }
      for (const a of valid('Contains', seed) as number[][]) expect(a).toContain(42);
    }
  });

  it('uses property-name hints (uuid, path, port, email, date, version, locale, url)', () => {
    const seen: Record<string, unknown[]> = {};
    for (const seed of SEEDS) {
      for (const v of valid('Named', seed) as Record<string, unknown>[]) for (const [k, x] of Object.entries(v)) (seen[k] ??= []).push(x);
    }
    for (const id of seen.sessionId!) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    for (const p of seen.filePath!) expect(p).toMatch(/^\//);
    for (const p of seen.port!) expect(p).toSatisfy((n: number) => Number.isInteger(n) && n >= 1 && n <= 65535);
    for (const e of seen.email ?? []) expect(e).toMatch(/@/);
    for (const d of seen.createdAt ?? []) expect(Number.isNaN(Date.parse(d as string))).toBe(false);
    for (const v of seen.version ?? []) expect(v).toMatch(/^\d+\.\d+\.\d+/);
    for (const l of seen.locale ?? []) expect(l).toMatch(/^[a-z]{2}-[A-Z]{2}$/);
    for (const u of seen.url ?? []) expect(u).toMatch(/^https?:\/\//);
    // Optional properties appear sometimes, not always.
    expect(seen.email!.length).toBeGreaterThan(0);
    expect(seen.email!.length).toBeLessThan(SEEDS.length * 8);
  });

  it('uses `title` as the hint for positional items (no property name there)', () => {
    for (const seed of SEEDS) {
      for (const [url, path] of valid('TitledTuple', seed) as string[][]) {
        expect(url).toMatch(/^https?:\/\//);
        expect(path).toMatch(/^\//);
      }
    }
  });

  it('puts examples and default first, in order', () => {
    const v = valid('Examples', 3, 6);
    expect(v.slice(0, 3)).toEqual(['first-example', 'second-example', 'the-default']);
    expect(v).toHaveLength(6);
    expect(valid('Examples', 3, 2)).toEqual(['first-example', 'second-example']);
  });

  it('picks every branch of a union across seeds, and oneOf values match exactly one branch', () => {
    const oks = new Set<unknown>();
    for (const seed of SEEDS) for (const v of valid('Result', seed) as { ok: boolean }[]) oks.add(v.ok);
    expect([...oks].sort()).toEqual([false, true]);
    const types = new Set<string>();
    for (const seed of SEEDS) for (const v of valid('AnyOfMixed', seed)) types.add(v === null ? 'null' : typeof v);
    expect([...types].sort()).toEqual(['null', 'number', 'string']);
  });

  it('merges allOf (both required sets, tightest bounds)', () => {
    for (const seed of SEEDS) {
      for (const v of valid('AllOf', seed) as { id: number; name: string }[]) {
        expect(v.id).toBeGreaterThanOrEqual(1);
        expect(v.id).toBeLessThanOrEqual(3);
        expect(v.name.length).toBeLessThanOrEqual(5);
      }
    }
  });

  it('follows $ref across files and ends recursion', () => {
    for (const seed of SEEDS) for (const v of valid('CrossFile', seed) as { id: string }[]) expect(v.id).toMatch(/^item-[0-9]+$/);
    const depth = (t: { children: unknown[] }): number => 1 + Math.max(0, ...t.children.map((c) => depth(c as { children: unknown[] })));
    for (const seed of SEEDS) for (const t of valid('Tree', seed) as { children: unknown[] }[]) expect(depth(t)).toBeLessThanOrEqual(8);
  });

  it('tuples: required positions always present, optional ones sometimes, never beyond maxItems', () => {
    const lengths = new Set<number>();
    for (const seed of SEEDS) for (const t of valid('Tuple', seed) as unknown[][]) lengths.add(t.length);
    expect([...lengths].sort()).toEqual([2, 3]);
    for (const seed of SEEDS) expect(valid('EmptyTuple', seed)).toEqual(Array(8).fill([]));
  });

  it('x-void gives undefined; x-unspecified gives JSON values of several kinds', () => {
    expect(valid('Void')).toEqual(Array(8).fill(undefined));
    const kinds = new Set<string>();
    for (const seed of SEEDS) for (const v of valid('Unspecified', seed)) kinds.add(Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
    expect(kinds.size).toBeGreaterThanOrEqual(4);
  });

  it('throws Unsatisfiable for a schema no value can meet', () => {
    const s = createSchemaStore([{ uri: 'conform:/packs/x/t.yaml', doc: { $defs: { No: { allOf: [{ type: 'string' }, { type: 'integer' }] }, F: false } } }]);
    expect(() => generateValid(s.node('conform:/packs/x/t.yaml#/$defs/No'), s, { seed: 1 })).toThrow(Unsatisfiable);
    expect(() => generateValid(s.node('conform:/packs/x/t.yaml#/$defs/F'), s, { seed: 1 })).toThrow(/no value satisfies/);
  });
});

describe('determinism', () => {
  const names = ['Named', 'Result', 'Tree', 'Tuple', 'PatternAndLength', 'Unspecified', 'Record'];

  it.each(names)('%s: same seed, same values (valid and invalid)', (name) => {
    expect(valid(name, 42)).toEqual(valid(name, 42));
    expect(invalid(name, 42)).toEqual(invalid(name, 42));
  });

  it('does not depend on global state or on other calls in between', () => {
    const first = valid('Named', 5);
    valid('Tree', 9);
    Math.random();
    expect(valid('Named', 5)).toEqual(first);
    // A fresh store (new view cache) gives the same values too.
    const again = fixtureStore();
    expect(generateValid(again.node('Named'), again.store, { seed: 5, count: 8 })).toEqual(first);
  });

  it.each(names.filter((n) => n !== 'Unspecified'))('%s: different seeds give different values', (name) => {
    const outs = new Set(SEEDS.slice(0, 5).map((seed) => JSON.stringify(valid(name, seed))));
    expect(outs.size).toBeGreaterThan(1);
  });
});

describe('invalid values, one rule each', () => {
  it.each<[string, InvalidRule, string]>([
    ['Str', 'wrong-type', ''],
    ['Str', 'min-length', ''],
    ['Str', 'max-length', ''],
    ['Pattern', 'pattern', ''],
    ['PatternAndLength', 'pattern', ''],
    ['Uuid', 'format', ''],
    ['DateTime', 'format', ''],
    ['Date', 'format', ''],
    ['Time', 'format', ''],
    ['Email', 'format', ''],
    ['Uri', 'format', ''],
    ['Hostname', 'format', ''],
    ['Ipv4', 'format', ''],
    ['Ipv6', 'format', ''],
    ['Regex', 'format', ''],
    ['Int', 'minimum', ''],
    ['Int', 'maximum', ''],
    ['Int', 'wrong-type', ''],
    ['ExclusiveNum', 'minimum', ''],
    ['ExclusiveNum', 'maximum', ''],
    ['MultipleOf', 'multiple-of', ''],
    ['FloatMultiple', 'multiple-of', ''],
    ['Const', 'not-const', ''],
    ['ConstObject', 'not-const', ''],
    ['Enum', 'not-in-enum', ''],
    ['BoolEnum', 'not-in-enum', ''],
    ['Nullable', 'wrong-type', ''],
    ['List', 'min-items', ''],
    ['List', 'max-items', '/4'],
    ['List', 'unique-items', '/1'],
    ['List', 'wrong-item', '/0'],
    ['Contains', 'contains', ''],
    ['Tuple', 'missing-required', '/1'],
    ['Tuple', 'max-items', '/3'],
    ['Tuple', 'wrong-item', '/0'],
    ['Tuple', 'format', '/0'],
    ['Tuple', 'min-length', '/1'],
    ['ClosedTuple', 'extra-item', '/1'],
    ['EmptyTuple', 'max-items', '/0'],
    ['Named', 'missing-required', '/sessionId'],
    ['Named', 'missing-required', '/port'],
    ['Named', 'extra-property', '/unexpectedProperty'],
    ['Named', 'wrong-type', '/filePath'],
    ['Named', 'maximum', '/port'],
    ['Record', 'min-properties', ''],
    ['Record', 'max-properties', ''],
    ['PatternProps', 'extra-property', '/unexpectedProperty'],
    ['Dependent', 'missing-required', '/cvc'],
    ['Dependent', 'pattern', '/cvc'],
    ['AllOf', 'missing-required', '/name'],
    ['AllOf', 'maximum', '/id'],
    ['AllOf', 'max-length', '/name'],
    ['ClosedAllOf', 'extra-property', '/unexpectedProperty'],
    ['ClosedAllOf', 'min-length', '/a'],
    ['Result', 'not-const', '/ok'],
    ['Result', 'missing-required', '/data'],
    ['Result', 'missing-required', '/error'],
    ['Result', 'extra-property', '/unexpectedProperty'],
    ['Result', 'pattern', '/data/id'],
    ['Result', 'wrong-type', ''],
    ['AnyOfMixed', 'wrong-type', ''],
    ['NotNull', 'not', ''],
    ['Tree', 'missing-required', '/children'],
    ['Tree', 'wrong-item', '/children/0'],
    ['Tree', 'missing-required', '/children/0/label'],
    ['LinkedList', 'missing-required', '/next/value'],
    ['CrossFile', 'pattern', '/id'],
    ['CrossFile', 'max-length', '/tags/0'],
    ['PartlyUnspecified', 'missing-required', '/open'],
    ['PropertyNames', 'property-name', '/Not A Name!'],
    ['Secret', 'min-length', '/apiKey'],
    ['VoidOrSnapshot', 'pattern', '/id'],
  ])('%s: %s at %j fails ajv for that reason', (name, rule, path) => expectBreak(name, rule, path));

  it('every invalid value of every fixture fails, and ajv names the labelled rule', () => {
    let count = 0;
    for (const name of Object.keys(fixtureDefs)) {
      for (const seed of SEEDS) {
        for (const b of invalid(name, seed)) {
          const r = store.validate(node(name), b.value);
          expect(r.valid, `${name} seed ${seed} ${b.rule} ${b.path}: ${JSON.stringify(b.value)}`).toBe(false);
          expect(issuesExplain(b, r.issues), `${name} seed ${seed} ${b.rule} ${b.path}: ${JSON.stringify(r.issues)}`).toBe(true);
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(1000);
  });

  it('a union value broken in one branch must miss the other branches too', () => {
    // ok:true with `error` but no `data`: fails branch 1 (required data) and branch 2 (ok const false).
    for (const seed of SEEDS) {
      for (const b of invalid('Result', seed)) {
        const v = b.value as Record<string, unknown>;
        if (b.rule === 'missing-required' && b.path === '/data') expect(v.ok).toBe(true);
      }
    }
  });

  it('produces nothing where nothing can be invalid, and says why', () => {
    for (const name of ['Unspecified', 'Empty', 'Void']) {
      expect(invalid(name)).toEqual([]);
      expect(inspectSchema(node(name), store).invalidSkipped).toMatch(/x-unspecified|no constraint|x-void/);
    }
    expect(inspectSchema(node('Unspecified'), store)).toMatchObject({ unspecified: 'the document does not say', unspecifiedPaths: [''] });
    expect(inspectSchema(node('PartlyUnspecified'), store).unspecifiedPaths).toEqual(['/open']);
    expect(inspectSchema(node('Void'), store).void).toBe(true);
    // Breaks never go inside the unspecified part.
    for (const seed of SEEDS) expect(invalid('PartlyUnspecified', seed).some((b) => b.path.startsWith('/open/'))).toBe(false);
  });

  it('labels each variant with a description naming the broken keyword', () => {
    const list = invalid('Named');
    expect(list.find((b) => b.rule === 'extra-property')!.description).toMatch(/additionalProperties: false/);
    expect(list.find((b) => b.rule === 'missing-required')!.description).toMatch(/required property 'sessionId'/);
  });
});

describe('examples reached through $ref', () => {
  it('come first for a node that only refers to the schema holding them', () => {
    const s = createSchemaStore([
      {
        uri: 'conform:/packs/x/t.yaml',
        doc: { $defs: { Ref: { $ref: '#/$defs/Model' }, Model: { type: 'string', examples: ['llama3.2:latest', 'mistral:7b'] } } },
      },
    ]);
    const v = generateValid(s.node('conform:/packs/x/t.yaml#/$defs/Ref'), s, { seed: 1, count: 4 });
    expect(v.slice(0, 2)).toEqual(['llama3.2:latest', 'mistral:7b']);
    expect(v).toHaveLength(4);
  });
});
