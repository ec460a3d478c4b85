// The mock main process as an app under test: with --strict-params it must pass `conform run` of
// its own pack (the runner, checks and mock agree on the contract). Only security probes may fail:
// the mock implements no x-guard and has no renderer page of its own (CSP).
import { describe, expect, it } from 'vitest';
import { electronMockApp } from '../../mocks/host.ts';
import { runConformance } from '../../runner/run.ts';

async function runAgainstMock(pack: string, strictParams: boolean) {
  const mock = electronMockApp({ pack, seed: 1, control: false, strictParams });
  try {
    const { report } = await runConformance({ pack, app: mock.main, args: mock.args, seed: 1 });
    return report.checks.filter((c) => c.status === 'failed' || c.status === 'blocked');
  } finally {
    mock.remove();
  }
}

describe('conform run against the mock main process', () => {
  it('script-manager with --strict-params: no error or warning, nothing blocked (streams, collections, prerequisites, error shapes)', { timeout: 120_000 }, async () => {
    const failed = await runAgainstMock('script-manager', true);
    expect(failed.filter((c) => c.severity !== 'info').map((c) => `${c.id} ${c.channel}: ${c.message}`)).toEqual([]);
  });

  it('cosmosh-lite without --strict-params: invalid params are answered, which the pack leaves open: info findings, no error', { timeout: 120_000 }, async () => {
    const failed = await runAgainstMock('cosmosh-lite', false);
    const nonSecurity = failed.filter((c) => !c.id.startsWith('security.'));
    expect(nonSecurity.filter((c) => c.severity !== 'info').map((c) => `${c.id} ${c.channel}: ${c.message}`)).toEqual([]);
    const infos = new Set(nonSecurity.filter((c) => c.severity === 'info').map((c) => c.id));
    expect(infos).toContain('errors.invalid-params-shape');
  });
});
