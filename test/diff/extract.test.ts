// `conform extract`: drafts a pack from a preload. Fixture preloads of known shape, then every
// reference app's preload against the app's own pack (every channel, kind and bridge path).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PACKS_DIR, loadPackSync } from '../../specs/loader.ts';
import { draftPack } from '../../specs/extract/draft.ts';
import { SchemaImportError, importJsonSchemaFile, importZodModule } from '../../specs/extract/imports.ts';
import { writeDraft } from '../../specs/extract/write.ts';

const FIX = 'test/fixtures/preloads';
const tmp = mkdtempSync(join(tmpdir(), 'conform-extract-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Obj = Record<string, any>;
/** Every schema of a draft contract (params, returns, payloads), for the "never {}" check. */
function schemasOf(contract: Obj): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [name, ch] of Object.entries<Obj>(contract.channels)) {
    for (const p of ch.params ?? []) out.push([`${name} param ${p.name}`, p.schema]);
    if (ch.returns !== undefined && ch.returns !== 'void') out.push([`${name} returns`, ch.returns]);
    if (ch.payload !== undefined) out.push([`${name} payload`, ch.payload]);
  }
  return out;
}
function noEmptySchemas(contract: Obj): void {
  const walk = (where: string, s: unknown): void => {
    expect(s && typeof s === 'object' && Object.keys(s).length > 0, `${where} is an empty schema`).toBe(true);
    for (const [k, v] of Object.entries(s as Obj)) {
      if (k === 'properties') for (const [pk, pv] of Object.entries<unknown>(v)) walk(`${where}.${pk}`, pv);
      if (k === 'items' || k === 'additionalProperties') if (typeof v === 'object') walk(`${where}[]`, v);
      if (k === 'anyOf' || k === 'prefixItems') (v as unknown[]).forEach((x, i) => walk(`${where}|${i}`, x));
    }
  };
  for (const [w, s] of schemasOf(contract)) walk(w, s);
}

describe('extract from a typed preload with --types', () => {
  const draft = draftPack({ preload: `${FIX}/typed-notes.ts`, types: [`${FIX}/types.ts`], name: 'typed-notes' });
  const ch = draft.contract.channels as Obj;

  it('finds every channel with its kind and bridge path (nested objects, methods, const channel table)', () => {
    expect(draft.found.map((f) => `${f.channel} ${f.kind} ${f.bridge}`)).toEqual([
      'notes:list invoke window.notesApi.notes.list',
      'notes:create invoke window.notesApi.notes.create',
      'notes:remove invoke window.notesApi.notes.remove',
      'notes:search invoke window.notesApi.notes.search',
      'window:close send window.notesApi.window.close',
      'window:zoom send window.notesApi.window.zoom',
      'app:version send window.notesApi.versionSync',
      'notes:sync-progress event window.notesApi.onSyncProgress',
      'app:ready event window.notesApi.onceReady',
      'notes:raw invoke window.notesApi.raw',
    ]);
    expect((draft.contract.bridge as Obj).roots).toEqual(['window.notesApi']);
  });

  it('uses declared types: $refs into the generated types, inline types converted, optional params', () => {
    expect(ch['notes:list'].returns).toEqual({ type: 'array', items: { $ref: 'types.yaml#/$defs/Note' } });
    expect(ch['notes:create'].params).toEqual([{ name: 'input', schema: { $ref: 'types.yaml#/$defs/NoteInput' } }]);
    expect(ch['notes:remove'].params).toEqual([{ name: 'id', schema: { type: 'string' } }, { name: 'force', schema: { type: 'boolean' }, optional: true }]);
    expect(ch['notes:remove'].returns).toBe('void');
    expect(ch['notes:search'].params[0].schema).toEqual({ type: 'object', properties: { text: { type: 'string' }, limit: { type: 'number' } }, required: ['text'] });
    expect(ch['window:zoom'].params[0].schema).toEqual({ enum: [1, 2, 3] });
    expect(ch['notes:sync-progress'].payload).toEqual({ $ref: 'types.yaml#/$defs/SyncProgress' });
    expect(ch['app:version'].notes.join(' ')).toContain('sendSync');
    const defs = draft.types!.$defs;
    expect(Object.keys(defs)).toEqual(expect.arrayContaining(['Note', 'NoteInput', 'SyncProgress']));
    expect(defs.Note).toMatchObject({ type: 'object', required: expect.arrayContaining(['id', 'title', 'tags', 'kind']) });
  });

  it('unknown types become x-unspecified entries with a note, never {}', () => {
    expect(ch['notes:raw'].params[0].schema['x-unspecified']).toMatch(/opts: type not declared/);
    expect(ch['notes:raw'].returns['x-unspecified']).toMatch(/return type not declared/);
    expect(ch['app:ready'].payload['x-unspecified']).toMatch(/payload type not declared/);
    noEmptySchemas(draft.contract);
  });

  it('the written pack loads and lints clean', () => {
    const dir = join(tmp, 'typed-notes');
    writeDraft(draft, dir);
    const pack = loadPackSync(dir);
    expect(pack.channels.map((c) => c.name)).toEqual(draft.found.map((f) => f.channel));
    const out = execFileSync('node', ['bin/conform.js', 'spec', 'lint', dir], { encoding: 'utf8' });
    expect(out).toMatch(/typed-notes.*OK/);
  });
});

