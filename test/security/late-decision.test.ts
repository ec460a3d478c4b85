// A navigation that reaches main late (the page's timers fire 2.5 s late, as on a loaded machine)
// is still seen: the probe waits for the stand-in's record of it instead of
// calling a page that did not move "refused", and the run relaunches before the channel groups,
// so the navigation cannot destroy a later call's page (test/runner/apps/startup, slow-navigate).
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../runner/run.ts';

describe('security probes: a late will-navigate decision', () => {
  it('is judged as not refused, and the channel calls after it run on a fresh page', { timeout: 120_000 }, async () => {
    const { report } = await runConformance({
      pack: 'test/runner/packs/startup', app: 'test/runner/apps/startup', grep: 's:ping', seed: 1,
      env: { STARTUP_FAULT: 'slow-navigate' },
    });
    const nav = report.checks.find((c) => c.id === 'security.navigation');
    expect(nav?.status, JSON.stringify(nav)).toBe('failed');
    // Not the false "refused; the page stayed" of a probe that stopped looking too soon.
    expect(nav?.message).toMatch(/was not refused/);
    const ping = report.checks.filter((c) => c.channel === 's:ping');
    expect(ping.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
  });
});
