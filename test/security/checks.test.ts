// Each security check on synthetic observations: passing and failing, with its severity, and
// secrets redacted in every report format.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../specs/loader.ts';
import type { Pack } from '../../specs/model.ts';
import { runChecks } from '../../runner/checks/catalog.ts';
import type { RunObservations } from '../../runner/checks/observations.ts';
import { encode } from '../../runner/checks/values.ts';
import { redactCheck } from '../../runner/run.ts';
import { SECURITY_CHECKS } from '../../runner/security/checks.ts';
import type { ProbeCall, ProbeGroupObservation, SecurityObservations } from '../../runner/security/observations.ts';
import { buildProbes, type Probe, type ProbeEnv } from '../../runner/security/probes.ts';
import { renderHtml } from '../../reports/run/html.ts';
import { renderJson } from '../../reports/run/json.ts';
import { renderJunit } from '../../reports/run/junit.ts';
import { renderListSummary } from '../../reports/run/list.ts';
import { renderMarkdown } from '../../reports/run/md.ts';
import { summarize, type RunReport } from '../../reports/run/model.ts';

let pack: Pack;
const env: ProbeEnv = { roots: { userData: '/tmp/conform-t/App' }, outsideDir: '/tmp/conform-t-out', linkName: 'lnk', nonce: 's1' };
beforeAll(async () => {
  pack = await loadPack(join(import.meta.dirname, 'fixtures', 'sec-mini'));
});

const REJECT = (ch: string): ProbeCall => ({ outcome: 'rejected', error: { name: 'Error', message: `Error invoking remote method '${ch}': Error: refused`, string: 'Error: refused', isError: true } });
const RESOLVE = (v: unknown): ProbeCall => ({ outcome: 'resolved', value: encode(v) });

function group(channel: string, call: (p: Probe) => ProbeCall, extra: Partial<ProbeGroupObservation> = {}, written: (p: Probe) => string[] = () => []): ProbeGroupObservation {
  const probes = buildProbes(pack, pack.byName.get(channel)!, env, 1).probes;
  return { channel, probes: probes.map((p) => ({ probe: p, call: call(p), written: written(p) })), opened: [], outsideWrites: [], events: [], logs: '', mainAlive: true, ...extra };
}

function judge(sec: Partial<SecurityObservations>, id: string) {
  const obs: RunObservations = { bridges: {}, groups: [], streams: [], main: [], windows: [], security: { groups: [], skipped: [], notes: [], ...sec } };
  return runChecks({ pack, obs }, (x) => x === id);
}

describe('security.path-guard', () => {
  it('passes when every probe is rejected and nothing is written', () => {
    const [r] = judge({ groups: [group('files:save', () => REJECT('files:save'))] }, 'security.path-guard');
    expect(r).toMatchObject({ status: 'passed', channel: 'files:save' });
  });
  it('fails critical when a probe target exists on disk', () => {
    const g = group('files:save', (p) => (p.variant === 'root-prefix-dotdot' ? RESOLVE(undefined) : REJECT('files:save')), {}, (p) => (p.variant === 'root-prefix-dotdot' ? p.targets! : []));
    const [r] = judge({ groups: [g] }, 'security.path-guard');
    expect(r).toMatchObject({ status: 'failed', risk: 'critical' });
    expect(r!.message).toContain('root-prefix-dotdot wrote /tmp/conform-t-out/root-prefix.txt');
    // With the run's folders known, reports name them instead of their temp paths.
    const [named] = judge({ groups: [g], paths: { outsideDir: env.outsideDir, roots: env.roots } }, 'security.path-guard');
    expect(named!.message).toContain('root-prefix-dotdot wrote <outside>/root-prefix.txt');
  });
  it('fails medium when a traversal resolves without an observed write; encoded variants may resolve', () => {
    const g = group('files:save', (p) => (p.variant === 'dotdot-relative' || p.variant.startsWith('encoded') ? RESOLVE(undefined) : REJECT('files:save')));
    const [r] = judge({ groups: [g] }, 'security.path-guard');
    expect(r).toMatchObject({ status: 'failed', risk: 'medium' });
    expect(r!.message).toMatch(/dotdot-relative \(filePath\) was not refused/);
    expect(r!.message).not.toMatch(/encoded/);
    const ok = group('files:save', (p) => (p.variant.startsWith('encoded') || p.variant === 'backslash-dotdot' ? RESOLVE(undefined) : REJECT('files:save')));
    expect(judge({ groups: [ok] }, 'security.path-guard')[0]!.status).toBe('passed');
  });
  it('reports skipped params as skipped, with the reason', () => {
    const [r] = judge({ skipped: [{ channel: 'files:wipe', param: 'dir', reason: 'destructive: deletes a folder', families: ['path'] }] }, 'security.path-guard');
    expect(r).toMatchObject({ status: 'skipped', channel: 'files:wipe' });
    expect(r!.message).toContain('destructive');
  });
});

