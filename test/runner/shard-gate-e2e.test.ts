// The CI gate end to end: `--shard 1/2` and `--shard 2/2` run in parallel and merged give the
// check set and verdicts of one unsharded run on each reference app (faults switched on in one, so
// failures, run-wide drift and event findings must survive the merge); and a baseline round trip
// through the CLI (known finding passes, new one fails, fixed one reported).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderJson } from '../../reports/run/json.ts';
import type { RunReport } from '../../reports/run/model.ts';
import { runConformance } from '../../runner/run.ts';
import { mergeReports, readShardReport } from '../../runner/shard/merge.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin', 'conform.js');
const tmp = mkdtempSync(join(tmpdir(), 'conform-shard-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// script-manager with faults whose findings sit on a called channel, an event channel and the run
// as a whole (an undocumented channel).
const APPS: Record<string, string> = {
  'script-manager': 'sm-list-returns-map,sm-log-event-raw-buffer,sm-debug-dump-channel',
  'ollama-chat': '',
  'cosmosh-lite': '',
};

const verdicts = (r: RunReport) => r.checks.map((c) => `${c.id} | ${c.channel} | ${c.stream ?? ''} | ${c.status}`).sort();

describe('--shard i/n + merge-reports', () => {
  for (const [app, faults] of Object.entries(APPS)) {
    it.skipIf(!existsSync(join(root, 'examples', app, 'package.json')))(`${app}: two shards in parallel, merged, equal one unsharded run`, { timeout: 240_000 }, async () => {
      const env = faults ? { CONFORM_FAULTS: faults } : undefined;
      const run = (shard?: { index: number; total: number }) => runConformance({ pack: app, app: join(root, 'examples', app), seed: 3, env, shard });
      const [whole, s1, s2] = await Promise.all([run(), run({ index: 1, total: 2 }), run({ index: 2, total: 2 })]);
      // Through the JSON files, as CI machines hand them over.
      const files = [s1, s2].map((o, i) => {
        const dir = join(tmp, app, `shard-${i + 1}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'conform-report.json'), renderJson(o.report));
        return dir;
      });
      const merged = mergeReports(files.reverse().map(readShardReport));
      // The shards split the called channels without overlap.
      const called = (r: RunReport) => (r.selected ?? []).filter((n) => s1.pack.byName.get(n)!.kind !== 'event');
      expect(called(s1.report).filter((n) => called(s2.report).includes(n))).toEqual([]);
      expect([...called(s1.report), ...called(s2.report)].sort()).toEqual(called(whole.report).sort());
      expect(verdicts(merged)).toEqual(verdicts(whole.report));
      expect(merged.summary).toEqual(whole.report.summary);
      // Neighbouring groups share renderer round trips: far fewer batches than groups.
      expect(whole.timing.groupBatches).toBeLessThan(whole.observations.groups.length / 2);
      if (faults) {
        const failed = merged.checks.filter((c) => c.status === 'failed').map((c) => `${c.id} ${c.channel}`);
        expect(failed).toEqual(expect.arrayContaining(['returns.schema scripts:list', 'event.payload-schema process:log:event', 'drift.undocumented-channel process:debugDump']));
      }
    });
  }

});

describe('baseline round trip through the CLI', () => {
  const conform = (args: string[], faults: string) => new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(process.execPath, [cli, 'run', 'script-manager', '--app', 'examples/script-manager', '--grep', '/^scripts:(list|create)$/', '--seed', '2', ...args],
      { cwd: root, env: { ...process.env, CONFORM_FAULTS: faults } }, (err, out, errOut) => resolve({ code: err ? (err as { code: number }).code : 0, out, err: errOut }));
  });

  it('known finding passes as baselined, a new one fails, a fixed one is reported', { timeout: 240_000 }, async () => {
    const baseline = join(tmp, 'baseline.json');
    const out = join(tmp, 'gate-report');
    const first = await conform(['--update-baseline', baseline, '--reporter', 'list'], 'sm-list-returns-map');
    expect(first.code, first.out + first.err).toBe(0);
    expect(first.out).toContain(`baseline: 1 finding(s) recorded in ${baseline}`);
    expect(JSON.parse(readFileSync(baseline, 'utf8')).findings.map((f: { id: string }) => f.id)).toEqual(['returns.schema']);

    const second = await conform(['--baseline', baseline, '--reporter', 'list,json,junit', '--out', out], 'sm-list-returns-map,sm-create-drops-id');
    expect(second.code, second.out + second.err).toBe(1);
    const json = JSON.parse(readFileSync(join(out, 'conform-report.json'), 'utf8'));
    const gateOf = (id: string, channel: string) => json.checks.find((c: { id: string; channel: string; status: string }) => c.id === id && c.channel === channel && c.status === 'failed')?.gate?.state;
    expect(gateOf('returns.schema', 'scripts:list')).toBe('baselined');
    expect(gateOf('returns.schema', 'scripts:create')).toBe('new');
    // the failure names the input sent and the offending path of the value received
    const created = json.checks.find((c: { id: string; channel: string; status: string }) => c.id === 'returns.schema' && c.channel === 'scripts:create' && c.status === 'failed');
    expect(Array.isArray(created.input)).toBe(true);
    expect(created.issues.some((i: { message: string }) => /id/.test(i.message))).toBe(true);
    expect(second.out).toMatch(/ERROR \[baselined\] returns\.schema scripts:list/);
    // the repro command, pasted, reproduces the new finding (and only runs its channel)
    const repro = /repro: (conform run .*)/.exec(second.out)![1]!;
    expect(repro).toBe('conform run script-manager --app examples/script-manager --grep scripts:create --seed 2');
    const again = await new Promise<{ code: number; out: string }>((resolve) => execFile(process.execPath, [cli, ...repro.split(' ').slice(1)],
      { cwd: root, env: { ...process.env, CONFORM_FAULTS: 'sm-create-drops-id' } }, (err, o) => resolve({ code: err ? (err as { code: number }).code : 0, out: o })));
    expect(again.code).toBe(1);
    expect(again.out).toContain("ERROR returns.schema scripts:create (specs/packs/script-manager/contract.yaml:42): valid input #0: result does not match the return schema: (root) must have required property 'id'");
    expect(again.out).not.toContain('scripts:list');
    // JUnit: the baselined finding is not a <failure>; the new one is, with the channel's pack file:line
    const junit = readFileSync(join(out, 'conform-junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase classname="script-manager\.scripts:create" name="returns\.schema"[^>]*file="specs\/packs\/script-manager\/contract\.yaml" line="\d+">\s*<failure/);
    expect(junit).toMatch(/<testcase classname="script-manager\.scripts:list" name="returns\.schema"[^>]*>\s*<skipped message="\[error\] \[baselined\]/);

    const third = await conform(['--baseline', baseline, '--reporter', 'list'], '');
    expect(third.code, third.out + third.err).toBe(0);
    expect(third.out).toMatch(/FIXED returns\.schema scripts:list/);
    expect(third.out).toMatch(/ 0 findings \(0 new, 0 baselined, 0 waived, 1 fixed\)/);
  });
});
