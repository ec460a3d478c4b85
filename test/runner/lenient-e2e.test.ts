// The "lenient real-world" fixture app (test/runner/apps/lenient) against its pack: each channel
// shows one behaviour real apps showed, and each gets exactly the verdict the contract supports.
// One launch serves every assertion; one CLI run proves the exit code of a handler that rejects
// every call.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, type RunOutcome } from '../../runner/run.ts';
import { channelStatus, gateFails, type ReportCheck } from '../../reports/run/model.ts';
import { renderHtml } from '../../reports/run/html.ts';
import { renderJunit } from '../../reports/run/junit.ts';
import { renderListSummary } from '../../reports/run/list.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pack = join(root, 'test/runner/packs/lenient');
const app = join(root, 'test/runner/apps/lenient');
const tmp = mkdtempSync(join(tmpdir(), 'conform-lenient-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let run: RunOutcome;
beforeAll(async () => {
  run = await runConformance({ pack, app, security: false });
}, 180_000);

const find = (id: string, channel: string | null, stream?: string): ReportCheck => {
  const r = run.report.checks.find((c) => c.id === id && c.channel === channel && (stream === undefined || c.stream === stream));
  expect(r, `${id} on ${channel}`).toBeDefined();
  return r!;
};
const on = (channel: string) => run.report.checks.filter((c) => c.channel === channel);
const errorsOn = (channel: string) => on(channel).filter((c) => (c.status === 'failed' && c.severity === 'error') || c.status === 'blocked');

describe('lenient real-world apps get the verdict their contract supports', () => {
  it('tolerating extra properties and defaulting missing fields is reported as what the app did (info), not a violation', () => {
    const r = find('errors.invalid-params-shape', 'settings:update');
    expect([r.status, r.severity]).toEqual(['failed', 'info']);
    expect(r.message).toMatch(/accepted/);
    expect(r.message).toMatch(/unspecified/);
    const answers = r.actual as { input: string; answer: string }[];
    expect(answers.find((a) => a.input.includes('extra-property'))?.answer).toBe('accepted');
    expect(answers.find((a) => a.input.includes('missing-required'))?.answer).toBe('accepted');
    expect(errorsOn('settings:update')).toEqual([]);
  });

  it("answering '' for an unknown id is an info finding where the contract states no validation", () => {
    const r = find('errors.invalid-params-shape', 'names:get');
    expect([r.status, r.severity]).toEqual(['failed', 'info']);
    expect(r.message).toContain('resolved ""');
    expect(errorsOn('names:get')).toEqual([]);
  });

  it('a constraint the pack assumed is a warning naming the assumption and what the app returned', () => {
    const r = find('returns.schema', 'settings:get');
    expect([r.status, r.severity]).toEqual(['failed', 'warning']);
    expect(r.assumption).toBe('maxRetries >= 0 (the document gives no range)');
    expect(r.message).toContain('pack assumed maxRetries >= 0');
    expect(r.message).toContain('/maxRetries = -1');
  });

  it('an undocumented field in a result is drift: a warning naming the field', () => {
    const r = find('drift.undocumented-field', 'names:info');
    expect([r.status, r.severity]).toEqual(['failed', 'warning']);
    expect(r.message).toContain('/internalPath');
    expect(find('returns.schema', 'names:info').status).toBe('passed');
  });

  it('a prerequisite its own input filter rejects is an error naming the call, its args and the answer; the stream it feeds is blocked', () => {
    const pre = run.report.checks.filter((c) => c.id === 'fixture.prerequisite' && c.channel === 'jobs:tail');
    expect(pre.length).toBeGreaterThan(0);
    for (const p of pre) {
      expect([p.status, p.severity]).toEqual(['failed', 'error']);
      expect(p.message).toContain('jobs:create("nightly build")');
      expect(p.message).toContain('invalid job name');
    }
    const streamChecks = on('jobs:tail').filter((c) => c.stream === 'job-output' && c.id !== 'fixture.prerequisite');
    expect(streamChecks.length).toBeGreaterThan(3);
    for (const c of streamChecks) expect([c.id, c.status, c.blockedBy?.id]).toEqual([c.id, 'blocked', 'fixture.prerequisite']);
    // The filter also fails jobs:create's own documented example: a valid call that fails.
    expect(find('call.valid-resolves', 'jobs:create')).toMatchObject({ status: 'failed', severity: 'error' });
    expect(channelStatus(on('jobs:tail'))).toBe('failed');
  });

  it('a handler that rejects every call fails on its channel and blocks the channels that need it', () => {
    expect(find('call.valid-resolves', 'vault:open')).toMatchObject({ status: 'failed', severity: 'error' });
    expect(find('returns.schema', 'vault:open').status).toBe('skipped');
    for (const id of ['returns.schema', 'call.valid-resolves', 'params.reach-handler']) {
      expect(find(id, 'vault:read')).toMatchObject({ status: 'blocked', severity: 'error', blockedBy: { id: 'fixture.prerequisite', channel: 'vault:read' } });
    }
    expect(run.report.summary.unverified).toBeGreaterThanOrEqual(2);
    expect(gateFails(run.report.checks)).toBe(true);
  });

  it('what an invalid upsert created (id "") is removed, so a later delete("") is refused as the contract states', () => {
    const upserts = run.observations.groups.find((g) => g.channel === 'notes:upsert')!.calls;
    const emptyId = upserts.find((c) => c.role === 'invalid' && c.outcome === 'resolved' && JSON.stringify(c.value).includes('"id":""'));
    expect(emptyId, 'the app accepts id ""').toBeDefined();
    expect(upserts.some((c) => c.role === 'cleanup' && c.channel === 'notes:delete' && c.outcome === 'resolved' && JSON.stringify(c.args) === '[""]')).toBe(true);
    expect(find('errors.invalid-params-shape', 'notes:delete')).toMatchObject({ status: 'passed' });
  });

  it('an event the preload subscribes to but main sends only on a rare path is drift', () => {
    const r = find('drift.undocumented-channel', 'app:restarted');
    expect([r.status, r.severity]).toEqual(['failed', 'warning']);
    expect(r.message).toContain('subscribed to by the preload');
  });

  it('a guessed bridge path names the bridge method that does invoke the channel; a missing one is found in the preload', () => {
    const guessed = find('bridge.exists', 'proc:ping');
    expect([guessed.status, guessed.severity]).toEqual(['failed', 'warning']);
    expect(guessed.message).toContain("window.api.ping invokes 'proc:ping'");
    const found = find('bridge.exists', 'app:version');
    expect([found.status, found.severity]).toEqual(['failed', 'info']);
    expect(found.message).toContain('window.api.version');
    expect(find('returns.schema', 'app:version').status).toBe('passed');
  });

  it('reporters never show skipped, blocked or unverified as passed', () => {
    const html = renderHtml(run.report);
    const row = (ch: string) => new RegExp(`<tr class="([a-z]+)"><td><a href="#ch-${encodeURIComponent(ch)}">`).exec(html)?.[1];
    expect(row('vault:read')).toBe('failed');
    expect(row('vault:open')).toBe('failed');
    expect(row('settings:get')).toBe('warning');
    expect(html).toMatch(/<h2>Blocked \(\d+\)<\/h2>/);
    expect(row('jobs:line')).toBe('partial');
    expect(html).toContain('Unverified (success value never validated)');
    const list = renderListSummary(run.report);
    expect(list).toMatch(/^UNVERIFIED \(success value never validated\): .*vault:open/m);
    expect(list).toMatch(/^BLOCKED returns.schema vault:read/m);
    expect(renderJunit(run.report)).toMatch(/<error message="\[error\] blocked by fixture.prerequisite/);
  });
});

describe('conform run exit code', () => {
  it('exits 1 when a handler rejects every call (and on the checks it blocks); --fail-on takes error or warning only', { timeout: 120_000 }, () => {
    const cli = join(root, 'bin', 'conform.js');
    const exec = (args: string[]) => {
      try {
        execFileSync(process.execPath, [cli, 'run', pack, '--app', app, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        return { code: 0, err: '' };
      } catch (e) {
        return { code: (e as { status: number }).status, err: (e as { stderr: string }).stderr };
      }
    };
    const bad = exec(['--fail-on', 'never']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--fail-on must be error or warning');
    const out = join(tmp, 'vault');
    expect(exec(['--grep', 'vault:', '--reporter', 'json', '--out', out]).code).toBe(1);
    const json = JSON.parse(readFileSync(join(out, 'conform-report.json'), 'utf8'));
    // call.valid-resolves on vault:open, fixture.prerequisite on vault:read
    expect(json.summary.errors).toBe(2);
    expect(json.summary.blocked).toBeGreaterThan(0);
    expect(json.checks.filter((c: { status: string }) => c.status === 'blocked').every((c: { blockedBy?: { channel: string } }) => c.blockedBy?.channel === 'vault:read')).toBe(true);
  });
});
