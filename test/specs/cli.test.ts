// `conform spec ...` run as a child process: exit codes, output, and no stack traces on bad input.
import { describe, expect, it, afterAll, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPack } from '../../specs/loader.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIX = 'test/fixtures/packs';

function conform(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/conform.js', ...args], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

// Each case starts the CLI (tsx + pack loading) once or twice: seconds each, far more on a loaded machine.
vi.setConfig({ testTimeout: 240_000 });

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);

const tmp = mkdtempSync(join(tmpdir(), 'conform-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('conform spec lint', () => {
  it('prints one OK line per good pack and exits 0', async () => {
    const r = await conform('spec', 'lint', `${FIX}/notes`, `${FIX}/auth`, `${FIX}/tauri-mini`);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^notes\s+electron\s+10 channels \(7 calls, 3 events, 1 included\), 1 streams\s+OK$/);
    expect(lines[1]).toMatch(/^auth\s+electron\s+3 channels \(3 calls, 0 events\), 0 streams\s+OK$/);
    expect(lines[2]).toMatch(/^tauri-mini\s+tauri\s+3 channels \(2 calls, 1 events\), 1 streams\s+OK$/);
  });

  it('names file:line:col and the key of a bad pack, keeps checking the others, exits 2', async () => {
    const r = await conform('spec', 'lint', `${FIX}/bad-bridge`, `${FIX}/auth`);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      'bad-bridge  FAIL  test/fixtures/packs/bad-bridge/contract.yaml:9:13: channels.files:read.bridge: bridge path "window.files.read" is outside the declared roots (window.api)',
    );
    expect(r.stdout).toMatch(/^auth\s+electron .* OK$/m);
    noStack(r.stdout + r.stderr);
  });

  it('reports malformed YAML and a missing pack as one line each, exit 2', async () => {
    const dir = join(tmp, 'broken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'contract.yaml'), 'conform: 1\napp: x\nchannels:\n  a: [\n');
    const r = await conform('spec', 'lint', dir, 'no-such-pack');
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^broken\s+FAIL\s+\S*broken\/contract\.yaml:5:1: malformed YAML: /);
    expect(lines[1]).toMatch(/^no-such-pack\s+FAIL\s+no pack "no-such-pack": .* \(packs in specs\/packs: /);
    noStack(r.stdout + r.stderr);
  });
});

describe('conform spec list', () => {
  it('--json prints { name, kind, bridge } for every channel', async () => {
    const r = await conform('spec', 'list', `${FIX}/tauri-mini`, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { name: 'load_presets', kind: 'command', bridge: null },
      { name: 'generate_stream', kind: 'channel-stream', bridge: null },
      { name: 'status_changed', kind: 'event', bridge: null },
    ]);
  });

  it('prints a table with included channels marked', async () => {
    const r = await conform('spec', 'list', `${FIX}/notes`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^CHANNEL\s+KIND\s+BRIDGE$/m);
    expect(r.stdout).toMatch(/^notes:create\s+invoke\s+window\.notes\.create$/m);
    expect(r.stdout).toMatch(/^auth:whoami\s+invoke\s+window\.auth\.whoami\s+\(from auth\)$/m);
  });
});

describe('conform spec sample', () => {
  it('prints valid args, the same for the same seed', async () => {
    const pack = await loadPack(`${ROOT}${FIX}/notes`);
    const args = pack.byName.get('notes:get')!.args;
    const [a, b] = await Promise.all([
      conform('spec', 'sample', `${FIX}/notes`, 'notes:get', '--seed', '7', '--count', '4'),
      conform('spec', 'sample', `${FIX}/notes`, 'notes:get', '--seed', '7', '--count', '4'),
    ]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const values = a.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(values).toHaveLength(4);
    for (const v of values) expect(pack.schemas.validate(args, v)).toEqual({ valid: true, issues: [] });
  });

  it('--invalid prints each invalid variant with its rule; every printed value is invalid', async () => {
    const pack = await loadPack(`${ROOT}${FIX}/notes`);
    const args = pack.byName.get('notes:create')!.args;
    const r = await conform('spec', 'sample', `${FIX}/notes`, 'notes:create', '--invalid', '--seed', '2');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const footer = lines.pop()!;
    expect(footer).toMatch(/^(\d+) invalid variant\(s\) of notes:create args \(seed 2\)$/);
    const n = Number(/^(\d+)/.exec(footer)![1]);
    expect(n).toBeGreaterThan(3);
    expect(lines).toHaveLength(2 * n);
    const rules = new Set<string>();
    for (let i = 0; i < lines.length; i += 2) {
      const head = /^(\S+)\s+at (\S+): (.+)$/.exec(lines[i]!);
      expect(head, lines[i]).not.toBeNull();
      rules.add(head![1]!);
      const value = JSON.parse(lines[i + 1]!.trim()) as unknown;
      expect(pack.schemas.validate(args, value).valid, `${lines[i]} ${lines[i + 1]}`).toBe(false);
    }
    expect([...rules]).toEqual(expect.arrayContaining(['missing-required', 'extra-property', 'wrong-type']));
  });

  it('an unknown channel gets one paragraph with close names, exit 2', async () => {
    const r = await conform('spec', 'sample', `${FIX}/notes`, 'notes:creat');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(
      'conform: Pack "notes" has no channel "notes:creat". Did you mean "notes:create"? Run `conform spec list notes` to see its 10 channels.',
    );
  });

  it('a bad --seed is a usage error, exit 2', async () => {
    const r = await conform('spec', 'sample', `${FIX}/notes`, 'notes:create', '--seed', 'abc');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('conform: --seed takes an integer, got "abc".');
  });
});
