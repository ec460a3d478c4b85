// The CI gate (runner/gate): baseline round trip through the file, waivers with reason and expiry,
// and file errors that name file:line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../runner/checks/types.ts';
import { applyGate, blockingFailures, fingerprint } from '../../runner/gate/gate.ts';
import { loadGate, readWaivers, writeBaseline } from '../../runner/gate/files.ts';

const dir = mkdtempSync(join(tmpdir(), 'conform-gate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fail = (id: string, channel: string | null, message: string): CheckResult => ({ id, channel, status: 'failed', message });
const pass = (id: string, channel: string | null): CheckResult => ({ id, channel, status: 'passed', message: 'ok' });

describe('baseline', () => {
  it('round trip: a known finding passes as baselined, a new one fails, a fixed one is reported', () => {
    const first = [
      fail('returns.schema', 'items:get', 'valid input #0: result does not match the return schema: /n must be integer'),
      fail('security.csp', null, 'no Content-Security-Policy on file:///app/index.html (no meta tag, eval not blocked)'),
      pass('bridge.exists', 'items:get'),
    ];
    const file = join(dir, 'sub', 'baseline.json');
    expect(writeBaseline(file, 'demo', 1, first)).toBe(2);

    const second = [
      // same finding, other numbers (input index): same fingerprint
      fail('returns.schema', 'items:get', 'valid input #2: result does not match the return schema: /n must be integer'),
      fail('latency.budget', 'items:list', 'valid input #0 took 812 ms, budget 200 ms'),
      pass('security.csp', null),
    ];
    const gate = loadGate({ baseline: file, today: '2026-12-05' });
    const { checks, summary } = applyGate(second, gate);
    expect(checks.find((c) => c.id === 'returns.schema')!.gate).toEqual({ state: 'baselined' });
    expect(checks.find((c) => c.id === 'latency.budget')!.gate).toEqual({ state: 'new' });
    expect(checks.find((c) => c.id === 'security.csp')!.gate).toBeUndefined();
    expect(blockingFailures(checks).map((c) => c.id)).toEqual(['latency.budget']);
    expect(summary).toMatchObject({ baseline: file, new: 1, baselined: 1, waived: 0 });
    expect(summary.fixed.map((f) => f.id)).toEqual(['security.csp']);
  });

  it('a run that did not check a channel never calls its baseline entries fixed', () => {
    const base = { findings: [{ id: 'returns.schema', channel: 'items:get', fingerprint: 'x', message: 'm' }] };
    expect(applyGate([], { baseline: base, today: '2026-12-05', ran: (ch) => ch !== 'items:get' }).summary.fixed).toEqual([]);
    expect(applyGate([], { baseline: base, today: '2026-12-05' }).summary.fixed).toHaveLength(1);
  });

  it('the fingerprint changes with the kind of failure, not with numbers or quoted values', () => {
    const a = fingerprint(fail('x', 'c', 'got "abc" after 12 ms'));
    expect(fingerprint(fail('x', 'c', 'got "zz" after 907 ms'))).toBe(a);
    expect(fingerprint(fail('x', 'c', 'rejected after 12 ms'))).not.toBe(a);
    expect(fingerprint(fail('x', 'd', 'got "abc" after 12 ms'))).not.toBe(a);
  });

  it('a file that is not a baseline is a usage error naming it', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"findings": 3}');
    expect(() => loadGate({ baseline: bad })).toThrow(/bad\.json: not a baseline file/);
  });
});