describe('extract from a JavaScript preload', () => {
  const draft = draftPack({ preload: `${FIX}/plain.js`, name: 'plain' });
  const ch = draft.contract.channels as Obj;

  it('follows channel factories, subscribe helpers, unconditional member additions and top-level listeners', () => {
    expect(draft.found.map((f) => `${f.channel} ${f.kind} ${f.bridge}`)).toEqual([
      'files:read invoke window.fs.read',
      'files:stat invoke window.fs.stat',
      'files:save invoke window.fs.save',
      'files:changed event window.fs.onChanged',
      'files:watch send window.fs.watch',
      'bridge:ping invoke window.bridge.ping',
      'app:theme event null',
    ]);
    expect(ch['files:read'].params.map((p: Obj) => p.name)).toEqual(['path', 'encoding']);
    expect(ch['files:stat'].notes.join(' ')).toContain('forwards ...args');
  });

  it('says what it could not follow: dynamic channels, conditional members, expression args', () => {
    expect(draft.warnings.join('\n')).toMatch(/plain\.js:\d+:\d+: ipcRenderer\.invoke with a channel that is not a constant \(channel\) in window\.bridge\.invoke/);
    expect(draft.warnings.join('\n')).toMatch(/conditional change of files\.experimental/);
    expect(draft.found.some((f) => f.channel === 'files:experimental')).toBe(false);
    expect(ch['files:save'].params[0].schema['x-unspecified']).toContain('doc && doc.path');
    noEmptySchemas(draft.contract);
  });

  it('the written pack loads', () => {
    const dir = join(tmp, 'plain');
    writeDraft(draft, dir);
    expect(loadPackSync(dir).channels).toHaveLength(7);
  });
});