describe('security.url-guard', () => {
  it('passes when refused (rejection, or false from a boolean channel) and nothing was opened', () => {
    expect(judge({ groups: [group('links:open', () => REJECT('links:open'))] }, 'security.url-guard')[0]!.status).toBe('passed');
    expect(judge({ groups: [group('links:open', () => RESOLVE(false))] }, 'security.url-guard')[0]!.status).toBe('passed');
  });
  it('fails critical when main opened a javascript: URL, high for another host', () => {
    const g = group('links:open', () => RESOLVE(false), { opened: [{ api: 'openExternal', url: 'javascript://https://x/%0aalert(1)' }] });
    const [r] = judge({ groups: [g] }, 'security.url-guard');
    expect(r).toMatchObject({ status: 'failed', risk: 'critical' });
    expect(r!.message).toContain('scheme javascript is not in [https]');
    const h = group('links:open', () => RESOLVE(false), { opened: [{ api: 'openExternal', url: 'https://docs.example.com@evil.example/' }] });
    expect(judge({ groups: [h] }, 'security.url-guard')[0]).toMatchObject({ status: 'failed', risk: 'high' });
  });
  it('a guard the pack marked x-assumed gives a warning naming the assumption (risk kept)', async () => {
    const { loadPackFromSourcesSync } = await import('../../specs/loader.ts');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(join(import.meta.dirname, 'fixtures', 'sec-mini', 'contract.yaml'), 'utf8')
      .replace('x-guard: { schemes: [https], hosts: [docs.example.com] } }', 'x-guard: { schemes: [https], hosts: [docs.example.com] }, x-assumed: "https only is the pack\'s rule" }');
    const assumed = loadPackFromSourcesSync('sec-mini', { 'contract.yaml': text });
    const g = group('links:open', () => RESOLVE(false), { opened: [{ api: 'openExternal', url: 'javascript:alert(1)' }] });
    const obs: RunObservations = { bridges: {}, groups: [], streams: [], main: [], windows: [], security: { groups: [g], skipped: [], notes: [] } };
    const [r] = runChecks({ pack: assumed, obs }, (x) => x === 'security.url-guard');
    expect(r).toMatchObject({ status: 'failed', risk: 'critical', severity: 'warning', assumption: "https only is the pack's rule" });
    expect(judge({ groups: [g] }, 'security.url-guard')[0]).toMatchObject({ severity: 'error' });
  });
  it('fails medium when a probe resolves true even if nothing was observed opened', () => {
    expect(judge({ groups: [group('links:open', () => RESOLVE(true))] }, 'security.url-guard')[0]).toMatchObject({ status: 'failed', risk: 'medium' });
  });
});

describe('security.size-guard', () => {
  it('accepts the documented failure branch, flags success and a dead main', () => {
    const fail = { ok: false, error: 'too big' };
    expect(judge({ groups: [group('notes:put', () => RESOLVE(fail))] }, 'security.size-guard')[0]!.status).toBe('passed');
    expect(judge({ groups: [group('notes:put', () => RESOLVE({ ok: true }))] }, 'security.size-guard')[0]).toMatchObject({ status: 'failed', risk: 'medium' });
    expect(judge({ groups: [group('notes:put', () => RESOLVE(fail), { mainAlive: false })] }, 'security.size-guard')[0]).toMatchObject({ status: 'failed', risk: 'high' });
  });
  it('a rejection where a result union is documented is a low finding (wrong shape)', () => {
    expect(judge({ groups: [group('notes:put', () => REJECT('notes:put'))] }, 'security.size-guard')[0]).toMatchObject({ status: 'failed', risk: 'low' });
  });
});

