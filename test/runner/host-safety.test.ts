// A run never harms the host: the app's generated paths point into the run folder, which is gone
// afterwards, and host.untouched catches a file the app writes outside it. Conform runs with a
// private TMPDIR and HOME here, so the comparison sees only this run (other tests share /tmp).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin', 'conform.js');
const tmp = mkdtempSync(join(tmpdir(), 'conform-host-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Check { id: string; status: string; message: string; channel: string | null }

async function runIn(name: string, env: Record<string, string>) {
  const dir = join(tmp, name);
  const hostTmp = join(dir, 'tmp');
  const home = join(dir, 'home');
  for (const d of [hostTmp, home]) mkdirSync(d, { recursive: true });
  const mark = join(dir, 'mark');
  const out = join(dir, 'report');
  const code = await new Promise<number | null>((resolve) => {
    execFile(process.execPath, [cli, 'run', 'test/runner/packs/startup', '--app', 'test/runner/apps/startup', '--grep', 's:saveLogs', '--reporter', 'json', '--out', out], {
      cwd: root, timeout: 240_000,
      env: { ...process.env, TMPDIR: hostTmp, HOME: home, STARTUP_MARK: mark, STARTUP_LEAK_DIR: hostTmp, ...env },
    }, (err) => resolve(err ? ((err as { code?: number }).code ?? null) : 0));
  });
  const report = JSON.parse(readFileSync(join(out, 'conform-report.json'), 'utf8')) as { checks: Check[] };
  let marks = '';
  try { marks = readFileSync(mark, 'utf8'); } catch { /* the app wrote nothing */ }
  return { code, report, marks, hostTmp, home };
}

describe('host safety', () => {
  it('generated paths land in the run folder, which is removed; the host temp dir and HOME are untouched', { timeout: 240_000 }, async () => {
    const r = await runIn('clean', {});
    // The valid calls' paths (invalid variants send no string at all).
    const saved = [...r.marks.matchAll(/^save (.*) \d+$/gm)].map((m) => (m[1] === 'undefined' ? undefined : (JSON.parse(m[1]) as unknown))).filter((v): v is string => typeof v === 'string');
    expect(saved.length).toBeGreaterThan(0);
    for (const p of saved) expect(p.startsWith(join(r.hostTmp, 'conform-run-')), p).toBe(true);
    const host = r.report.checks.find((c) => c.id === 'host.untouched')!;
    expect(host.status, host.message).toBe('passed');
    // Nothing of the run is left: no run or launch folder, nothing in HOME.
    expect(readdirSync(r.hostTmp).filter((n) => /^conform-(run|app|standin)-/.test(n))).toEqual([]);
    expect(readdirSync(r.home)).toEqual([]);
  });

  it('a file the app writes outside the run folder is an error naming it', { timeout: 240_000 }, async () => {
    const r = await runIn('leak', { STARTUP_FAULT: 'write-host' });
    const host = r.report.checks.find((c) => c.id === 'host.untouched')!;
    expect(host.status).toBe('failed');
    expect(host.message).toContain(`created ${join(r.hostTmp, 'startup-leak.txt')}`);
    expect(r.code).toBe(1);
  });
});
