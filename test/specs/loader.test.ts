import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPack, loadPackFromSources, loadPackFromSourcesSync } from '../../specs/loader.ts';
import { ContractError } from '../../specs/model.ts';
import { createAjv } from '../../specs/schema-store.ts';
import type { Pack } from '../../specs/model.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/packs/', import.meta.url));

/** Load an in-memory pack named `p` (files shown as `p/<file>`); other packs come from the fixtures. */
function load(contract: string, extra: Record<string, string> = {}): Pack {
  return loadPackFromSourcesSync('p', { 'contract.yaml': contract, ...extra }, { packsDir: FIXTURES });
}

function fails(contract: string, extra: Record<string, string> = {}): ContractError {
  try {
    load(contract, extra);
  } catch (err) {
    expect(err).toBeInstanceOf(ContractError);
    return err as ContractError;
  }
  throw new Error('expected the pack to be rejected');
}

const HEAD = `conform: 1
app: p
transport: electron
bridge:
  roots: [window.api]
`;

describe('loader: the good fixture packs', () => {
  it('loads the notes pack into the resolved model', async () => {
    const pack = await loadPack(`${FIXTURES}notes`);
    expect(pack.name).toBe('notes');
    expect(pack.app).toBe('notes');
    expect(pack.transport).toBe('electron');
    expect(pack.roots).toEqual(['window.notes', 'window.auth']);
    expect(pack.window).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, csp: true });
    expect(pack.notes).toEqual(['Budgets are Conform defaults, not from a document.']);
    expect(pack.files.map((f) => f.slice(FIXTURES.length))).toEqual(['notes/contract.yaml', 'notes/types.yaml']);
    expect(pack.channels.map((c) => c.name)).toEqual([
      'notes:create', 'notes:get', 'notes:delete', 'notes:export', 'notes:clear', 'sync:start', 'sync:progress', 'sync:done', 'sync:failed', 'auth:whoami',
    ]);
    expect(pack.includes).toEqual([{ pack: 'auth', channels: ['auth:whoami'] }]);

    const create = pack.byName.get('notes:create')!;
    expect(create).toMatchObject({ kind: 'invoke', bridge: 'window.notes.create', budgetMs: 500, returnsVoid: false, definedIn: 'notes' });
    expect(create.pos).toEqual({ file: 'test/fixtures/packs/notes/contract.yaml', line: 20, col: 3 });
    expect(create.errors).toEqual({ style: 'rejection', message: '^Error: (title required|too large)$' });
    expect(create.cleanup).toEqual([{ call: 'notes:delete', args: ['${result.id}'] }]);
    expect(create.params.style).toBe('positional');
    expect(create.returns!.uri).toBe('conform:/packs/notes/contract.yaml#/channels/notes:create/returns');

    // The args tuple validates the whole argument list, following refs across files and packs.
    const s = pack.schemas;
    expect(s.validate(create.args, [{ title: 'a' }]).valid).toBe(true);
    expect(s.validate(create.args, []).valid).toBe(false);
    expect(s.validate(create.args, [{ title: 'a', extra: 1 }]).valid).toBe(false);
    const note = { id: '0b7c2b4e-3f57-4a58-9d59-1c9f5f1b2a10', title: 't', body: '', updatedAt: '2026-01-01T00:00:00Z', owner: 'u-7' };
    expect(s.validate(create.returns!, note).valid).toBe(true);
    expect(s.validate(create.returns!, { ...note, owner: 'someone' }).issues[0]!.path).toBe('/owner');

    const get = pack.byName.get('notes:get')!;
    expect(get.errors.style).toBe('result-union');
    if (get.errors.style === 'result-union') {
      expect(get.errors.discriminator).toEqual({ ok: false });
      expect(s.validate(get.errors.error, { ok: false, error: 'gone' }).valid).toBe(true);
    }
    expect(get.prerequisites).toEqual([{ call: 'notes:create', args: [{ title: 'fixture', body: '' }], as: 'note' }]);
    expect(get.fixtures).toEqual({ id: 'note.id' });

    const del = pack.byName.get('notes:delete')!;
    expect(del.returnsVoid).toBe(true);
    expect(del.returns).toBeUndefined();
    expect(del.errors).toEqual({ style: 'rejection' }); // Electron invoke default

    const exp = pack.byName.get('notes:export')!;
    expect(exp.notes).toEqual(['The document does not say whether an existing file is overwritten.']);
    expect(s.validate(exp.args, ['/tmp/x']).valid).toBe(true);
    expect(s.validate(exp.args, ['/tmp/x', 'md']).valid).toBe(true);
    expect(s.validate(exp.args, ['/tmp/x', 'pdf']).valid).toBe(false);
    expect(exp.args.schema).toMatchObject({ minItems: 1, maxItems: 2 });

    expect(pack.byName.get('notes:clear')!.destructive).toBe('deletes every note of the user');
    expect(del.destructive).toBeUndefined();
    expect(pack.collections).toEqual([
      {
        name: 'notes',
        idField: 'id',
        idParam: 'id',
        create: 'notes:create',
        get: 'notes:get',
        delete: 'notes:delete',
        pos: { file: 'test/fixtures/packs/notes/contract.yaml', line: 110, col: 3 },
      },
    ]);

    const progress = pack.byName.get('sync:progress')!;
    expect(progress).toMatchObject({ kind: 'event', params: { style: 'none' }, errors: { style: 'none' } });
    expect(s.validate(progress.args, []).valid).toBe(true);
    expect(s.validate(progress.args, [1]).valid).toBe(false);
    expect(s.validate(pack.byName.get('sync:failed')!.payload!, { anything: [1] }).valid).toBe(true);

    const whoami = pack.byName.get('auth:whoami')!;
    expect(whoami.definedIn).toBe('auth');
    expect(whoami.returns!.uri).toBe('conform:/packs/auth/contract.yaml#/channels/auth:whoami/returns');
    expect(s.validate(whoami.returns!, { id: 'u-1', name: 'n' }).valid).toBe(true);
    expect(s.validate(whoami.args, []).valid).toBe(true);

    expect(pack.streams).toEqual([
      {
        name: 'sync',
        start: 'sync:start',
        events: ['sync:progress', 'sync:done', 'sync:failed'],
        grammar: 'sync:progress* (sync:done | sync:failed)',
        end: 'grammar',
        variantField: undefined,
        abort: undefined,
        correlation: [],
        budget: { firstEventMs: 2000, totalMs: 30000 },
        assumed: {},
        notes: undefined,
        pos: { file: 'test/fixtures/packs/notes/contract.yaml', line: 103, col: 3 },
      },
    ]);
  });

  it('loads a Tauri pack: named params, channel-stream, string errors', async () => {
    const pack = await loadPack(`${FIXTURES}tauri-mini`);
    const gen = pack.byName.get('generate_stream')!;
    expect(gen).toMatchObject({ kind: 'channel-stream', channelParam: 'onEvent', bridge: null, returnsVoid: true });
    expect(gen.params.style).toBe('named');
    expect(gen.args.uri).toBe('conform:/packs/tauri-mini/contract.yaml#/channels/generate_stream/params');
    expect(pack.schemas.validate(gen.args, { model: 'm', prompt: '', onEvent: {} }).valid).toBe(true);
    expect(pack.schemas.validate(gen.args, { model: 'm', prompt: '', onEvent: {}, api_key: 'x' }).valid).toBe(false);
    expect(pack.schemas.validate(gen.payload!, { type: 'Chunk', text: 'hi' }).valid).toBe(true);
    expect(gen.errors).toEqual({ style: 'tauri-string', note: 'Result<(), String>' });
    const presets = pack.byName.get('load_presets')!;
    expect(presets.params).toEqual({ style: 'none' });
    expect(pack.streams[0]).toMatchObject({ start: 'generate_stream', events: ['Chunk', 'Done'], end: 'call-settles', variantField: 'type' });
  });

  it('loads from in-memory sources with the same result as from disk (for the diff)', async () => {
    const read = (f: string) => readFileSync(`${FIXTURES}${f}`, 'utf8');
    const pack = await loadPackFromSources(
      'notes',
      { 'contract.yaml': read('notes/contract.yaml'), 'types.yaml': read('notes/types.yaml') },
      {
        packsDir: '/nonexistent',
        sourcesOf: (name) => (name === 'auth' ? { 'contract.yaml': read('auth/contract.yaml'), 'types.yaml': read('auth/types.yaml') } : undefined),
        displayDir: (name) => `HEAD:packs/${name}`,
      },
    );
    const disk = await loadPack(`${FIXTURES}notes`);
    expect(pack.channels.map((c) => [c.name, c.kind, c.bridge, c.definedIn, c.pos.line])).toEqual(
      disk.channels.map((c) => [c.name, c.kind, c.bridge, c.definedIn, c.pos.line]),
    );
    expect(pack.byName.get('notes:get')!.pos.file).toBe('HEAD:packs/notes/contract.yaml');
  });

  it('YAML anchors and merge keys share channel fragments; errors still point into the right node', () => {
    const base = `${HEAD}channels:\n  a: &base\n    kind: invoke\n    returns: void\n    bridge: window.api.a\n  b:\n    <<: *base\n    bridge: window.api.b\n`;
    const pack = load(base);
    expect(pack.channels.map((c) => [c.name, c.kind, c.bridge, c.returnsVoid])).toEqual([
      ['a', 'invoke', 'window.api.a', true],
      ['b', 'invoke', 'window.api.b', true],
    ]);
    expect(fails(`${base}    budgetMs: x\n`).message).toMatch(/^p\/contract\.yaml:14:15: channels\.b\.budgetMs: must be a number/);
  });

  it('the meta-schema is a valid JSON Schema 2020-12 that compiles in ajv strict mode', () => {
    const ajv = createAjv();
    ajv.addKeyword({ keyword: 'x-hint' });
    const meta = JSON.parse(readFileSync(fileURLToPath(new URL('../../specs/contract.schema.json', import.meta.url)), 'utf8')) as object;
    expect(ajv.validateSchema(meta), JSON.stringify(ajv.errors)).toBe(true);
    const validate = ajv.compile(meta);
    expect(validate({ conform: 1, app: 'x', transport: 'tauri', channels: { c: { kind: 'command', returns: 'void', params: { type: 'object' } } } })).toBe(true);
    expect(validate({ conform: 1, app: 'x', transport: 'tauri', channels: { c: { kind: 'invoke', returns: 'void' } } })).toBe(false);
    expect(validate({ conform: 1, app: 'x', transport: 'electron', channels: { c: { kind: 'invoke', returns: 'void', params: { type: 'object' } } } })).toBe(false);
  });

  it('include "*" takes every channel and the streams they fully cover', () => {
    const pack = load(`conform: 1
app: p
transport: tauri
include:
  - pack: tauri-mini
    channels: "*"
channels:
  ping:
    kind: command
    returns: void
`);
    expect(pack.channels.map((c) => `${c.name}@${c.definedIn}`)).toEqual([
      'ping@p', 'load_presets@tauri-mini', 'generate_stream@tauri-mini', 'status_changed@tauri-mini',
    ]);
    expect(pack.streams.map((s) => s.name)).toEqual(['generate']);
    const gen = pack.byName.get('generate_stream')!;
    expect(pack.schemas.validate(gen.args, { model: '', prompt: '', onEvent: 1 }).valid).toBe(false);
  });
});

