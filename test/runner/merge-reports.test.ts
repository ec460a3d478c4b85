// `conform merge-reports` on synthetic shard reports (no app): the merge rule for results several
// shards produced, missing or foreign shards as usage errors, and the gate applied to the merge.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderJson } from '../../reports/run/json.ts';
import { summarize, type ReportCheck, type RunReport } from '../../reports/run/model.ts';
import { mergeReports } from '../../runner/shard/merge.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'conform-merge-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function shard(index: number, total: number, checks: ReportCheck[], selected: string[]): RunReport {
  return {
    tool: 'conform', version: '0.1.0', pack: 'demo', app: 'examples/demo', runtime: 'standin', seed: 1, durationMs: 1000 * index,
    summary: summarize(checks), checks, channels: ['a:get', 'b:put', 'c:event'], selected, timelines: [], incidents: [], shard: { index, total },
  };
}
const r = (id: string, channel: string | null, status: ReportCheck['status'], message: string = status): ReportCheck => ({ id, channel, status, message });

const s1 = shard(1, 2, [
  r('returns.schema', 'a:get', 'failed', 'valid input #0: (root) must be array'),
  r('event.payload-schema', 'c:event', 'skipped', 'no event'),
  r('drift.undocumented-channel', null, 'passed', 'all 3 documented'),
], ['a:get', 'c:event']);
const s2 = shard(2, 2, [
  r('returns.schema', 'b:put', 'passed'),
  r('event.payload-schema', 'c:event', 'passed', '2 payloads match'),
  r('drift.undocumented-channel', 'x:debug', 'failed', "'x:debug' is registered but is not in pack demo"),
], ['b:put', 'c:event']);

describe('mergeReports', () => {
  it('one shard: its results; several: the first that failed, else the first that passed', () => {
    const m = mergeReports([s2, s1]);
    expect(m.checks.map((c) => `${c.id} ${c.channel} ${c.status}`)).toEqual([
      'returns.schema a:get failed', 'returns.schema b:put passed', 'event.payload-schema c:event passed',
      'drift.undocumented-channel null passed', 'drift.undocumented-channel x:debug failed',
    ]);
    expect(m.summary).toEqual({ passed: 3, failed: 2, skipped: 0, blocked: 0, errors: 2, warnings: 0, infos: 0, unverified: 0 });
    expect(m.shard).toBeUndefined();
    expect(m.shards).toEqual([{ index: 1, durationMs: 1000, channels: 2 }, { index: 2, durationMs: 2000, channels: 2 }]);
    expect(m.coverage).toBeUndefined();
  });

  it("keeps issue 12's summary (blocked, severities, unverified) and adds up schema coverage", () => {
    const cov = (n: number) => ({ schemaChecks: n, verified: n - 1, partial: 1, unspecified: 0, unspecifiedChannels: ['c:event'] });
    const b1 = { ...shard(1, 2, [
      { ...r('returns.schema', 'a:get', 'blocked', 'blocked by fixture.prerequisite'), severity: 'error' as const },
      { ...r('drift.undocumented-field', 'a:get', 'failed', 'undocumented field /x'), severity: 'warning' as const },
    ], ['a:get', 'c:event']), coverage: cov(3) };
    const b2 = { ...shard(2, 2, [
      { ...r('errors.invalid-params-shape', 'b:put', 'failed', 'accepted'), severity: 'info' as const },
      r('returns.schema', 'b:put', 'passed'),
    ], ['b:put']), coverage: cov(2) };
    const m = mergeReports([b1, b2]);
    expect(m.summary).toEqual({ passed: 1, failed: 2, skipped: 0, blocked: 1, errors: 0, warnings: 1, infos: 1, unverified: 1 });
    expect(m.coverage).toEqual({ schemaChecks: 5, verified: 3, partial: 2, unspecified: 0, unspecifiedChannels: ['c:event'] });
  });

  it('a missing shard or a report of another run is a usage error, never a green merge', () => {
    const t1 = { ...s1, shard: { index: 1, total: 3 } };
    const t2 = { ...s2, shard: { index: 2, total: 3 } };
    expect(() => mergeReports([t1, t2])).toThrow(/shard\(s\) 3\/3 missing/);
    expect(() => mergeReports([t1, { ...t2, seed: 9 }])).toThrow(/shards of one run share both/);
    expect(() => mergeReports([t1, { ...t1 }])).toThrow(/both shard 1\/3/);
    expect(() => mergeReports([{ ...s1, shard: undefined }])).toThrow(/not a shard report/);
  });
});

describe('conform merge-reports CLI', () => {
  const dirs = [s1, s2].map((s) => {
    const d = join(tmp, `shard-${s.shard!.index}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'conform-report.json'), renderJson(s));
    return d;
  });
  const merge = (args: string[]) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, [join(root, 'bin/conform.js'), 'merge-reports', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), err: '' };
    } catch (e) {
      const x = e as { status: number; stdout: string; stderr: string };
      return { code: x.status, out: x.stdout, err: x.stderr };
    }
  };

  it('exits 1 on findings, 0 when they are waived, 2 on a missing shard', () => {
    const out = join(tmp, 'merged');
    const failing = merge([...dirs, '--out', out, '--reporter', 'list,json,ctrf']);
    expect(failing.code).toBe(1);
    expect(failing.out).toContain('2 errors; 3 passed, 2 findings, 0 skipped');
    const ctrf = JSON.parse(readFileSync(join(out, 'conform-ctrf.json'), 'utf8'));
    expect(ctrf.results.summary).toMatchObject({ tests: 5, passed: 3, failed: 2, skipped: 0, other: 0 });

    const waivers = join(tmp, 'waivers.yaml');
    writeFileSync(waivers, 'waivers:\n  - check: returns.schema\n    channel: a:get\n    reason: fixed in 2.4\n  - check: drift.undocumented-channel\n    reason: debug channel, dev builds only\n    expires: 2999-01-01\n');
    const waived = merge([...dirs, '--out', out, '--reporter', 'list,json,ctrf', '--waivers', waivers]);
    expect(waived.code, waived.out + waived.err).toBe(0);
    expect(waived.out).toContain('ERROR [waived: fixed in 2.4] returns.schema a:get');
    expect(waived.out).toContain('2 findings (0 new, 0 baselined, 2 waived, 0 fixed)');
    const ctrf2 = JSON.parse(readFileSync(join(out, 'conform-ctrf.json'), 'utf8'));
    expect(ctrf2.results.summary).toMatchObject({ failed: 0, other: 2 });
    expect(ctrf2.results.tests.find((t: { status: string }) => t.status === 'other').rawStatus).toBe('failed (waived: fixed in 2.4)');

    // the baseline of a sharded run is recorded from the merge, and then holds its findings
    const baseline = join(tmp, 'baseline.json');
    const recorded = merge([...dirs, '--out', out, '--reporter', 'list', '--update-baseline', baseline]);
    expect(recorded.code, recorded.out + recorded.err).toBe(0);
    expect(recorded.out).toContain(`baseline: 2 finding(s) recorded in ${baseline}`);
    expect(recorded.out).toContain('2 findings (0 new, 2 baselined, 0 waived, 0 fixed)');

    const missing = merge([dirs[0]!]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^conform: shard\(s\) 2\/2 missing: a merge without every shard would leave channels unverified\n$/);
  });
});
