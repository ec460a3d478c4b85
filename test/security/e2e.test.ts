// End to end: `conform run` (runConformance) with the security probes against the reference apps.
// The clean apps have no security finding; every security fault of examples/faults.json is
// detected by the check of its kind on its channel (through runner/faults.ts, as `npm run faults`).
// runConformance launches and closes the app itself (also when a run fails).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPack } from '../../specs/loader.ts';
import { runConformance } from '../../runner/run.ts';
import { CATEGORY_CHECKS, runFault, type Fault } from '../../runner/faults.ts';
import { annotatedParams } from '../../runner/security/probes.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SECURITY_CATEGORIES = ['window-posture', 'path-guard', 'url-guard', 'size-guard', 'secret-echo', 'generic-bridge'];
const faults = (JSON.parse(readFileSync(`${ROOT}examples/faults.json`, 'utf8')) as Fault[]).filter((f) => SECURITY_CATEGORIES.includes(f.category));

describe('clean reference apps: no security finding', () => {
  it('same seed, same security results (ollama-chat saveFile + web_open)', async () => {
    const run = async () => (await runConformance({ pack: 'ollama-chat', app: `${ROOT}examples/ollama-chat`, seed: 4, only: ['utils:saveFile', 'utils:web_open'], env: { CONFORM_FAULTS: 'oc-savefile-startswith' } }))
      .report.checks.filter((c) => c.id.startsWith('security.')).map((c) => [c.id, c.channel, c.status, c.risk, c.message]);
    const a = await run();
    expect(a.some((c) => c[2] === 'failed')).toBe(true);
    expect(await run()).toEqual(a);
  }, 60_000);

  it('guarded channels probed in one batch give the same results as one by one; a side effect in the batch is attributed to its channel', async () => {
    const run = async (faults: string, batchGroups: boolean) => {
      const { report, observations } = await runConformance({ pack: 'ollama-chat', app: `${ROOT}examples/ollama-chat`, seed: 2, only: ['utils:saveFile', 'utils:web_open'], env: { CONFORM_FAULTS: faults }, batchGroups });
      return { batches: observations.security?.probeBatches, checks: report.checks.filter((c) => c.id.startsWith('security.')).map((c) => [c.id, c.channel, c.status, c.risk, c.message]) };
    };
    const status = (checks: unknown[][], id: string, channel: string) => checks.find((c) => c[0] === id && c[1] === channel)?.[2];
    // Clean: nothing to attribute, the batch stands (one round trip instead of two).
    const clean = await run('', true);
    expect(clean.batches).toBe(1);
    expect(status(clean.checks, 'security.path-guard', 'utils:saveFile')).toBe('passed');
    expect(status(clean.checks, 'security.url-guard', 'utils:web_open')).toBe('passed');
    const cleanOneByOne = await run('', false);
    expect(cleanOneByOne.batches).toBe(2);
    expect(cleanOneByOne.checks).toEqual(clean.checks);
    // saveFile writes outside its root: the batch cannot say whose write it was, so the channels
    // run again one by one and the write is pinned on saveFile only.
    const faulty = await run('oc-savefile-startswith', true);
    expect(faulty.batches).toBe(3);
    expect(status(faulty.checks, 'security.path-guard', 'utils:saveFile')).toBe('failed');
    expect(status(faulty.checks, 'security.url-guard', 'utils:web_open')).toBe('passed');
    expect((await run('oc-savefile-startswith', false)).checks).toEqual(faulty.checks);
  }, 120_000);

  for (const app of ['ollama-chat', 'cosmosh-lite', 'script-manager']) {
    it(`${app}`, async () => {
      const pack = await loadPack(app);
      // The guarded channels plus the first callable one (run-wide probes need a launched app).
      const guarded = pack.channels.filter((c) => annotatedParams(c, pack.schemas).length > 0).map((c) => c.name);
      const first = pack.channels.find((c) => c.kind === 'invoke' && c.bridge)!.name;
      const { report } = await runConformance({ pack: app, app: `${ROOT}examples/${app}`, seed: 1, only: [...new Set([first, ...guarded])] });
      const security = report.checks.filter((c) => c.id.startsWith('security.') || c.id === 'window.posture');
      const failed = security.filter((c) => c.status === 'failed');
      expect(failed.map((c) => `${c.id} ${c.channel}: ${c.message}`)).toEqual([]);
      const passed = new Set(security.filter((c) => c.status === 'passed').map((c) => c.id));
      for (const id of ['security.generic-bridge', 'security.navigation', 'security.window-open', 'window.posture']) expect(passed, id).toContain(id);
      if (pack.window?.csp) expect(passed).toContain('security.csp');
      if (app === 'ollama-chat') {
        expect(security.find((c) => c.id === 'security.path-guard' && c.channel === 'utils:saveFile')?.status).toBe('passed');
        expect(security.find((c) => c.id === 'security.url-guard' && c.channel === 'utils:web_open')?.status).toBe('passed');
      }
      if (app === 'cosmosh-lite') expect(security.find((c) => c.id === 'security.url-guard' && c.channel === 'app:open-external-url')?.status).toBe('passed');
    }, 60_000);
  }
});

// The check that must catch each fault (the category alone allows several for window faults).
const CATCHES: Record<string, string> = {
  'oc-savefile-startswith': 'security.path-guard',
  'cl-open-url-includes-http': 'security.url-guard',
  'sm-generic-invoke': 'security.generic-bridge',
  'cl-window-open-allowed': 'security.window-open',
  'oc-navigation-unguarded': 'security.navigation',
  'sm-window-sandbox-off': 'window.posture',
  'oc-context-isolation-off': 'window.posture',
  'cl-sandbox-off': 'window.posture',
};

describe('security faults of the catalog are detected', () => {
  it('the catalog has window-posture faults and guard faults', () => {
    const cats = new Set(faults.map((f) => f.category));
    for (const c of ['window-posture', 'path-guard', 'url-guard', 'generic-bridge']) expect(cats, c).toContain(c);
    for (const f of faults) expect(CATEGORY_CHECKS[f.category], f.id).toBeDefined();
  });
  for (const fault of faults) {
    it(`${fault.id} (${fault.category} on ${fault.channel})`, async () => {
      const v = await runFault(fault, { seed: 1 });
      expect(v.error).toBeUndefined();
      expect(v.detected, `${fault.id}: no failing ${CATEGORY_CHECKS[fault.category]!.join('/')} on ${fault.channel}; other failures: ${v.otherFailures.map((c) => c.id).join(', ')}`).toBe(true);
      // Every security finding carries a severity.
      for (const c of v.matching) expect(['critical', 'high', 'medium', 'low'], c.id).toContain(c.risk);
      if (CATCHES[fault.id]) expect(v.matching.map((c) => c.id)).toContain(CATCHES[fault.id]);
    }, 90_000);
  }
});