describe('security.secret-echo', () => {
  const canaryOf = (g: ProbeGroupObservation) => g.probes[0]!.probe.canaries![0]!;
  it('passes when the canary comes back nowhere', () => {
    const g = group('auth:login', () => RESOLVE({ user: 'ada' }));
    expect(judge({ groups: [g] }, 'security.secret-echo')[0]!.status).toBe('passed');
  });
  it('fails high when the result echoes it, medium when only the logs do; the message never holds the secret', () => {
    const base = group('auth:login', () => RESOLVE({ user: 'ada' }));
    const canary = canaryOf(base);
    const echoed = group('auth:login', (p) => RESOLVE({ user: 'ada', echo: p.canaries![0] }));
    const [r] = judge({ groups: [echoed] }, 'security.secret-echo');
    expect(r).toMatchObject({ status: 'failed', risk: 'high' });
    expect(JSON.stringify(r)).not.toContain(canary);
    const logged = { ...base, logs: `login request password: ${canary}\n` };
    const [l] = judge({ groups: [logged] }, 'security.secret-echo');
    expect(l).toMatchObject({ status: 'failed', risk: 'medium' });
    expect(l!.message).toContain("main's stdout/stderr");
    // Main's records redact credential-named keys already, so an echo under another name is what is left to find.
    const sent = { ...base, events: [{ channel: 'auth:changed', payload: encode({ note: `welcome ${canary}` }) }] };
    expect(judge({ groups: [sent] }, 'security.secret-echo')[0]!.message).toContain('sent to the renderer on auth:changed');
  });
  it('reports of every format never contain a secret that reached a check result', () => {
    // A check from elsewhere that put the secret in its message and actual value.
    const canary = 'conform-canary-s1-0-Zq9';
    const raw = { id: 'returns.schema', channel: 'auth:login', status: 'failed' as const, message: `got password=${canary}`, actual: { user: 'ada', password: canary } };
    const safe = redactCheck(pack, raw);
    const report: RunReport = {
      tool: 'conform', version: '0', pack: 'sec-mini', app: 'x', runtime: 'standin', seed: 1, durationMs: 1, summary: summarize([safe]),
      checks: [safe, { ...safe, id: 'security.secret-echo', risk: 'high' }], timelines: [], channels: pack.channels.map((c) => c.name), incidents: [],
    };
    for (const out of [renderJson(report), renderJunit(report), renderMarkdown(report), renderHtml(report), renderListSummary(report)]) {
      expect(out).not.toContain(canary);
      expect(out).toMatch(/high/);
    }
  });
});