describe('loader: errors name file:line:col and the key', () => {
  it('malformed YAML', () => {
    const e = fails(`${HEAD}channels:\n  a: { kind: invoke\n`);
    expect(e.message).toMatch(/^p\/contract\.yaml:\d+:\d+: malformed YAML: /);
    expect(e.pos!.line).toBeGreaterThanOrEqual(7);
  });

  it('unknown key in a channel, with the allowed keys', () => {
    const e = fails(`${HEAD}channels:\n  a:\n    kind: invoke\n    returns: void\n    budget_ms: 5\n`);
    expect(e.message).toMatch(/^p\/contract\.yaml:10:5: channels\.a\.budget_ms: unknown key "budget_ms" \(allowed here: kind, bridge, /);
    expect(e.key).toBe('budget_ms');
  });

  it('unknown key at the top level and in a schema file', () => {
    expect(fails(`${HEAD}chanels: {}\n`).message).toMatch(/^p\/contract\.yaml:6:1: chanels: unknown key "chanels" \(allowed here: conform, app, transport, /);
    const e = fails(`${HEAD}chanels: {}\nchannels: {}\n`);
    expect(e.message).toMatch(/^p\/contract\.yaml:6:1: chanels: unknown key "chanels"/);
    const t = fails(`${HEAD}channels: {}\n`, { 'types.yaml': '$defs:\n  A: { type: string }\ndefs: {}\n' });
    expect(t.message).toMatch(/^p\/types\.yaml:3:1: defs: unknown key "defs"/);
  });

  it('wrong types and values', () => {
    const budget = fails(`${HEAD}channels:\n  a:\n    kind: invoke\n    returns: void\n    budgetMs: fast\n`);
    expect(budget.message).toMatch(/^p\/contract\.yaml:10:15: channels\.a\.budgetMs: must be a number, got the string "fast"/);
    const kind = fails(`${HEAD}channels:\n  a:\n    kind: command\n    returns: void\n`);
    expect(kind.message).toMatch(/^p\/contract\.yaml:8:11: channels\.a\.kind: must be one of "invoke", "send", "event", got the string "command"/);
    const ret = fails(`${HEAD}channels:\n  a:\n    kind: invoke\n    returns: 5\n`);
    expect(ret.message).toMatch(/^p\/contract\.yaml:9:14: channels\.a\.returns: must be a JSON Schema \(an object or a boolean\) or the word void, got number 5/);
    const params = fails(`${HEAD}channels:\n  a:\n    kind: invoke\n    returns: void\n    params: { type: object }\n`);
    expect(params.message).toMatch(/^p\/contract\.yaml:10:13: channels\.a\.params: must be a list, got a mapping/);
    const version = fails(HEAD.replace('conform: 1', 'conform: 2') + 'channels: {}\n');
    expect(version.message).toMatch(/^p\/contract\.yaml:1:10: conform: must be 1, got number 2/);
    const style = fails(`${HEAD}channels:\n  a:\n    kind: invoke\n    returns: void\n    errors: { style: unspecified }\n`);
    expect(style.message).toMatch(/^p\/contract\.yaml:10:13: channels\.a\.errors: missing required key "note"/);
  });

  it('bad JSON Schemas: meta-schema errors, strict-mode unknown keywords, invalid examples', () => {
    const meta = fails(`${HEAD}channels: {}\n`, { 'types.yaml': '$defs:\n  A:\n    type: object\n    required: name\n' });
    expect(meta.message).toMatch(/^p\/types\.yaml:4:15: \$defs\.A\.required: not a valid JSON Schema: must be a list, got the string "name"/);
    const strict = fails(`${HEAD}channels: {}\n`, { 'types.yaml': '$defs:\n  A:\n    type: object\n    properties:\n      b: { type: string, maxLenght: 3 }\n' });
    expect(strict.message).toMatch(/^p\/types\.yaml:5:26: \$defs\.A\.properties\.b\.maxLenght: not a valid schema: unknown keyword: "maxLenght"/);
    expect(strict.key).toBe('maxLenght');
    const example = fails(`${HEAD}channels: {}\n`, { 'types.yaml': '$defs:\n  A:\n    type: integer\n    examples: [1, "two"]\n' });
    expect(example.message).toMatch(/^p\/types\.yaml:4:19: \$defs\.A\.examples\[1\]: example is not valid for its schema: \(root\) must be integer/);
    const guard = fails(`${HEAD}channels: {}\n`, { 'types.yaml': '$defs:\n  A: { type: string, x-guard: { pathUnderr: userData } }\n' });
    expect(guard.message).toMatch(/^p\/types\.yaml:2:22: \$defs\.A\.x-guard: not a valid schema: keyword "x-guard" value is invalid/);
  });

  it('dangling $ref within a file, to another file, to another pack', () => {
    const local = fails(`${HEAD}channels:\n  a:\n    kind: invoke\n    returns: { $ref: "#/$defs/Missing" }\n$defs:\n  There: {}\n`);
    expect(local.message).toBe('p/contract.yaml:9:22: channels.a.returns.$ref: dangling $ref "#/$defs/Missing": nothing at /$defs/Missing in p/contract.yaml');
    expect(local.key).toBe('$ref');
    const file = fails(`${HEAD}channels:\n  a:\n    kind: invoke\n    returns: { $ref: "nope.yaml#/$defs/X" }\n`);
    expect(file.message).toMatch(/^p\/contract\.yaml:9:22: channels\.a\.returns\.\$ref: dangling \$ref "nope\.yaml#\/\$defs\/X": no file p\/nope\.yaml/);
    const nested = fails(`${HEAD}channels: {}\n`, { 'types.yaml': '$defs:\n  A:\n    type: object\n    properties:\n      u: { $ref: "../auth/types.yaml#/$defs/Usr" }\n' });
    expect(nested.message).toMatch(/^p\/types\.yaml:5:18: \$defs\.A\.properties\.u\.\$ref: dangling \$ref "\.\.\/auth\/types\.yaml#\/\$defs\/Usr": nothing at \/\$defs\/Usr in auth\/types\.yaml/);
  });

  it('a dangling $ref inside another pack names that file', () => {
    const e = (() => {
      try {
        loadPackFromSourcesSync('p', { 'contract.yaml': `${HEAD}channels:\n  a:\n    kind: invoke\n    returns: { $ref: "../q/types.yaml#/$defs/A" }\n` }, {
          packsDir: FIXTURES,
          sourcesOf: (n) => (n === 'q' ? { 'contract.yaml': `${HEAD.replace('app: p', 'app: q')}channels: {}\n`, 'types.yaml': '$defs:\n  A: { $ref: "#/$defs/B" }\n' } : undefined),
        });
      } catch (err) {
        return err as ContractError;
      }
      throw new Error('expected failure');
    })();
    expect(e.message).toMatch(/^q\/types\.yaml:2:14: \$defs\.A\.\$ref: dangling \$ref "#\/\$defs\/B"/);
  });

  it('duplicate channel name, duplicate bridge path', () => {
    const dupName = fails(`${HEAD}channels:\n  a:\n    kind: send\n  b:\n    kind: send\n  a:\n    kind: send\n`);
    expect(dupName.message).toBe('p/contract.yaml:11:3: channels.a: duplicate channel name "a" (first written at line 7)');
    expect(dupName.key).toBe('a');
    const dupBridge = fails(`${HEAD}channels:\n  a:\n    kind: send\n    bridge: window.api.go\n  b:\n    kind: send\n    bridge: window.api.go\n`);
    expect(dupBridge.message).toBe(
      'p/contract.yaml:12:13: channels.b.bridge: duplicate bridge path "window.api.go" (already the bridge of channel "a" at line 7)',
    );
    const incl = fails(`${HEAD.replace('[window.api]', '[window.api, window.auth]')}include:\n  - pack: auth\n    channels: [auth:whoami]\nchannels:\n  auth:whoami:\n    kind: send\n`);
    expect(incl.message).toMatch(/^p\/contract\.yaml:8:16: include\[0\]\.channels\[0\]: duplicate channel name "auth:whoami": included from "auth" and defined at line 10/);
    const inclBridge = fails(`${HEAD.replace('[window.api]', '[window.auth]')}include:\n  - pack: auth\n    channels: [auth:logout]\nchannels:\n  bye:\n    kind: send\n    bridge: window.auth.logout\n`);
    expect(inclBridge.message).toMatch(/^p\/contract\.yaml:8:16: include\[0\]\.channels\[0\]: duplicate bridge path "window\.auth\.logout"/);
  });

  it('bridge path outside the declared roots', () => {
    const e = fails(`${HEAD}channels:\n  a:\n    kind: send\n    bridge: window.other.go\n`);
    expect(e.message).toBe('p/contract.yaml:9:13: channels.a.bridge: bridge path "window.other.go" is outside the declared roots (window.api)');
    expect(e.key).toBe('bridge');
    // A root is a whole path segment: window.apiX is not under window.api.
    expect(fails(`${HEAD}channels:\n  a:\n    kind: send\n    bridge: window.apiX.go\n`).message).toMatch(/outside the declared roots/);
  });

  it('stream grammar naming an unknown event, and grammar syntax errors', () => {
    const base = `${HEAD}channels:\n  go:\n    kind: invoke\n    returns: void\n  tick:\n    kind: event\n  done:\n    kind: event\nstreams:\n  s:\n    start: go\n    events: [tick, done]\n`;
    const unknown = fails(`${base}    grammar: "tick* (done | fail)"\n`);
    expect(unknown.message).toMatch(/^p\/contract\.yaml:18:29: streams\.s\.grammar: grammar names unknown event "fail" \(stream events: tick, done\)/);
    expect(unknown.key).toBe('grammar');
    const syntax = fails(`${base}    grammar: tick* (done\n`);
    expect(syntax.message).toMatch(/^p\/contract\.yaml:18:\d+: streams\.s\.grammar: bad grammar: /);
    const never = fails(`${base}    grammar: "(tick | done)*"\n    end: grammar\n`);
    expect(never.message).toMatch(/^p\/contract\.yaml:19:10: streams\.s\.end: .*nothing ever ends it/);
  });

  it('a variantField grammar runs over payload variants, checked against the field enum', () => {
    const base = `${HEAD}channels:\n  go:\n    kind: invoke\n    returns: void\n  upd:\n    kind: event\n    payload: { type: object, properties: { type: { enum: [progress, done, failed] } } }\nstreams:\n  s:\n    start: go\n    events: [upd]\n    variantField: type\n`;
    const ok = load(`${base}    grammar: "progress* (done | failed)"\n`);
    expect(ok.streams[0]).toMatchObject({ variantField: 'type', grammar: 'progress* (done | failed)', end: 'grammar' });
    const bad = fails(`${base}    grammar: "progress* (don | failed)"\n`);
    expect(bad.message).toMatch(/^p\/contract\.yaml:\d+:\d+: streams\.s\.grammar: grammar names unknown type variant "don" \(variants: done, failed, progress\) \(did you mean "done"\?\)/);
  });

  it('stream referencing an unknown channel', () => {
    const base = `${HEAD}channels:\n  go:\n    kind: invoke\n    returns: void\n  tick:\n    kind: event\nstreams:\n  s:\n`;
    const start = fails(`${base}    start: gp\n    events: [tick]\n`);
    expect(start.message).toBe('p/contract.yaml:14:12: streams.s.start: stream references unknown channel "gp" (did you mean "go"?)');
    const ev = fails(`${base}    start: go\n    events: [tick, tock]\n`);
    expect(ev.message).toMatch(/^p\/contract\.yaml:15:20: streams\.s\.events\[1\]: stream references unknown channel "tock" \(did you mean "tick"\?\)/);
    const abort = fails(`${base}    start: go\n    events: [tick]\n    abort: { call: stop }\n`);
    expect(abort.message).toMatch(/^p\/contract\.yaml:16:20: streams\.s\.abort\.call: stream references unknown channel "stop"/);
  });

  it('fixtures naming an unknown prerequisite; unknown prerequisite channel; bad templates', () => {
    const base = `${HEAD}channels:\n  make:\n    kind: invoke\n    returns: { type: object }\n  use:\n    kind: invoke\n    params:\n      - { name: id, schema: { type: string } }\n    returns: void\n`;
    const fx = fails(`${base}    prerequisites:\n      - { call: make, args: [], as: thing }\n    fixtures: { id: thng.id }\n`);
    expect(fx.message).toBe('p/contract.yaml:17:21: channels.use.fixtures.id: fixture "thng.id" names unknown prerequisite "thng" (prerequisites bind: thing)');
    expect(fx.key).toBe('id');
    const call = fails(`${base}    prerequisites:\n      - { call: mkae, args: [] }\n`);
    expect(call.message).toMatch(/^p\/contract\.yaml:16:17: channels\.use\.prerequisites\[0\]\.call: unknown channel "mkae" \(did you mean "make"\?\)/);
    const tpl = fails(`${base}    cleanup:\n      - { call: make, args: ["\${thing.id}"] }\n`);
    expect(tpl.message).toMatch(/^p\/contract\.yaml:16:30: channels\.use\.cleanup\[0\]\.args\[0\]: "\$\{thing\.id\}" names unknown prerequisite "thing"/);
    const par = fails(`${base}    cleanup:\n      - { call: make, args: ["\${param:ident}"] }\n`);
    expect(par.message).toMatch(/names unknown param "ident" of "use" \(params: id\)/);
    // ${result...} and ${param:...} of the channel itself are fine in cleanup.
    expect(() => load(`${base}    cleanup:\n      - { call: make, args: ["\${result.id}", "\${param:id}", "\${param:0}"] }\n`)).not.toThrow();
  });

  it('invoke without returns; params on an event; optional params before required ones', () => {
    const noRet = fails(`${HEAD}channels:\n  a:\n    kind: invoke\n    bridge: window.api.a\n`);
    expect(noRet.message).toBe('p/contract.yaml:7:3: channels.a: a invoke channel must state "returns" (a schema, or void for Promise<void>)');
    expect(noRet.key).toBe('a');
    const evParams = fails(`${HEAD}channels:\n  a:\n    kind: event\n    params: [{ name: x, schema: {} }]\n`);
    expect(evParams.message).toMatch(/^p\/contract\.yaml:9:5: channels\.a\.params: an event takes no params/);
    const order = fails(`${HEAD}channels:\n  a:\n    kind: send\n    params:\n      - { name: x, schema: {}, optional: true }\n      - { name: y, schema: {} }\n`);
    expect(order.message).toMatch(/^p\/contract\.yaml:11:17: channels\.a\.params\[1\]\.name: required param "y" after an optional one/);
  });

  it('include errors: unknown pack, unknown channel, other transport', () => {
    const pack = fails(`${HEAD}include:\n  - { pack: nosuch, channels: "*" }\nchannels: {}\n`);
    expect(pack.message).toMatch(/^p\/contract\.yaml:7:13: include\[0\]\.pack: no pack "nosuch" in /);
    const ch = fails(`${HEAD}include:\n  - { pack: auth, channels: [auth:whoam] }\nchannels: {}\n`);
    expect(ch.message).toMatch(/^p\/contract\.yaml:7:30: include\[0\]\.channels\[0\]: pack "auth" has no channel "auth:whoam" \(did you mean "auth:whoami"\?\)/);
    const partial = fails(`${HEAD.replace('[window.api]', '[window.auth]')}include:\n  - pack: auth\n    channels: [auth:rename]\nchannels: {}\n`);
    expect(partial.message).toMatch(/^p\/contract\.yaml:8:15: include\[0\]\.channels: included channel "auth:rename" calls "auth:logout" \(prerequisite or cleanup\), which is not included/);
    expect(load(`${HEAD.replace('[window.api]', '[window.auth]')}include:\n  - pack: auth\n    channels: [auth:rename, auth:logout]\nchannels: {}\n`).channels).toHaveLength(2);
    const tr = fails(`${HEAD}include:\n  - { pack: tauri-mini, channels: "*" }\nchannels: {}\n`);
    expect(tr.message).toMatch(/is a tauri pack; a electron pack cannot include/);
  });

  it('include stays inside the packs folder: paths are refused before anything is read; a path on the command line is allowed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'conform-include-'));
    try {
      const packs = join(root, 'packs');
      const outside = join(root, 'outside', 'loot');
      mkdirSync(join(packs, 'p'), { recursive: true });
      mkdirSync(outside, { recursive: true });
      writeFileSync(join(outside, 'contract.yaml'), `${HEAD.replace('app: p', 'app: loot')}channels:\n  steal:\n    kind: send\n    description: OUTSIDE-CANARY-7731\n`);
      for (const ref of ['../outside/loot', '../../outside/loot', `${outside}`, '..', '.']) {
        writeFileSync(join(packs, 'p', 'contract.yaml'), `${HEAD}include:\n  - { pack: "${ref}", channels: "*" }\nchannels: {}\n`);
        let err: unknown;
        try { await loadPack(join(packs, 'p')); } catch (e) { err = e; }
        expect(err, ref).toBeInstanceOf(ContractError);
        expect((err as Error).message, ref).toMatch(/contract\.yaml:7:13: include\[0\]\.pack: ".*" is not a pack name/);
        expect((err as Error).message).not.toContain('OUTSIDE-CANARY');
      }
      // Given explicitly on the command line, the same pack loads.
      expect((await loadPack(outside)).channels.map((c) => c.name)).toEqual(['steal']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('collections name existing callable channels and params', () => {
    const base = `${HEAD}channels:\n  make:\n    kind: invoke\n    returns: { type: object }\n  drop:\n    kind: invoke\n    params: [{ name: id, schema: { type: string } }]\n    returns: void\ncollections:\n  things:\n    idField: id\n`;
    const unknown = fails(`${base}    create: mkae\n`);
    expect(unknown.message).toBe('p/contract.yaml:17:13: collections.things.create: collection references unknown channel "mkae" (did you mean "make"?)');
    const param = fails(`${base}    delete: drop\n    idParam: key\n`);
    expect(param.message).toMatch(/^p\/contract\.yaml:18:14: collections\.things\.idParam: "drop" \(delete\) has no param "key" \(params: id\)/);
    const none = fails(`${base}    itemPath: data\n`);
    expect(none.message).toMatch(/^p\/contract\.yaml:15:3: collections\.things: a collection names at least one of list, get, create/);
    expect(load(`${base}    create: make\n    delete: drop\n`).collections).toMatchObject([{ name: 'things', create: 'make', delete: 'drop' }]);
  });

  it('a pack folder without contract.yaml', () => {
    expect(() => loadPackFromSourcesSync('p', { 'types.yaml': '$defs: {}\n' })).toThrow(/p: a pack needs a contract\.yaml/);
  });
});

describe('loader: large packs and the two YAML readers', () => {
  // A file without anchors is read by js-yaml, one with an anchor by `yaml`: both must give the
  // same data, also for scalars YAML 1.1 and 1.2 read differently.
  const scalars = `$defs:
  S:
    enum: [on, yes, 2024-01-05, 0o17, 012, 0x1f, 1e3, 1.5e-3, ~, "", 'q', true, False, 1_000, +12]
    x-assumed: "scalars of every kind"
  M: { type: object, properties: { "<<": { type: string } } }
`;
  const channel = `${HEAD}channels:\n  a:\n    kind: invoke\n    bridge: window.api.a\n    returns: { $ref: "types.yaml#/$defs/S" }\n`;

  it('reads the same data with and without anchors in the file', () => {
    const plain = load(channel, { 'types.yaml': scalars });
    const anchored = load(channel, { 'types.yaml': scalars.replace('  S:\n', '  S: &s\n') });
    const defsOf = (p: Pack) => (p.schemas.resolve('types.yaml#/$defs/S', p.byName.get('a')!.returns!.uri).schema as { enum: unknown[] }).enum;
    expect(defsOf(plain)).toEqual(defsOf(anchored));
    expect(defsOf(plain).slice(0, 5)).toEqual(['on', 'yes', '2024-01-05', 15, 12]);
  });

  it('places errors at file:line:col in a file read without positions', () => {
    const e = fails(`${HEAD}channels:\n  a:\n    kind: invoke\n    bridge: window.api.a\n    returns: { $ref: "types.yaml#/$defs/T" }\n`, {
      'types.yaml': '$defs:\n  T:\n    type: object\n    properties:\n      n: { type: integer, maximun: 3 }\n',
    });
    expect(e.message).toMatch(/^p\/types\.yaml:5:27: \$defs\.T\.properties\.n\.maximun: not a valid schema: unknown keyword: "maximun"/);
  });

  it('checks a place a $ref reaches that no other check walks', () => {
    const e = fails(`${HEAD}channels:\n  a:\n    kind: invoke\n    bridge: window.api.a\n    returns: { $ref: "#/bridge" }\n`);
    expect(e.message).toMatch(/^p\/contract\.yaml:5:3: bridge\.roots: not a valid schema: unknown keyword: "roots"/);
  });

  it('loads a chain of 20k $refs without overflowing the stack, in seconds', () => {
    const n = 20_000;
    const defs = ['$defs:'];
    for (let i = 0; i < n; i++) {
      defs.push(i === n - 1 ? `  D${i}: { type: string }` : i % 2 ? `  D${i}: { $ref: "#/$defs/D${i + 1}" }` : `  D${i}: { type: object, properties: { next: { $ref: "#/$defs/D${i + 1}" } } }`);
    }
    const t = performance.now();
    const pack = load(`${HEAD}channels:\n  a:\n    kind: invoke\n    bridge: window.api.a\n    returns: { $ref: "types.yaml#/$defs/D0" }\n`, { 'types.yaml': `${defs.join('\n')}\n` });
    expect(pack.channels).toHaveLength(1);
    expect(performance.now() - t).toBeLessThan(20_000); // ~1 s quiet; quadratic walks took minutes
  }, 60_000);
});