describe('waivers', () => {
  const file = join(dir, 'waivers.yaml');
  writeFileSync(file, [
    'waivers:',
    '  - check: security.csp',
    '    reason: CSP lands with the 2.4 renderer rewrite (APP-123)',
    '    expires: 2027-03-01',
    '  - check: latency.budget',
    '    channel: items:list',
    '    reason: backend is slow in CI',
    '    expires: 2026-11-30',
    '',
  ].join('\n'));

  it('a waived finding is shown as waived with its reason; an expired waiver fails', () => {
    const { checks, summary } = applyGate([
      fail('security.csp', null, 'no Content-Security-Policy'),
      fail('latency.budget', 'items:list', 'valid input #0 took 812 ms, budget 200 ms'),
      fail('latency.budget', 'items:get', 'valid input #0 took 812 ms, budget 200 ms'),
    ], loadGate({ waivers: file, today: '2026-12-05' }));
    const csp = checks.find((c) => c.id === 'security.csp')!;
    expect(csp.gate).toEqual({ state: 'waived', reason: 'CSP lands with the 2.4 renderer rewrite (APP-123)', expires: '2027-03-01', at: `${file}:2` });
    expect(summary.waived).toBe(1);
    // the expired waiver waives nothing and fails itself, naming where it was written
    const expired = checks.find((c) => c.id === 'gate.waiver-expired')!;
    expect(expired).toMatchObject({ status: 'failed', channel: 'items:list' });
    expect(expired.message).toContain(`${file}:5`);
    expect(expired.message).toContain('expired on 2026-11-30');
    expect(blockingFailures(checks).map((c) => `${c.id} ${c.channel}`)).toEqual([
      'latency.budget items:list', 'latency.budget items:get', 'gate.waiver-expired items:list',
    ]);
    // the day it expires it still holds
    const sameDay = applyGate([fail('latency.budget', 'items:list', 'slow')], loadGate({ waivers: file, today: '2026-11-30' }));
    expect(blockingFailures(sameDay.checks)).toEqual([]);
  });

  it('a waiver without a reason is a usage error naming file:line', () => {
    const bad = join(dir, 'bad-waivers.yaml');
    writeFileSync(bad, '- check: security.csp\n  reason: fine\n- check: returns.schema\n  channel: a\n');
    expect(() => readWaivers(bad)).toThrow(new RegExp(`${bad.replace(/[.]/g, '\\.')}:3: the waiver of returns.schema needs a reason`));
    writeFileSync(bad, '- check: security.csp\n  reason: fine\n  expires: next week\n');
    expect(() => readWaivers(bad)).toThrow(/:1: expires must be a date YYYY-MM-DD/);
  });
});

describe('gate and severities (issue 12 with issue 15)', () => {
  it('one exit rule: findings at or above --fail-on and blocked checks, unless baselined or waived; 130 when interrupted', async () => {
    const { exitCodeOf } = await import('../../reports/run/model.ts');
    const warn: CheckResult = { ...fail('drift.undocumented-field', 'items:get', 'undocumented field(s) /x'), severity: 'warning' };
    const info: CheckResult = { ...fail('errors.invalid-params-shape', 'items:get', '3 accepted'), severity: 'info' };
    const blocked: CheckResult = { id: 'returns.schema', channel: 'items:save', status: 'blocked', severity: 'error', message: 'blocked by fixture.prerequisite' };
    expect(exitCodeOf({ checks: [warn, info] })).toBe(0);
    expect(exitCodeOf({ checks: [warn, info] }, 'warning')).toBe(1);
    expect(exitCodeOf({ checks: [warn, blocked] })).toBe(1);
    expect(exitCodeOf({ checks: [warn] }, 'error', true)).toBe(130);

    const baseline = { findings: applyGate([blocked, warn], { today: '2026-12-05' }).checks.map((c) => ({ id: c.id, channel: c.channel, fingerprint: c.fingerprint!, message: c.message })) };
    const gated = applyGate([blocked, warn, info], { baseline, today: '2026-12-05' }).checks;
    expect(gated.map((c) => c.gate?.state)).toEqual(['baselined', 'baselined', 'new']);
    expect(exitCodeOf({ checks: gated }, 'warning')).toBe(0);
    expect(blockingFailures(gated)).toEqual([]);

    const expired = applyGate([warn], { waivers: [{ check: 'drift.undocumented-field', reason: 'later', expires: '2020-01-01' }], today: '2026-12-05' }).checks;
    expect(expired.find((c) => c.id === 'gate.waiver-expired')).toMatchObject({ status: 'failed', severity: 'error' });
    expect(exitCodeOf({ checks: expired })).toBe(1);
  });
});
