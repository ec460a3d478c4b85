// Probe generation from the contract's annotations (runner/security/probes.ts): pure, no app.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../specs/loader.ts';
import type { Pack } from '../../specs/model.ts';
import { urlViolation } from '../../specs/annotations.ts';
import { annotatedParams, buildProbes, pathVariants, secretCanary, sizeVariants, urlVariants, type ProbeEnv } from '../../runner/security/probes.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'sec-mini');
const inside = (root: string, p: string) => {
  const rel = relative(resolve(root), resolve(p));
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
};

let pack: Pack;
let env: ProbeEnv;
let base: string;
beforeAll(async () => {
  pack = await loadPack(FIXTURE);
  base = mkdtempSync(join(tmpdir(), 'conform-sec-test-'));
  env = { roots: { userData: join(base, 'config', 'App') }, outsideDir: join(base, 'outside'), linkName: 'conform-probe-link-s1', nonce: 's1' };
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('annotated params', () => {
  it('finds x-guard on params, x-secret behind $ref, and credential names in nested properties', () => {
    const byCh = Object.fromEntries(pack.channels.map((c) => [c.name, annotatedParams(c, pack.schemas)]));
    expect(byCh['files:save']!.map((a) => [a.label, a.guard?.pathUnder])).toEqual([['filePath', 'userData']]);
    expect(byCh['links:open']![0]!.guard).toEqual({ schemes: ['https'], hosts: ['docs.example.com'] });
    expect(byCh['notes:put']![0]!.guard).toEqual({ maxBytes: 64 });
    expect(byCh['auth:login']!.map((a) => [a.label, a.secret, a.path])).toEqual([
      ['request.password', true, [0, 'password']],
      ['request.apiToken', true, [0, 'apiToken']],
    ]);
  });

  it('finds the guards the seed packs declare (ollama-chat saveFile, web_open; cosmosh-lite open-external-url)', async () => {
    const oc = await loadPack('ollama-chat');
    expect(annotatedParams(oc.byName.get('utils:saveFile')!, oc.schemas)[0]!.guard).toEqual({ pathUnder: 'userData' });
    expect(annotatedParams(oc.byName.get('utils:web_open')!, oc.schemas)[0]!.guard).toEqual({ schemes: ['http', 'https'] });
    const cl = await loadPack('cosmosh-lite');
    expect(annotatedParams(cl.byName.get('app:open-external-url')!, cl.schemas)[0]!.guard).toEqual({ schemes: ['http', 'https'] });
  });
});

describe('path probes', () => {
  const root = '/tmp/conform-x/config/App';
  const e = { roots: { userData: root }, outsideDir: '/tmp/conform-out-1', linkName: 'lnk', nonce: 'n1' };
  const vs = pathVariants(root, e);

  it('has every traversal family: .., absolute, root prefix, sibling, symlink, encoded, backslash, NUL', () => {
    expect(vs.map((v) => v.variant)).toEqual([
      'dotdot-relative', 'dotdot-deep', 'absolute-outside', 'root-prefix-dotdot', 'sibling-prefix', 'symlink-escape',
      'encoded-dotdot-slash', 'encoded-slash', 'backslash-dotdot', 'null-byte',
    ]);
  });

  it('every target lies outside the root, and a naive resolve(root, value) lands on it', () => {
    for (const v of vs) for (const t of v.targets!) expect(inside(root, t), `${v.variant} ${t}`).toBe(false);
    const naive = (v: string) => resolve(root, v);
    const by = Object.fromEntries(vs.map((v) => [v.variant, v]));
    for (const name of ['dotdot-relative', 'dotdot-deep', 'absolute-outside', 'root-prefix-dotdot', 'sibling-prefix']) {
      expect(naive(by[name]!.value as string), name).toBe(by[name]!.targets![0]);
    }
    // Decoding / separator conversion / NUL truncation reach the target too.
    expect(naive(decodeURIComponent(by['encoded-dotdot-slash']!.value as string))).toBe(by['encoded-dotdot-slash']!.targets![0]);
    expect(naive(decodeURIComponent(by['encoded-slash']!.value as string))).toBe(by['encoded-slash']!.targets![0]);
    expect(naive((by['backslash-dotdot']!.value as string).replace(/\\/g, '/'))).toBe(by['backslash-dotdot']!.targets![0]);
    expect(naive((by['null-byte']!.value as string).split('\0')[0]!)).toBe(by['null-byte']!.targets![0]);
  });

  it('root-prefix and sibling variants start with the root string (they defeat startsWith guards)', () => {
    for (const name of ['root-prefix-dotdot', 'sibling-prefix', 'symlink-escape']) {
      expect((vs.find((v) => v.variant === name)!.value as string).startsWith(root)).toBe(true);
    }
    expect(vs.find((v) => v.variant === 'symlink-escape')!.value).toBe(join(root, 'lnk', 'symlink.txt'));
  });

  it('only variants whose literal meaning stays inside the root on POSIX are not required to be refused', () => {
    expect(vs.filter((v) => !v.mustRefuse).map((v) => v.variant)).toEqual(['encoded-dotdot-slash', 'encoded-slash', 'backslash-dotdot']);
  });
});

describe('url probes', () => {
  it('scheme guard: javascript (mixed case, whitespace, embedded scheme), file, data, custom; every value breaks the guard', () => {
    const g = { schemes: ['http', 'https'] };
    const vs = urlVariants(g);
    expect(vs.map((v) => v.variant)).toEqual([
      'javascript', 'javascript-mixed-case', 'javascript-whitespace', 'javascript-embedded-scheme', 'file', 'file-embedded-scheme', 'data', 'custom-scheme',
    ]);
    for (const v of vs) expect(urlViolation(v.value as string, g), v.variant).not.toBeNull();
    expect(vs.find((v) => v.variant === 'javascript-embedded-scheme')!.value).toContain('http');
  });

  it('host guard adds other hosts and userinfo tricks; allowed schemes get no scheme variant', () => {
    const g = { schemes: ['https', 'file'], hosts: ['docs.example.com'] };
    const vs = urlVariants(g);
    const names = vs.map((v) => v.variant);
    expect(names).not.toContain('file');
    expect(names).toEqual(expect.arrayContaining(['other-host', 'userinfo-trick', 'host-suffix', 'host-in-path', 'mixed-case-scheme-other-host', 'whitespace-other-host']));
    expect(vs.find((v) => v.variant === 'userinfo-trick')!.value).toBe('https://docs.example.com@evil.example/');
    for (const v of vs) expect(urlViolation(v.value as string, g), v.variant).not.toBeNull();
    expect(urlViolation('https://docs.example.com/page', g)).toBeNull();
  });
});

describe('size and secret probes', () => {
  it('oversize payloads are one byte over and four times over the limit', () => {
    expect(sizeVariants(64).map((v) => (v.value as string).length)).toEqual([65, 257]);
  });

  it('a secret canary satisfies the param schema', () => {
    const p = annotatedParams(pack.byName.get('auth:login')!, pack.schemas).find((a) => a.label === 'request.apiToken')!;
    const c = secretCanary(p, pack.schemas, { nonce: 's7' }, 1, 1)!;
    expect(c).toMatch(/^conform-canary-s7-1-/);
    expect(pack.schemas.validate(p.schema, c).valid).toBe(true);
  });
});

describe('buildProbes', () => {
  it('plugs each probe into otherwise valid args, labelled with family and variant', () => {
    const ch = pack.byName.get('files:save')!;
    const { probes, skipped } = buildProbes(pack, ch, env, 3);
    expect(skipped).toEqual([]);
    expect(probes).toHaveLength(10);
    expect(new Set(probes.map((p) => p.id)).size).toBe(10);
    for (const p of probes) {
      expect(p.family).toBe('path');
      expect(p.args[0]).toBe(p.value);
      // The other args stay valid: content is a string.
      expect(typeof p.args[1]).toBe('string');
      expect(p.id).toBe(`files:save#path/${p.variant}@filePath`);
    }
  });

  it('secret params get a canary in the nested property; the rest of the request stays valid', () => {
    const ch = pack.byName.get('auth:login')!;
    const { probes } = buildProbes(pack, ch, env, 1);
    expect(probes.map((p) => p.id)).toEqual(['auth:login#secret/canary@request.password', 'auth:login#secret/canary@request.apiToken']);
    for (const p of probes) {
      const req = p.args[0] as Record<string, unknown>;
      expect(p.canaries).toHaveLength(1);
      expect(Object.values(req)).toContain(p.canaries![0]);
      expect(pack.schemas.validate(ch.args, p.args).valid).toBe(true);
      expect(p.mustRefuse).toBe(false);
    }
  });

  it('url and size probes; the guard travels with the probe', () => {
    const url = buildProbes(pack, pack.byName.get('links:open')!, env, 1).probes;
    expect(url.every((p) => p.family === 'url' && p.guard?.hosts?.[0] === 'docs.example.com')).toBe(true);
    const size = buildProbes(pack, pack.byName.get('notes:put')!, env, 1).probes;
    expect(size.map((p) => p.variant)).toEqual(['one-byte-over', 'four-times-over']);
  });

  it('destructive channels and unknown roots are skipped with a reason, never probed', () => {
    const wipe = buildProbes(pack, pack.byName.get('files:wipe')!, env, 1);
    expect(wipe.probes).toEqual([]);
    expect(wipe.skipped[0]).toMatchObject({ param: 'dir', families: ['path'] });
    expect(wipe.skipped[0]!.reason).toMatch(/destructive/);
    const noRoot = buildProbes(pack, pack.byName.get('files:save')!, { ...env, roots: {} }, 1);
    expect(noRoot.skipped[0]!.reason).toMatch(/userData is not known/);
  });

  it('is deterministic for a seed', () => {
    const a = buildProbes(pack, pack.byName.get('auth:login')!, env, 5).probes.map((p) => p.args);
    const b = buildProbes(pack, pack.byName.get('auth:login')!, env, 5).probes.map((p) => p.args);
    expect(a).toEqual(b);
  });
});
