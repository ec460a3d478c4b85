// Diff of seed packs against copies with one change of each kind, made programmatically in a
// temp folder: the report must hold exactly those changes with the right severities. Targets are
// chosen by predicate (a channel nothing else refers to, a param without fixtures...), so the test
// follows the packs as they grow; every change kind must find a target in some seed pack.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { compileGrammar } from '../../specs/grammar.ts';
import { DEFAULT_PACKS_DIR, loadPackSync } from '../../specs/loader.ts';
import type { Pack } from '../../specs/model.ts';
import { diffPacks } from '../../specs/diff/engine.ts';
import { loadSide } from '../../specs/diff/source.ts';
import type { Severity } from '../../specs/diff/types.ts';

type Obj = Record<string, any>;
const SEEDS = ['ollama-desktop', 'cosmosh', 'script-manager', 'clawdesk', 'tauri-completion'];
const tmp = mkdtempSync(join(tmpdir(), 'conform-seed-diff-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Ctx {
  pack: Pack;
  doc: Obj;
  types: Obj;
  text: string;
  used: Set<string>;
}
interface Expected {
  rule: string;
  severity: Severity;
  subject: string;
}
interface Mutation {
  kind: string;
  /** Finds a target in the pack and applies the change to `ctx.doc`; undefined when there is none. */
  apply(ctx: Ctx): Expected | undefined;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A channel nothing else in the pack names (no stream, prerequisite, abort or cleanup refers to it). */
function freeChannels(ctx: Ctx, pred: (c: Obj, name: string) => boolean): string[] {
  return Object.keys(ctx.doc.channels).filter((name) => {
    if (ctx.used.has(name)) return false;
    // the key itself (`name:` then a space or line end) counts once; any other mention is a reference
    const hits = ctx.text.match(new RegExp(`(?<![\\w:.-])${esc(name)}(?![\\w-]|:[\\w-])`, 'g'))?.length ?? 0;
    return hits === 1 && pred(ctx.doc.channels[name], name);
  });
}
/** Unused channels, referenced or not (for changes that cannot break a reference, such as a payload edit). */
function anyChannels(ctx: Ctx, pred: (c: Obj) => boolean): string[] {
  return Object.keys(ctx.doc.channels).filter((n) => !ctx.used.has(n) && pred(ctx.doc.channels[n]));
}
function take(ctx: Ctx, name: string): Obj {
  ctx.used.add(name);
  return ctx.doc.channels[name];
}

function rewriteRefs(v: any, prefix: string): any {
  if (Array.isArray(v)) return v.map((x) => rewriteRefs(x, prefix));
  if (v && typeof v === 'object') {
    const o: Obj = {};
    for (const [k, x] of Object.entries(v)) o[k] = k === '$ref' && typeof x === 'string' && x.startsWith('#') ? prefix + x : rewriteRefs(x, prefix);
    return o;
  }
  return v;
}
/** The schema at `ch[field]` as an inline copy (a lone `$ref` replaced by its target), so a change stays local to this channel. */
function own(ctx: Ctx, s: any): Obj | undefined {
  if (!s || typeof s !== 'object') return undefined;
  const keys = Object.keys(s);
  if (keys.length === 1 && typeof s.$ref === 'string') {
    const m = /^(types\.yaml)?#\/\$defs\/([^/]+)$/.exec(s.$ref);
    if (!m) return undefined;
    const def = m[1] ? ctx.types.$defs?.[m[2]!] : ctx.doc.$defs?.[m[2]!];
    return def && typeof def === 'object' ? (m[1] ? rewriteRefs(structuredClone(def), 'types.yaml') : structuredClone(def)) : undefined;
  }
  return structuredClone(s);
}
const isPlainObjectSchema = (s: Obj | undefined) => !!s && s.type === 'object' && s.properties && !s.allOf && !s.anyOf && !s.oneOf && !s.$ref && !s['x-unspecified'];
const positional = (c: Obj) => Array.isArray(c.params);
const noFixtures = (c: Obj) => !c.fixtures || Object.keys(c.fixtures).length === 0;
const root = (ctx: Ctx) => ctx.pack.roots[0]!;

const mutations: Mutation[] = [
  { kind: 'security annotation (x-guard / x-secret) removed', apply: (ctx) => {
    for (const n of freeChannels(ctx, (c) => positional(c) && noFixtures(c))) {
      const ps = ctx.doc.channels[n].params as Obj[];
      for (const p of ps) {
        const s = own(ctx, p.schema);
        if (!s) continue;
        for (const key of ['x-guard', 'x-secret'] as const) {
          if (s[key] === undefined) continue;
          delete s[key];
          p.schema = s;
          take(ctx, n);
          return { rule: key === 'x-guard' ? 'param-guard-removed' : 'param-secret-removed', severity: 'breaking', subject: n };
        }
      }
    }
  } },
  { kind: 'payload enum value added', apply: (ctx) => {
    for (const n of anyChannels(ctx, (c) => c.kind === 'event' && c.payload)) {
      const s = own(ctx, ctx.doc.channels[n].payload);
      if (!isPlainObjectSchema(s)) continue;
      const k = Object.keys(s!.properties).find((p) => Array.isArray(own(ctx, s!.properties[p])?.enum));
      if (!k) continue;
      const e = own(ctx, s!.properties[k])!;
      s!.properties[k] = { ...e, enum: [...e.enum, 'diff-added'] };
      take(ctx, n).payload = s;
      return { rule: 'payload-enum-value-added', severity: 'breaking', subject: n };
    }
  } },
  { kind: 'param reordered', apply: (ctx) => {
    const [n] = freeChannels(ctx, (c) => positional(c) && c.params.length >= 2 && noFixtures(c) && !c.params[0].optional && !c.params[1].optional);
    if (!n) return;
    const ps = take(ctx, n).params;
    [ps[0], ps[1]] = [ps[1], ps[0]];
    return { rule: 'param-reordered', severity: 'breaking', subject: n };
  } },
  { kind: 'param made required', apply: (ctx) => {
    const [n] = freeChannels(ctx, (c) => positional(c) && c.params.length >= 1 && c.params[c.params.length - 1].optional === true && noFixtures(c));
    if (!n) return;
    const ps = take(ctx, n).params;
    ps[ps.length - 1].optional = false;
    return { rule: 'param-made-required', severity: 'breaking', subject: n };
  } },
  { kind: 'kind changed', apply: (ctx) => {
    const [n] = freeChannels(ctx, (c) => c.kind === 'invoke' && c.returns === 'void' && !c.prerequisites && !c.cleanup);
    if (!n) return;
    const c = take(ctx, n);
    c.kind = 'send';
    delete c.returns;
    delete c.errors;
    delete c.budgetMs;
    return { rule: 'kind-changed', severity: 'breaking', subject: n };
  } },
  { kind: 'return type widened (null added)', apply: (ctx) => {
    for (const n of freeChannels(ctx, (c) => c.returns && c.returns !== 'void')) {
      const s = own(ctx, ctx.doc.channels[n].returns);
      if (!isPlainObjectSchema(s)) continue;
      take(ctx, n).returns = { anyOf: [s, { type: 'null' }] };
      return { rule: 'return-variant-added', severity: 'breaking', subject: n };
    }
  } },
  { kind: 'return field removed', apply: (ctx) => {
    for (const n of freeChannels(ctx, (c) => c.returns && c.returns !== 'void')) {
      const s = own(ctx, ctx.doc.channels[n].returns);
      if (!isPlainObjectSchema(s) || !s!.required?.length || !s!.properties[s!.required[0]]) continue;
      const k = s!.required[0];
      delete s!.properties[k];
      s!.required = s!.required.filter((x: string) => x !== k);
      if (!s!.required.length) delete s!.required;
      take(ctx, n).returns = s;
      return { rule: 'return-property-removed', severity: 'breaking', subject: n };
    }
  } },
  { kind: 'return field made optional', apply: (ctx) => {
    for (const n of freeChannels(ctx, (c) => c.returns && c.returns !== 'void')) {
      const s = own(ctx, ctx.doc.channels[n].returns);
      if (!isPlainObjectSchema(s) || !s!.required?.length || !s!.properties[s!.required[0]]) continue;
      s!.required = s!.required.slice(1);
      if (!s!.required.length) delete s!.required;
      take(ctx, n).returns = s;
      return { rule: 'return-property-made-optional', severity: 'breaking', subject: n };
    }
  } },
  { kind: 'return field added', apply: (ctx) => {
    for (const n of freeChannels(ctx, (c) => c.returns && c.returns !== 'void')) {
      const s = own(ctx, ctx.doc.channels[n].returns);
      if (!isPlainObjectSchema(s) || s!.properties.diffAdded) continue;
      s!.properties.diffAdded = { type: 'string' };
      take(ctx, n).returns = s;
      return { rule: 'return-property-added', severity: 'info', subject: n };
    }
  } },
  { kind: 'param type narrowed (pattern added)', apply: (ctx) => {
    for (const n of freeChannels(ctx, (c) => positional(c) && noFixtures(c))) {
      const ps = ctx.doc.channels[n].params as Obj[];
      const i = ps.findIndex((p) => { const s = own(ctx, p.schema); return s && s.type === 'string' && !s.pattern && !s.enum && s.const === undefined && !s['x-unspecified'] && !s.anyOf && !s.allOf; });
      if (i < 0) continue;
      take(ctx, n);
      // examples/defaults would no longer match the pattern; they are not part of the comparison
      const { examples: _e, default: _d, ...rest } = own(ctx, ps[i]!.schema)!;
      ps[i]!.schema = { ...rest, pattern: '^diff' };
      return { rule: 'param-constraint-added', severity: 'breaking', subject: n };
    }
  } },
  { kind: 'param added', apply: (ctx) => {
    const [n] = freeChannels(ctx, (c) => c.kind === 'invoke' && positional(c) && noFixtures(c) && !c.params.some((p: Obj) => p.optional));
    if (!n) return;
    take(ctx, n).params.push({ name: 'diffExtra', schema: { type: 'string' } });
    return { rule: 'param-added', severity: 'breaking', subject: n };
  } },
  { kind: 'param removed', apply: (ctx) => {
    const [n] = freeChannels(ctx, (c) => positional(c) && c.params.length >= 1 && noFixtures(c));
    if (!n) return;
    take(ctx, n).params.pop();
    return { rule: 'param-removed', severity: 'breaking', subject: n };
  } },
  { kind: 'error contract changed (rejection -> result union)', apply: (ctx) => {
    const [n] = freeChannels(ctx, (c) => c.errors?.style === 'rejection');
    if (!n) return;
    take(ctx, n).errors = { style: 'result-union', error: { type: 'object', properties: { ok: { const: false }, error: { type: 'string' } }, required: ['ok'] }, discriminator: { ok: false } };
    return { rule: 'error-style-changed', severity: 'breaking', subject: n };
  } },
  { kind: 'budget tightened', apply: (ctx) => {
    const [n] = freeChannels(ctx, (c) => typeof c.budgetMs === 'number');
    if (!n) return;
    const c = take(ctx, n);
    c.budgetMs = c.budgetMs / 2;
    return { rule: 'budget-tightened', severity: 'warning', subject: n };
  } },
  { kind: 'bridge path renamed', apply: (ctx) => {
    const [n] = freeChannels(ctx, (c) => typeof c.bridge === 'string');
    if (!n) return;
    take(ctx, n).bridge = `${root(ctx)}.diffRenamed`;
    return { rule: 'bridge-path-renamed', severity: 'breaking', subject: n };
  } },
  { kind: 'channel removed', apply: (ctx) => {
    const [n] = freeChannels(ctx, () => true);
    if (!n) return;
    take(ctx, n);
    delete ctx.doc.channels[n];
    return { rule: 'channel-removed', severity: 'breaking', subject: n };
  } },
  { kind: 'channel added', apply: (ctx) => {
    if (!ctx.pack.roots.length || ctx.pack.transport !== 'electron') return;
    ctx.doc.channels['diff:added'] = { kind: 'invoke', bridge: `${root(ctx)}.diffAdded`, params: [], returns: 'void', errors: { style: 'rejection' } };
    return { rule: 'channel-added', severity: 'info', subject: 'diff:added' };
  } },
  { kind: 'stream grammar widened', apply: (ctx) => {
    for (const [name, s] of Object.entries<Obj>(ctx.doc.streams ?? {})) {
      if (ctx.used.has(`stream ${name}`) || !s.grammar) continue;
      const e = s.events[0] as string;
      const extra = Array(9).fill(e);
      if (compileGrammar(s.grammar).accepts(extra)) continue;
      ctx.used.add(`stream ${name}`);
      s.grammar = `(${s.grammar}) | ${extra.join(' ')}`;
      return { rule: 'stream-grammar-widened', severity: 'breaking', subject: `stream ${name}` };
    }
  } },
  { kind: 'stream correlation removed', apply: (ctx) => {
    for (const [name, s] of Object.entries<Obj>(ctx.doc.streams ?? {})) {
      if (ctx.used.has(`stream ${name}`) || !s.correlation?.length) continue;
      ctx.used.add(`stream ${name}`);
      s.correlation = s.correlation.slice(1);
      return { rule: 'correlation-removed', severity: 'breaking', subject: `stream ${name}` };
    }
  } },
  { kind: 'stream budget loosened', apply: (ctx) => {
    for (const [name, s] of Object.entries<Obj>(ctx.doc.streams ?? {})) {
      if (ctx.used.has(`stream ${name}`) || typeof s.budget?.totalMs !== 'number') continue;
      ctx.used.add(`stream ${name}`);
      s.budget.totalMs *= 2;
      return { rule: 'budget-loosened', severity: 'warning', subject: `stream ${name}` };
    }
  } },
];

describe('diff of seed packs against copies with one change of each kind', () => {
  const packsCopy = join(tmp, 'packs');
  cpSync(DEFAULT_PACKS_DIR, packsCopy, { recursive: true });
  const pending = new Set(mutations);
  const perPack: { name: string; expected: Expected[]; kinds: string[] }[] = [];
  for (const name of SEEDS) {
    if (!pending.size) break;
    const dir = join(packsCopy, name);
    const pack = loadPackSync(join(DEFAULT_PACKS_DIR, name));
    const doc = parse(readFileSync(join(dir, 'contract.yaml'), 'utf8')) as Obj;
    let types: Obj = {};
    try { types = parse(readFileSync(join(dir, 'types.yaml'), 'utf8')) ?? {}; } catch { /* no types file */ }
    const text = pack.files.map((f) => readFileSync(f, 'utf8')).join('\n');
    const ctx: Ctx = { pack, doc, types, text, used: new Set() };
    const expected: Expected[] = [];
    const kinds: string[] = [];
    for (const m of [...pending]) {
      const e = m.apply(ctx);
      if (e) {
        expected.push(e);
        kinds.push(m.kind);
        pending.delete(m);
      }
    }
    if (expected.length) {
      writeFileSync(join(dir, 'contract.yaml'), stringify(doc));
      perPack.push({ name, expected, kinds });
    }
  }

  it('every kind of change found a target in a seed pack', () => {
    expect([...pending].map((m) => m.kind)).toEqual([]);
  });

  for (const { name, expected, kinds } of perPack) {
    it(`${name}: reports exactly ${kinds.join(', ')}`, () => {
      const report = diffPacks(loadPackSync(join(DEFAULT_PACKS_DIR, name)), loadPackSync(join(packsCopy, name)));
      const got = report.changes.map((c) => `${c.rule} ${c.severity} ${c.stream ? `stream ${c.stream}` : c.channel}`).sort();
      expect(got).toEqual(expected.map((e) => `${e.rule} ${e.severity} ${e.subject}`).sort());
      // every change says who breaks and how
      for (const c of report.changes) expect(c.breaks.what.length).toBeGreaterThan(10);
    });
  }
});

describe('reading a side from git (<ref>:<path>, no checkout)', () => {
  it('diffs a committed pack against the working copy and an older commit', () => {
    const repo = join(tmp, 'repo');
    cpSync(join(DEFAULT_PACKS_DIR, 'script-manager'), join(repo, 'contracts', 'script-manager'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'v1');
    const file = join(repo, 'contracts', 'script-manager', 'contract.yaml');
    const doc = parse(readFileSync(file, 'utf8')) as Obj;
    const victim = Object.keys(doc.channels).find((n) => typeof doc.channels[n].bridge === 'string')!;
    doc.channels[victim].bridge = 'window.api.gitRenamed';
    writeFileSync(file, stringify(doc));
    // working copy vs HEAD: the rename shows up
    const head = loadSide('HEAD:contracts/script-manager', { cwd: repo });
    const work = loadSide('contracts/script-manager', { cwd: repo });
    expect(head.pack.channels.find((c) => c.name === victim)!.bridge).not.toBe('window.api.gitRenamed');
    const r1 = diffPacks(head.pack, work.pack);
    expect(r1.changes.map((c) => `${c.rule} ${c.channel}`)).toEqual([`bridge-path-renamed ${victim}`]);
    // commit it; HEAD~1 vs HEAD gives the same change, read entirely from git objects
    git('commit', '-q', '-am', 'v2');
    const r2 = diffPacks(loadSide('HEAD~1:contracts/script-manager', { cwd: repo }).pack, loadSide('HEAD:contracts/script-manager', { cwd: repo }).pack);
    expect(r2.changes.map((c) => `${c.rule} ${c.channel}`)).toEqual([`bridge-path-renamed ${victim}`]);
  });

  it('a bad ref or an empty path is a contract error naming the argument', () => {
    const repo = join(tmp, 'repo');
    expect(() => loadSide('nosuchref:contracts/script-manager', { cwd: repo })).toThrow(/git ls-tree .* failed/);
    expect(() => loadSide('HEAD:contracts/nothing-here', { cwd: repo })).toThrow(/no YAML files in contracts\/nothing-here at HEAD/);
  });
});