describe('extract through helper wrappers and typed factories, with an unknown type node', () => {
  const W = `${FIX}/wrapped`;
  const draft = draftPack({ preload: `${W}/preload.ts`, types: [`${W}/api-types.ts`], name: 'wrapped' });
  const ch = draft.contract.channels as Obj;

  it('follows invokeIpc(channel, ...args), on(channel, cb) and factories to every channel', () => {
    expect(draft.found.map((f) => `${f.channel} ${f.kind} ${f.bridge}`)).toEqual([
      'models:list invoke window.llm.listModels',
      'models:pull invoke window.llm.pull',
      'models:tag invoke window.llm.tag',
      'files:open invoke window.llm.open',
      'app:set-mode invoke window.llm.setMode',
      'models:rename invoke window.llm.rename',
      'models:remove invoke window.llm.remove',
      'models:progress event window.llm.onProgress',
      'models:deleted event window.llm.onDeleted',
    ]);
  });

  it('params come from the typed call site: names, count, optional, through the rest of a wrapper', () => {
    const params = (name: string) => ch[name].params.map((p: Obj) => `${p.name}${p.optional ? '?' : ''}`);
    expect(params('models:list')).toEqual(['filter?']);
    expect(params('models:pull')).toEqual(['name', 'insecure', 'retries?']);
    // invoker<[source: string, target: string], R>('models:tag'): the labelled tuple of the call site
    expect(params('models:tag')).toEqual(['source', 'target']);
    // ipc.invoke<void>('models:remove', id, opts) on a helper object
    expect(params('models:remove')).toEqual(['id', 'opts?']);
    expect(ch['models:remove'].returns).toBe('void');
    expect(ch['models:tag'].params[1].schema).toEqual({ type: 'string' });
    expect(ch['models:list'].params[0].schema).toEqual({ $ref: 'types.yaml#/$defs/ModelFilter' });
  });

  it('Promise<T>, generics, intersections and unions become schemas', () => {
    // invokeIpc<Model[]>: the generic return of the wrapper, Promise unwrapped
    expect(ch['models:list'].returns).toEqual({ type: 'array', items: { $ref: 'types.yaml#/$defs/Model' } });
    // ApiResult<Model>: a generic union instance, converted structurally
    expect(ch['models:pull'].returns.anyOf).toHaveLength(2);
    expect(ch['models:pull'].returns.anyOf).toContainEqual({ type: 'object', properties: { ok: { const: true }, data: { $ref: 'types.yaml#/$defs/Model' } }, required: ['ok', 'data'] });
    // Model & { tagged: true }: the intersection merged into one object
    expect(ch['models:tag'].returns).toMatchObject({ type: 'object', required: ['id', 'name', 'createdAt', 'sizeBytes', 'tagged'] });
    expect(ch['models:tag'].returns.properties.tagged).toEqual({ const: true });
    // Partial<Pick<Model, 'name'>> & { note?: string }
    expect(ch['models:rename'].params[1].schema).toEqual({ type: 'object', properties: { name: { type: 'string' }, note: { type: 'string' } } });
    expect(ch['models:rename'].returns).toEqual({ anyOf: [{ type: 'null' }, { $ref: 'types.yaml#/$defs/Model' }] });
    // the intersection alias Model itself, generated by ts-json-schema-generator
    expect(draft.types!.$defs.Model).toMatchObject({ type: 'object', required: expect.arrayContaining(['id', 'createdAt', 'sizeBytes']) });
  });

  it('event payloads from the on() helper and from a listener<T>() factory', () => {
    expect(ch['models:progress'].payload).toEqual({ $ref: 'types.yaml#/$defs/DownloadProgress' });
    expect(ch['models:deleted'].payload).toEqual({ type: 'object', properties: { id: { type: 'string' } }, required: ['id'] });
  });

  it('a type node the generator does not know: x-unspecified naming the type and file:line, the rest goes on', () => {
    const handle = draft.types!.$defs.Handle as Obj;
    expect(handle['x-unspecified']).toMatch(/type Handle \(test\/fixtures\/preloads\/wrapped\/api-types\.ts:18\).*ImportType/);
    expect(handle['x-unspecified']).not.toContain('LastTypeNode');
    expect(draft.warnings.join('\n')).toMatch(/type Handle .*api-types\.ts:18/);
    expect(ch['files:open'].returns).toEqual({ $ref: 'types.yaml#/$defs/Handle' });
    // a template literal type in the preload: named, with where it is used
    expect(ch['app:set-mode'].params[0].schema['x-unspecified']).toMatch(/`mode-\$\{string\}` \(a TemplateLiteral type used at test\/fixtures\/preloads\/wrapped\/preload\.ts:34\)/);
    noEmptySchemas(draft.contract);
  });

  it('coverage: which channels state params, returns and payloads (an unspecified $ref target counts as unspecified)', () => {
    expect(draft.coverage.params).toEqual({ stated: 6, total: 7, unspecified: ['app:set-mode'] });
    expect(draft.coverage.returns).toEqual({ stated: 6, total: 7, unspecified: ['files:open'] });
    expect(draft.coverage.payloads).toEqual({ stated: 2, total: 2, unspecified: [] });
    expect((draft.contract.notes as string[])[0]).toBe('schema coverage of this draft: 9 channels; stated schemas: params 6/7, returns 6/7, payloads 2/2');
  });

  it('the written pack lints clean', () => {
    const dir = join(tmp, 'wrapped');
    writeDraft(draft, dir);
    expect(loadPackSync(dir).channels).toHaveLength(9);
  });

  it('a JSON Schema file from another tool (draft-07 definitions) becomes a schema file the params refer to', () => {
    const file = importJsonSchemaFile(`${W}/model-filter.schema.json`);
    expect(file.file).toBe('model-filter.yaml');
    expect(file.defs.ModelFilter).toMatchObject({ properties: { family: { $ref: '#/$defs/Family' } } });
    const d = draftPack({ preload: `${W}/preload.ts`, schemaFiles: [file], name: 'wrapped-json' });
    expect((d.contract.channels as Obj)['models:list'].params[0].schema).toEqual({ $ref: 'model-filter.yaml#/$defs/ModelFilter' });
    const dir = join(tmp, 'wrapped-json');
    writeDraft(d, dir);
    const pack = loadPackSync(dir);
    const args = pack.byName.get('models:list')!.args;
    expect(pack.schemas.validate(args, [{ family: 'qwen', minSize: 3 }]).valid).toBe(true);
    expect(pack.schemas.validate(args, [{ family: 'gpt' }]).valid).toBe(false);
  });
});

