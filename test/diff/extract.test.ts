// `conform extract`: drafts a pack from a preload. Fixture preloads of known shape, then every
// reference app's preload against the app's own pack (every channel, kind and bridge path).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PACKS_DIR, loadPackSync } from '../../specs/loader.ts';
import { draftPack } from '../../runner/extract/draft.ts';
import { writeDraft } from '../../runner/extract/write.ts';

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

describe('extract from each reference app preload', () => {
  const apps = existsSync('examples') ? readdirSync('examples').filter((a) => existsSync(join('examples', a, 'preload.js'))) : [];
  it('there are reference apps with preloads', () => {
    expect(apps.length).toBeGreaterThan(0);
  });
  for (const app of apps) {
    it(`${app}: recovers every channel, kind and bridge path of its pack`, () => {
      expect(existsSync(join(DEFAULT_PACKS_DIR, app, 'contract.yaml')), `no pack specs/packs/${app}`).toBe(true);
      const pack = loadPackSync(app);
      const draft = draftPack({ preload: join('examples', app, 'preload.js'), name: app });
      const got = new Map(draft.found.map((f) => [f.channel, `${f.kind} ${f.bridge}`]));
      const want = new Map(pack.channels.map((c) => [c.name, `${c.kind} ${c.bridge}`]));
      expect(Object.fromEntries([...want].map(([k]) => [k, got.get(k)]))).toEqual(Object.fromEntries(want));
      expect((draft.contract.bridge as Obj).roots.sort()).toEqual([...pack.roots].sort());
      const dir = join(tmp, app);
      writeDraft(draft, dir);
      expect(loadPackSync(dir).channels.length).toBe(draft.found.length);
    });
  }
});

describe('extract from a preload whose name TypeScript does not know', () => {
  it('reads a readable non-TS file as JavaScript; binary data is a usage error, not echoed', async () => {
    const { copyFileSync, writeFileSync } = await import('node:fs');
    const { UsageError } = await import('../../runner/cli/errors.ts');
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
