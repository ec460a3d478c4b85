// `conform mock --browser` from the command line: the renderer's URL is the first line, before the
// pack loads; `--verify` on a page that makes no bridge call is exit 1 with a message, never a
// green "0 failed".
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BLANK_PAGE, runCli } from './helpers.ts';

describe('conform mock --browser (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conform-mock-browser-cli-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the URL first; --verify with no bridge call exits 1 and says why', async () => {
    const out = join(dir, 'verify');
    let urlAt: number | undefined;
    const startedAt = performance.now();
    const run = runCli(['mock', 'script-manager', '--browser', '--renderer', BLANK_PAGE, '--verify', '--out', out, '--duration', '300', '--no-control'], (text) => {
      if (urlAt === undefined && /renderer at http:/.test(text)) urlAt = performance.now() - startedAt;
    });
    child = run.child;
    const result = await run.done;
    expect(result.stdout).toMatch(/^conform mock: renderer at http:\/\/127\.0\.0\.1:\d+\/blank\.html\n/);
    // Nothing of the pack has loaded when the URL is out.
    expect(result.stderr).toMatch(/^conform mock: loading the pack\.\.\.\n/);
    expect(result.stderr).toContain('conform mock: verification judged 0 bridge call(s)');
    expect(result.code).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'conform-report.json'), 'utf8')) as { checks: { id: string; status: string; message: string }[] };
    expect(report.checks.find((c) => c.id === 'consumer.calls-observed')).toMatchObject({ status: 'failed', message: expect.stringMatching(/no bridge call/) });
    console.log(`conform mock --browser: URL printed ${urlAt!.toFixed(0)} ms after spawn (CLI start-up included)`);
  }, 120_000);
});