describe('run-wide checks', () => {
  it('security.generic-bridge: fails critical when main received the out-of-pack channel or a raw ipcRenderer is exposed', () => {
    const base = { candidates: [{ path: 'window.sec.invoke' }], rawIpc: [], received: [], probeChannel: 'conform-probe:x' };
    expect(judge({ bridge: base }, 'security.generic-bridge')[0]!.status).toBe('passed');
    const [r] = judge({ bridge: { ...base, received: [{ path: 'window.sec.invoke', kind: 'invoke' }] } }, 'security.generic-bridge');
    expect(r).toMatchObject({ status: 'failed', risk: 'critical', channel: null });
    expect(r!.message).toContain("window.sec.invoke('conform-probe:x', ...) reached main");
    expect(judge({ bridge: { ...base, rawIpc: ['window.sec.ipcRenderer'] } }, 'security.generic-bridge')[0]).toMatchObject({ status: 'failed', risk: 'critical' });
    expect(judge({ notes: ['bridge probe did not run: x'] }, 'security.generic-bridge')[0]!.status).toBe('skipped');
  });

  it('security.navigation: the page must stay', () => {
    const stay = { attempted: 'https://e.invalid/', urlBefore: 'file:///a/index.html', urlAfter: 'file:///a/index.html#x', decision: 'deny' as const };
    expect(judge({ navigation: stay }, 'security.navigation')[0]!.status).toBe('passed');
    expect(judge({ navigation: { ...stay, urlAfter: 'chrome-error://chromewebdata/', decision: undefined } }, 'security.navigation')[0]).toMatchObject({ status: 'failed', risk: 'high' });
    expect(judge({ navigation: { ...stay, decision: 'allow' } }, 'security.navigation')[0]!.status).toBe('failed');
  });

  it('security.window-open: no new window and no allow decision', () => {
    const denied = { attempted: 'https://e.invalid/p', returned: 'null' as const, newWindows: [], decision: 'deny' as const };
    expect(judge({ windowOpen: denied }, 'security.window-open')[0]!.status).toBe('passed');
    expect(judge({ windowOpen: { ...denied, decision: 'allow' } }, 'security.window-open')[0]).toMatchObject({ status: 'failed', risk: 'high' });
    expect(judge({ windowOpen: { ...denied, decision: undefined, newWindows: ['chrome-error://chromewebdata/'] } }, 'security.window-open')[0]!.status).toBe('failed');
  });

  it('security.csp: only when the pack asks for one; a meta tag or blocked eval counts', () => {
    expect(judge({ csp: { meta: ["default-src 'none'"], evalBlocked: true, url: 'file:///a' } }, 'security.csp')[0]!.status).toBe('passed');
    expect(judge({ csp: { meta: [], evalBlocked: true, url: 'file:///a' } }, 'security.csp')[0]!.status).toBe('passed');
    expect(judge({ csp: { meta: [], evalBlocked: false, url: 'file:///a' } }, 'security.csp')[0]).toMatchObject({ status: 'failed', risk: 'medium' });
    const noCsp = { ...pack, window: { ...pack.window, csp: undefined } };
    const obs: RunObservations = { bridges: {}, groups: [], streams: [], main: [], windows: [], security: { groups: [], skipped: [], notes: [], csp: { meta: [], evalBlocked: false, url: 'x' } } };
    expect(runChecks({ pack: noCsp, obs }, (x) => x === 'security.csp')).toEqual([]);
  });

  it('window.posture failures get a risk; every security check is in the one catalog; no observations, no results', () => {
    const obs: RunObservations = { bridges: {}, groups: [], streams: [], main: [], windows: [{ webContentsId: 1, declared: {}, effective: { contextIsolation: true, sandbox: false }, prefsKnown: true }] };
    expect(runChecks({ pack, obs }, (x) => x === 'window.posture')[0]).toMatchObject({ status: 'failed', risk: 'high' });
    expect(runChecks({ pack, obs }, (x) => x.startsWith('security.'))).toEqual([]);
    expect(SECURITY_CHECKS.map((c) => c.id)).toEqual([
      'security.path-guard', 'security.url-guard', 'security.size-guard', 'security.secret-echo',
      'security.generic-bridge', 'security.navigation', 'security.window-open', 'security.csp',
    ]);
  });
});

describe('scrubCanaries', () => {
  it('replaces every probe canary anywhere in a report, leaves other text alone', async () => {
    const { scrubCanaries } = await import('../../runner/security/checks.ts');
    const g = group('auth:login', () => RESOLVE({ user: 'ada' }));
    const canary = g.probes[0]!.probe.canaries![0]!;
    const report = { incidents: [{ stderrTail: [`login ${canary} failed`] }], checks: [{ message: 'ok', actual: { x: canary } }] };
    const out = scrubCanaries(report, { groups: [g], skipped: [], notes: [] });
    expect(JSON.stringify(out)).not.toContain(canary);
    expect(out.incidents[0]!.stderrTail[0]).toBe('login [REDACTED] failed');
    expect(out.checks[0]!.message).toBe('ok');
    expect(scrubCanaries(report, undefined)).toBe(report);
  });
});