describe('extract from a JavaScript preload typed by the app\'s global.d.ts', () => {
  const D = `${FIX}/declared`;
  const draft = draftPack({ preload: `${D}/preload.js`, types: [`${D}/global.d.ts`], name: 'declared' });
  const ch = draft.contract.channels as Obj;

  it('params, returns and payloads come from the declared Window, also behind a ...args factory', () => {
    expect(ch['user:get'].params).toEqual([{ name: 'id', schema: { type: 'string' } }]);
    expect(ch['user:get'].returns).toEqual({ anyOf: [{ type: 'null' }, { $ref: 'types.yaml#/$defs/User' }] });
    expect(ch['user:save'].params).toEqual([
      { name: 'user', schema: { $ref: 'types.yaml#/$defs/User' } },
      { name: 'opts', schema: { type: 'object', properties: { overwrite: { type: 'boolean' } }, required: ['overwrite'] }, optional: true },
    ]);
    expect(ch['user:save'].returns).toBe('void');
    expect(ch['app:ping'].returns).toEqual({ const: 'pong' });
    expect(ch['auth:logout'].payload).toEqual({ enum: ['timeout', 'manual'] });
    expect(ch['user:get'].notes.join(' ')).toContain('declared window.electronAPI.getUser (test/fixtures/preloads/declared/global.d.ts:10)');
    expect(draft.coverage.line).toBe('4 channels; stated schemas: params 2/2, returns 3/3, payloads 1/1');
  });

  it('without the declaration the same preload states nothing', () => {
    const bare = draftPack({ preload: `${D}/preload.js`, name: 'declared-bare' });
    expect(bare.coverage.line).toBe('4 channels; stated schemas: params 0/2, returns 0/3, payloads 0/1');
    expect(bare.coverage.params.unspecified).toEqual(['user:get', 'user:save']);
  });
});

describe('extract --zod: the Zod schemas the app validates with', () => {
  const Z = `${FIX}/zod`;

  it('z.toJSONSchema converts every exported schema; types named after them (or z.infer<typeof X>) become $refs', async () => {
    const zod = await importZodModule(`${Z}/schemas.ts`);
    expect(Object.keys(zod.defs).sort()).toEqual(['Note', 'NoteInputSchema', 'Settings']);
    expect(zod.defs.Settings).toEqual({ type: 'object', properties: { theme: { type: 'string', enum: ['light', 'dark'] }, fontSize: { type: 'integer', minimum: 8, maximum: 48 } }, required: ['theme', 'fontSize'] });
    // z.date() has no JSON form: an unknown stated as one, never {}
    expect((zod.defs.Note as Obj).properties.createdAt['x-unspecified']).toMatch(/Zod date/);
    const draft = draftPack({ preload: `${Z}/preload.ts`, schemaFiles: [zod], name: 'zod-notes' });
    const ch = draft.contract.channels as Obj;
    expect(ch['notes:create'].params[0].schema).toEqual({ $ref: 'zod.yaml#/$defs/NoteInputSchema' });
    expect(ch['notes:create'].returns).toEqual({ $ref: 'zod.yaml#/$defs/Note' });
    expect(ch['notes:list'].returns).toEqual({ type: 'array', items: { $ref: 'zod.yaml#/$defs/Note' } });
    expect(ch['settings:update'].params[0].schema).toEqual({ $ref: 'zod.yaml#/$defs/Settings' });
    // Note's createdAt is open: its channels are not counted as stated
    expect(draft.coverage.returns.unspecified).toEqual(['notes:create', 'notes:list', 'notes:export']);
    const dir = join(tmp, 'zod-notes');
    writeDraft(draft, dir);
    const pack = loadPackSync(dir);
    const args = pack.byName.get('notes:create')!.args;
    expect(pack.schemas.validate(args, [{ title: 'a' }]).valid).toBe(true);
    expect(pack.schemas.validate(args, [{ title: '' }]).valid).toBe(false);
  });

  it('a module without Zod schemas is a clear error', async () => {
    await expect(importZodModule(`${FIX}/types.ts`)).rejects.toThrow(SchemaImportError);
    await expect(importZodModule(`${FIX}/types.ts`)).rejects.toThrow(/no exported Zod 4 schema found/);
  });
});

