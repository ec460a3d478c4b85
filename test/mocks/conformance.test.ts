// The mock main process as an app under test: with --strict-params it must pass `conform run` of
// its own pack (the runner, checks and mock agree on the contract). Only security probes it cannot
// meet may fail: `x-guard: { pathUnder }` (it knows no real roots) and a pack's CSP (no page of its own).
import { describe, expect, it } from 'vitest';
import { electronMockApp } from '../../mocks/host.ts';
import { runConformance } from '../../runner/run.ts';

async function runAgainstMock(pack: string, strictParams: boolean) {
  const mock = electronMockApp({ pack, seed: 1, control: false, strictParams });
  try {
    const { report } = await runConformance({ pack, app: mock.main, args: mock.args, seed: 1 });
    return { failed: report.checks.filter((c) => c.status === 'failed' || c.status === 'blocked'), checks: report.checks };
  } finally {
    mock.remove();
  }
}

describe('conform run against the mock main process', () => {
  it('script-manager with --strict-params: no error or warning, nothing blocked (streams, collections, prerequisites, error shapes)', { timeout: 120_000 }, async () => {
    const { failed } = await runAgainstMock('script-manager', true);
    expect(failed.filter((c) => c.severity !== 'info').map((c) => `${c.id} ${c.channel}: ${c.message}`)).toEqual([]);
  });

  it('cosmosh-lite without --strict-params: invalid params are answered, which the pack leaves open: info findings, no error', { timeout: 120_000 }, async () => {
    const { failed } = await runAgainstMock('cosmosh-lite', false);
    const nonSecurity = failed.filter((c) => !c.id.startsWith('security.'));
    expect(nonSecurity.filter((c) => c.severity !== 'info').map((c) => `${c.id} ${c.channel}: ${c.message}`)).toEqual([]);
    const infos = new Set(nonSecurity.filter((c) => c.severity === 'info').map((c) => c.id));
    expect(infos).toContain('errors.invalid-params-shape');
  });

  it("cosmosh (75 channels) with --strict-params: its URL guard refuses what x-guard refuses, so no error or warning", { timeout: 120_000 }, async () => {
    const { failed, checks } = await runAgainstMock('cosmosh', true);
    expect(failed.filter((c) => c.severity !== 'info').map((c) => `${c.id} ${c.channel}: ${c.message}`)).toEqual([]);
    expect(checks.find((c) => c.id === 'security.url-guard' && c.channel === 'app:open-external-url')?.status).toBe('passed');
  });
});