describe('conform extract CLI', () => {
  const extract = (args: string[]) => {
    try {
      return { code: 0, out: execFileSync('node', ['bin/conform.js', 'extract', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), err: '' };
    } catch (e) {
      const x = e as { status: number; stdout: string; stderr: string };
      return { code: x.status, out: x.stdout, err: x.stderr };
    }
  };

  it('prints the coverage line and the unspecified channels, and writes the schema files', () => {
    const dir = join(tmp, 'cli-zod');
    const r = extract(['--preload', `${FIX}/zod/preload.ts`, '--zod', `${FIX}/zod/schemas.ts`, '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('coverage: 4 channels; stated schemas: params 3/3, returns 1/4, payloads 0/0');
    expect(r.out).toContain('unspecified returns (3): notes:create, notes:list, notes:export');
    expect(readdirSync(dir).sort()).toEqual(['contract.yaml', 'zod.yaml']);
  });

  it('a bad --zod module exits 2 with one paragraph naming it', () => {
    const r = extract(['--preload', `${FIX}/zod/preload.ts`, '--zod', `${FIX}/README.md`]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('--zod test/fixtures/preloads/README.md: the module could not be loaded');
  });
});

describe('extract from each reference app preload', () => {
  const apps = existsSync('examples') ? readdirSync('examples').filter((a) => existsSync(join('examples', a, 'preload.js'))) : [];
  const table: string[] = [];
  afterAll(() => {
    // The comparison table of the issue: what extract recovered of each shipped pack.
    if (table.length) console.log(['app | channels | kinds | bridges | param counts', ...table].join('\n'));
  });
  it('there are reference apps with preloads', () => {
    expect(apps.length).toBeGreaterThan(0);
  });
  for (const app of apps) {
    it(`${app}: recovers every channel, kind, bridge path and parameter count of its pack`, () => {
      expect(existsSync(join(DEFAULT_PACKS_DIR, app, 'contract.yaml')), `no pack specs/packs/${app}`).toBe(true);
      const pack = loadPackSync(app);
      const draft = draftPack({ preload: join('examples', app, 'preload.js'), name: app });
      const ch = draft.contract.channels as Obj;
      const got = new Map(draft.found.map((f) => [f.channel, f]));
      const paramCount = (c: (typeof pack.channels)[number]) => (c.params.style === 'positional' ? c.params.list.length : 0);
      const n = (f: (c: (typeof pack.channels)[number]) => boolean) => pack.channels.filter(f).length;
      table.push(
        `${app} | ${n((c) => got.has(c.name))}/${pack.channels.length} | ${n((c) => got.get(c.name)?.kind === c.kind)}/${pack.channels.length} | ${n((c) => got.get(c.name)?.bridge === c.bridge)}/${pack.channels.length} | ${n((c) => (ch[c.name]?.params?.length ?? 0) === paramCount(c))}/${pack.channels.length}`,
      );
      const want = Object.fromEntries(pack.channels.map((c) => [c.name, `${c.kind} ${c.bridge} ${paramCount(c)} params`]));
      const have = Object.fromEntries(pack.channels.map((c) => [c.name, got.has(c.name) ? `${got.get(c.name)!.kind} ${got.get(c.name)!.bridge} ${ch[c.name].params?.length ?? 0} params` : undefined]));
      expect(have).toEqual(want);
      expect((draft.contract.bridge as Obj).roots.sort()).toEqual([...pack.roots].sort());
      // a JavaScript preload states no types: the coverage says so
      expect(draft.coverage.returns.stated).toBe(0);
      const dir = join(tmp, app);
      writeDraft(draft, dir);
      expect(loadPackSync(dir).channels.length).toBe(draft.found.length);
    });
  }
});

describe('extract from a preload whose name TypeScript does not know', () => {
  it('reads a readable non-TS file as JavaScript; binary data is a usage error, not echoed', async () => {
    const { copyFileSync, writeFileSync } = await import('node:fs');
    const { UsageError } = await import('../../cli/errors.ts');
    const js = readdirSync(FIX).find((f) => f.endsWith('.js'))!;
    const plain = join(tmp, 'preload.txt');
    copyFileSync(join(FIX, js), plain);
    const asJs = draftPack({ preload: join(FIX, js), name: 'x' });
    const asTxt = draftPack({ preload: plain, name: 'x' });
    expect(asTxt.found).toEqual(asJs.found);
    expect(asTxt.found.length).toBeGreaterThan(0);
    expect(String(asTxt.contract.source)).toBe('conform extract --preload preload.txt');
    const binary = join(tmp, 'preload.bin');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0xff, 0xfe, 0x00]));
    expect(() => draftPack({ preload: binary })).toThrow(UsageError);
    expect(() => draftPack({ preload: binary })).toThrow(/not a text file/);
  });
});
