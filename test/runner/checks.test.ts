// Every check of the catalog, fed synthetic observations: one case that passes, one that fails.
import { describe, expect, it } from 'vitest';
import { CHECKS, runChecks } from '../../runner/checks/catalog.ts';
import type {
  CallObservation,
  GroupObservation,
  MainObservation,
  RunObservations,
  StreamEvent,
  StreamRun,
} from '../../runner/checks/observations.ts';
import type { CheckResult } from '../../runner/checks/types.ts';
import { loadPackFromSourcesSync } from '../../specs/loader.ts';
import { DEMO_CONTRACT, demoPack } from './fixture-pack.ts';

const pack = demoPack();
let seq = 0;

function call(channel: string, over: Partial<CallObservation> = {}): CallObservation {
  const args = over.args ?? ['a'];
  return {
    channel,
    role: 'valid',
    index: 0,
    args,
    outcome: 'resolved',
    value: { id: 'a', n: 1 },
    durationMs: 5,
    handler: { args, settled: true, ok: true },
    ...over,
  };
}

function group(channel: string, calls: CallObservation[], over: Partial<GroupObservation> = {}): GroupObservation {
  return { channel, calls, mainAlive: true, rendererAlive: true, mainErrors: [], ...over };
}

function main(kind: MainObservation['kind'], over: Partial<MainObservation> = {}): MainObservation {
  return { seq: ++seq, t: seq, kind, ...over };
}

const register = (channel: string, api = 'handle') => main('register', { channel, api });

function obs(over: Partial<RunObservations> = {}): RunObservations {
  return { bridges: {}, groups: [], streams: [], main: [], windows: [], ...over };
}

function run(id: string, o: RunObservations): CheckResult[] {
  return runChecks({ pack, obs: o }, (x) => x === id);
}
function only(id: string, o: RunObservations, channel?: string | null): CheckResult {
  const rs = run(id, o).filter((r) => channel === undefined || r.channel === channel);
  expect(rs, `results of ${id}`).toHaveLength(1);
  return rs[0]!;
}

const ev = (channel: string, atMs: number, payload: unknown): StreamEvent => ({ channel, payload, atMs, seq: ++seq });

function streamRun(over: Partial<StreamRun> = {}): StreamRun {
  return {
    stream: 'chat',
    mode: 'run',
    start: call('chat:start', { role: 'stream-start', args: ['r1'], value: { $conform: 'undefined' } }),
    events: [ev('chat:token', 10, { requestId: 'r1', text: 'a' }), ev('chat:token', 20, { requestId: 'r1', text: 'b' }), ev('chat:done', 30, { requestId: 'r1' })],
    end: 'terminal',
    durationMs: 30,
    afterEnd: [],
    timeoutMs: 2000,
    ...over,
  };
}

describe('check catalog', () => {
  it('has unique ids and a title for each check', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CHECKS) expect(c.title.length).toBeGreaterThan(10);
  });

  it('bridge.exists: function passes, missing fails', () => {
    const o = obs({ bridges: { 'window.api.items.get': 'function', 'window.api.items.save': 'undefined' } });
    expect(only('bridge.exists', o, 'items:get').status).toBe('passed');
    const bad = only('bridge.exists', o, 'items:save');
    expect(bad.status).toBe('failed');
    expect(bad.message).toContain('missing');
  });

  it('handler.registered: handle for invoke and on for send pass; missing or wrong api fails', () => {
    const o = obs({ main: [register('items:get'), register('log:write', 'on'), register('items:save', 'on')] });
    expect(only('handler.registered', o, 'items:get').status).toBe('passed');
    expect(only('handler.registered', o, 'log:write').status).toBe('passed');
    const wrongApi = only('handler.registered', o, 'items:save');
    expect(wrongApi.status).toBe('failed');
    expect(wrongApi.message).toContain('ipcMain.on');
    expect(only('handler.registered', o, 'chat:start').status).toBe('failed');
  });

  it('drift.undocumented-channel: documented channels pass; an extra registration or send fails', () => {
    const clean = obs({ main: [register('items:get'), main('send', { channel: 'chat:token', args: [{}] })] });
    expect(only('drift.undocumented-channel', clean).status).toBe('passed');
    const drift = obs({ main: [register('items:get'), register('debug:dump'), main('send', { channel: 'secret:leak', args: [] })] });
    const rs = run('drift.undocumented-channel', drift);
    expect(rs.map((r) => [r.channel, r.status])).toEqual([['debug:dump', 'failed'], ['secret:leak', 'failed']]);
    // Conform's own plumbing (the mock main process) is not the app's drift.
    expect(only('drift.undocumented-channel', obs({ main: [register('items:get'), register('conform:unknown'), register('conform:listen', 'on')] })).status).toBe('passed');
  });

  it('params.reach-handler: equal args pass (trailing undefined ignored); reshaped or unreached args fail', () => {
    const okCall = call('items:get', { args: ['a'], handler: { args: ['a', { $conform: 'undefined' }], settled: true } });
    expect(only('params.reach-handler', obs({ groups: [group('items:get', [okCall])] }), 'items:get').status).toBe('passed');
    const reshaped = call('items:save', { args: [{ id: 'x', n: 1 }], handler: { args: [{ item: { id: 'x', n: 1 } }], settled: true } });
    const r = only('params.reach-handler', obs({ groups: [group('items:save', [reshaped])] }), 'items:save');
    expect(r.status).toBe('failed');
    expect(r.expected).toEqual([{ id: 'x', n: 1 }]);
    expect(r.actual).toEqual([{ item: { id: 'x', n: 1 } }]);
    const unreached = call('items:get', { handler: null });
    expect(only('params.reach-handler', obs({ groups: [group('items:get', [unreached])] }), 'items:get').message).toContain('never called');
  });

  it('returns.schema: matching value passes; a wrong type fails; void must resolve to undefined', () => {
    const good = obs({ groups: [group('items:get', [call('items:get')])] });
    expect(only('returns.schema', good, 'items:get').status).toBe('passed');
    const wrong = obs({ groups: [group('items:get', [call('items:get', { value: { id: 'a', n: '1' } })])] });
    const r = only('returns.schema', wrong, 'items:get');
    expect(r.status).toBe('failed');
    expect(r.message).toContain('/n');
    const voidOk = obs({ groups: [group('chat:stop', [call('chat:stop', { args: [], value: { $conform: 'undefined' } })])] });
    expect(only('returns.schema', voidOk, 'chat:stop').status).toBe('passed');
    const voidBad = obs({ groups: [group('chat:stop', [call('chat:stop', { args: [], value: 'stopped' })])] });
    expect(only('returns.schema', voidBad, 'chat:stop').status).toBe('failed');
  });

  it('call.valid-resolves: valid calls succeed; a rejection is an error unless the contract documents when a valid input fails (then info)', () => {
    const ok = call('items:delete', { args: ['fixture'], value: { $conform: 'undefined' } });
    expect(only('call.valid-resolves', obs({ groups: [group('items:delete', [ok])] }), 'items:delete').status).toBe('passed');
    const rejected = call('items:delete', { args: ['fixture'], outcome: 'rejected', value: undefined,
      error: { name: 'Error', message: "Error invoking remote method 'items:delete': Error: ENOENT", string: '', isError: true } });
    const r = only('call.valid-resolves', obs({ groups: [group('items:delete', [rejected])] }), 'items:delete');
    expect(r.status).toBe('failed');
    expect(r.message).toContain('ENOENT');
    expect(r.severity).toBe('error');
    // items:get documents `errors.when: no item has that id`: what the app did, not a violation
    const documented = call('items:get', { outcome: 'rejected', error: { name: 'Error', message: "Error invoking remote method 'items:get': Error: not found", string: '' } });
    const d = only('call.valid-resolves', obs({ groups: [group('items:get', [documented])] }), 'items:get');
    expect([d.status, d.severity]).toEqual(['failed', 'info']);
    expect(d.message).toContain('the contract allows it: no item has that id');
    // the error branch of a union answering a valid call is a failure too
    const branch = call('items:save', { value: { ok: false, error: 'disk full' } });
    expect(only('call.valid-resolves', obs({ groups: [group('items:save', [branch])] }), 'items:save')).toMatchObject({ status: 'failed', severity: 'error' });
    // a result union resolves its failures, so a rejected valid call is a crashed handler
    const unionCrash = call('items:save', { outcome: 'rejected', error: { name: 'Error', message: "Error invoking remote method 'items:save': TypeError: x is undefined", string: '' } });
    expect(only('call.valid-resolves', obs({ groups: [group('items:save', [unionCrash])] }), 'items:save').status).toBe('failed');
    const noArgs = call('chat:stop', { args: [], outcome: 'rejected', error: { name: 'Error', message: "Error invoking remote method 'chat:stop': Error: ENOENT", string: '' } });
    expect(only('call.valid-resolves', obs({ groups: [group('chat:stop', [noArgs])] }), 'chat:stop').status).toBe('failed');
  });

  it('stream.quiet-after-cleanup: silence after cleanup passes; events about the fixture fail; a cut-short window is skipped', () => {
    const quiet = group('items:delete', [], { lingering: { windowMs: 600, wantedMs: 600, fixtureValues: ['fixture'], events: [] } });
    expect(only('stream.quiet-after-cleanup', obs({ groups: [quiet] }), 'items:delete').status).toBe('passed');
    const cut = group('items:delete', [], { lingering: { windowMs: 120, wantedMs: 600, fixtureValues: ['fixture'], events: [] } });
    expect(only('stream.quiet-after-cleanup', obs({ groups: [cut] }), 'items:delete').status).toBe('skipped');
    const noisy = group('items:delete', [], { lingering: { windowMs: 120, wantedMs: 600, fixtureValues: ['fixture'], events: [{ channel: 'chat:token', payload: { requestId: 'fixture', text: 'tick' } }] } });
    const r = only('stream.quiet-after-cleanup', obs({ groups: [noisy] }), 'items:delete');
    expect(r.status).toBe('failed');
    expect(r.message).toContain('still running');
  });

  it('returns.union-branch: a well-formed error branch passes; ok:false without error fails', () => {
    const good = obs({ groups: [group('items:save', [call('items:save', { value: { ok: true } }), call('items:save', { role: 'invalid', value: { ok: false, error: 'bad' } })])] });
    expect(only('returns.union-branch', good, 'items:save').status).toBe('passed');
    const bad = obs({ groups: [group('items:save', [call('items:save', { value: { ok: false } })])] });
    const r = only('returns.union-branch', bad, 'items:save');
    expect(r.status).toBe('failed');
    expect(r.message).toContain('error branch');
  });

  it('errors.invalid-params-shape: rejection for rejection style, error branch for unions; the opposite fails', () => {
    const rejects = call('items:get', { role: 'invalid', rule: 'wrong type', args: [42], outcome: 'rejected', value: undefined,
      error: { name: 'Error', message: "Error invoking remote method 'items:get': Error: bad id", string: '', isError: true } });
    expect(only('errors.invalid-params-shape', obs({ groups: [group('items:get', [rejects])] }), 'items:get').status).toBe('passed');
    const unionInstead = call('items:get', { role: 'invalid', rule: 'wrong type', args: [42], value: { ok: false, error: 'bad id' } });
    const r = only('errors.invalid-params-shape', obs({ groups: [group('items:get', [unionInstead])] }), 'items:get');
    expect(r.status).toBe('failed');
    expect(r.message).toContain('(wrong type)');
    const unionOk = call('items:save', { role: 'invalid', value: { ok: false, error: 'bad' } });
    expect(only('errors.invalid-params-shape', obs({ groups: [group('items:save', [unionOk])] }), 'items:save').status).toBe('passed');
    const rejectInstead = call('items:save', { role: 'invalid', outcome: 'rejected', error: { name: 'Error', message: "Error invoking remote method 'items:save': Error: bad", string: '' } });
    expect(only('errors.invalid-params-shape', obs({ groups: [group('items:save', [rejectInstead])] }), 'items:save').status).toBe('failed');
    // Skips say why: nothing invalid to send, or every invalid call timed out.
    const none = only('errors.invalid-params-shape', obs({ groups: [group('items:get', [call('items:get')])] }), 'items:get');
    expect([none.status, none.message]).toEqual(['skipped', expect.stringContaining('no invalid input could be generated')]);
    const hung = only('errors.invalid-params-shape', obs({ groups: [group('items:get', [call('items:get', { role: 'invalid', outcome: 'timeout' })])] }), 'items:get');
    expect([hung.status, hung.message]).toEqual(['skipped', 'no invalid input settled (timeout)']);
  });

  it('errors.invalid-params-shape where the contract states no validation: what the app did is info; a wrongly shaped answer is still an error', () => {
    // chat:start states nothing (invalidParams defaults to unspecified)
    const accepted = call('chat:start', { role: 'invalid', rule: 'wrong-type at /0', args: [42], value: { $conform: 'undefined' } });
    const r = only('errors.invalid-params-shape', obs({ groups: [group('chat:start', [accepted])] }), 'chat:start');
    expect([r.status, r.severity]).toEqual(['failed', 'info']);
    expect(r.message).toContain('0 of 1 invalid input(s) refused, 1 accepted');
    const refused = call('chat:start', { role: 'invalid', args: [42], outcome: 'rejected', error: { name: 'Error', message: "Error invoking remote method 'chat:start': Error: bad", string: '' } });
    expect(only('errors.invalid-params-shape', obs({ groups: [group('chat:start', [refused])] }), 'chat:start').status).toBe('passed');
    // void channel answering an envelope: the shape the contract states is broken whatever the input
    const envelope = call('chat:start', { role: 'invalid', args: [42], value: { success: false, code: 'INVALID' } });
    expect(only('errors.invalid-params-shape', obs({ groups: [group('chat:start', [envelope])] }), 'chat:start')).toMatchObject({ status: 'failed', severity: 'error' });
  });

  it('fixture.prerequisite: a failed prerequisite is an error naming the call, args and answer; the checks that needed it are blocked', () => {
    const pre = call('items:save', { role: 'prerequisite', args: [{ id: 'fixture', n: 1 }], value: { ok: false, error: 'read-only' } });
    const skipped = call('items:delete', { args: [{ $conform: 'ref', path: 'item.id' }], outcome: 'skipped', note: 'a prerequisite failed', value: undefined });
    const rs = runChecks({ pack, obs: obs({ groups: [group('items:delete', [pre, skipped])] }) }).filter((r) => r.channel === 'items:delete');
    const f = rs.find((r) => r.id === 'fixture.prerequisite')!;
    expect([f.status, f.severity]).toEqual(['failed', 'error']);
    expect(f.message).toContain('items:save({"id":"fixture","n":1}) answered with the error branch');
    for (const id of ['returns.schema', 'call.valid-resolves', 'params.reach-handler']) {
      expect(rs.find((r) => r.id === id), id).toMatchObject({ status: 'blocked', severity: 'error', blockedBy: { id: 'fixture.prerequisite', channel: 'items:delete' } });
    }
    expect(rs.filter((r) => r.status === 'passed').map((r) => r.id)).not.toContain('returns.schema');
    const ok = call('items:save', { role: 'prerequisite', args: [{ id: 'fixture', n: 1 }], value: { ok: true } });
    expect(only('fixture.prerequisite', obs({ groups: [group('items:delete', [ok, call('items:delete', { args: ['fixture'], value: { $conform: 'undefined' } })])] }), 'items:delete').status).toBe('passed');
  });

  it('returns.schema: a union channel that only ever answered its error branch is unverified, not passed', () => {
    const r = only('returns.schema', obs({ groups: [group('items:save', [call('items:save', { value: { ok: false, error: 'x' } })])] }), 'items:save');
    expect([r.status, r.severity]).toEqual(['skipped', 'info']);
    expect(r.message).toMatch(/^unverified: only error-branch answers/);
  });

  it('drift.undocumented-field: extra fields are a warning naming them; under x-exact an error (returns.schema too)', () => {
    const extra = call('items:save', { value: { ok: true, debug: 1 } });
    const w = only('drift.undocumented-field', obs({ groups: [group('items:save', [extra])] }), 'items:save');
    expect([w.status, w.severity]).toEqual(['failed', 'warning']);
    expect(w.message).toContain('/debug');
    // Item has additionalProperties: false but no x-exact: drift, and returns.schema passes
    const item = call('items:get', { value: { id: 'a', n: 1, secretPath: '/x' } });
    expect(only('drift.undocumented-field', obs({ groups: [group('items:get', [item])] }), 'items:get').severity).toBe('warning');
    expect(only('returns.schema', obs({ groups: [group('items:get', [item])] }), 'items:get').status).toBe('passed');
    const exactPack = loadPackFromSourcesSync('exact', { 'contract.yaml': DEMO_CONTRACT.replace(/additionalProperties: false\n$/, 'additionalProperties: false\n    x-exact: true\n') });
    const e = runChecks({ pack: exactPack, obs: obs({ groups: [group('items:get', [item])] }) }).filter((r) => r.channel === 'items:get');
    expect(e.find((r) => r.id === 'drift.undocumented-field')!.severity).toBe('error');
    expect(e.find((r) => r.id === 'returns.schema')).toMatchObject({ status: 'failed', severity: 'error' });
  });

  it('assumed constraints: a broken x-assumed schema or an assumed bridge/grammar is a warning naming the assumption', () => {
    const assumed = loadPackFromSourcesSync('assumed', { 'contract.yaml': DEMO_CONTRACT
      .replace('n: { type: integer } }', 'n: { type: integer, minimum: 0, x-assumed: "n >= 0" } }')
      .replace('    bridge: window.api.items.save\n', '    bridge: window.api.items.save\n    assumed: { bridge: "a guessed path" }\n')
      .replace('    end: grammar\n', '    end: grammar\n    assumed: { grammar: "the pack\'s reading" }\n') });
    const rs = runChecks({ pack: assumed, obs: obs({
      bridges: { 'window.api.items.save': 'undefined' },
      groups: [group('items:get', [call('items:get', { value: { id: 'a', n: -1 } })])],
      streams: [streamRun({ events: [ev('chat:done', 5, { requestId: 'r1' }), ev('chat:token', 9, { requestId: 'r1', text: 'late' })] })],
    }) });
    const ret = rs.find((r) => r.id === 'returns.schema' && r.channel === 'items:get')!;
    expect(ret).toMatchObject({ status: 'failed', severity: 'warning', assumption: 'n >= 0' });
    expect(ret.message).toContain('/n = -1');
    expect(rs.find((r) => r.id === 'bridge.exists' && r.channel === 'items:save')).toMatchObject({ status: 'failed', severity: 'warning', assumption: 'a guessed path' });
    expect(rs.find((r) => r.id === 'stream.ordering')).toMatchObject({ status: 'failed', severity: 'warning', assumption: "the pack's reading" });
    // the same failures without the marks are errors
    const plain = runChecks({ pack, obs: obs({ groups: [group('items:get', [call('items:get', { value: { id: 'a', n: 'x' } })])] }) });
    expect(plain.find((r) => r.id === 'returns.schema' && r.channel === 'items:get')!.severity).toBe('error');
  });

  it('stream.first-event says how long Conform waited, not the 0 ms of an empty run', () => {
    const r = only('stream.first-event', obs({ streams: [streamRun({ events: [], end: 'timeout', durationMs: 0, waitedMs: 15_012 })] }));
    expect(r.message).toBe('no event in the 15012 ms Conform followed the stream (budget 500 ms)');
  });

  it('errors.documented-shape: Electron prefix + message regex pass; another format or a union rejection fails', () => {
    const good = call('items:get', { role: 'invalid', outcome: 'rejected', error: { name: 'Error', message: "Error invoking remote method 'items:get': Error: nope", string: '', isError: true } });
    expect(only('errors.documented-shape', obs({ groups: [group('items:get', [good])] }), 'items:get').status).toBe('passed');
    // a handler that throws a string: String(err) has no "Error: " so the contract's regex fails
    const stringThrow = call('items:get', { role: 'invalid', outcome: 'rejected', error: { name: 'Error', message: "Error invoking remote method 'items:get': nope", string: '', isError: true } });
    const r = only('errors.documented-shape', obs({ groups: [group('items:get', [stringThrow])] }), 'items:get');
    expect(r.status).toBe('failed');
    expect(r.message).toContain('does not match');
    const objectThrown = call('items:get', { role: 'invalid', outcome: 'rejected',
      error: { name: 'Error', message: "Error invoking remote method 'items:get': Error: [object Object]", string: '', isError: true },
      handler: { args: ['a'], settled: true, ok: false, error: { name: 'object', message: '[object Object]', string: '[object Object]', isError: false } } });
    const o2 = only('errors.documented-shape', obs({ groups: [group('items:get', [objectThrown])] }), 'items:get');
    expect(o2.status).toBe('failed');
    expect(o2.message).toContain('non-Error object');
    const unionRejects = call('items:save', { outcome: 'rejected', error: { name: 'Error', message: "Error invoking remote method 'items:save': Error: x", string: '' } });
    expect(only('errors.documented-shape', obs({ groups: [group('items:save', [unionRejects])] }), 'items:save').status).toBe('failed');
  });

  it('call.settles: settled calls pass; a timeout fails', () => {
    expect(only('call.settles', obs({ groups: [group('items:get', [call('items:get')])] }), 'items:get').status).toBe('passed');
    const hung = call('items:get', { outcome: 'timeout', durationMs: 5000, value: undefined });
    const r = only('call.settles', obs({ groups: [group('items:get', [hung])] }), 'items:get');
    expect(r.status).toBe('failed');
    expect(r.message).toContain('did not settle');
  });

  it('app.survives: alive passes; an unhandled rejection or a crash fails; a clean quit is skipped', () => {
    expect(only('app.survives', obs({ groups: [group('items:get', [call('items:get')])] }), 'items:get').status).toBe('passed');
    const rejection = main('unhandled-rejection', { error: { name: 'TypeError', message: 'x is undefined', string: 'TypeError: x is undefined' } });
    const r = only('app.survives', obs({ groups: [group('items:get', [], { mainErrors: [rejection] })] }), 'items:get');
    expect(r.status).toBe('failed');
    expect(r.message).toContain('TypeError: x is undefined');
    const crashed = group('items:get', [], { mainAlive: false, crash: { reason: 'main process exited', exitCode: 1, stderrTail: ['boom'] } });
    expect(only('app.survives', obs({ groups: [crashed] }), 'items:get').status).toBe('failed');
    const quit = group('chat:stop', [], { mainAlive: false, crash: { reason: 'main process exited', exitCode: 0, stderrTail: [], cleanExit: true } });
    expect(only('app.survives', obs({ groups: [quit] }), 'chat:stop').status).toBe('skipped');
  });

  it('latency.budget: within budget passes; slower fails', () => {
    expect(only('latency.budget', obs({ groups: [group('items:get', [call('items:get', { durationMs: 40 })])] }), 'items:get').status).toBe('passed');
    const r = only('latency.budget', obs({ groups: [group('items:get', [call('items:get', { durationMs: 40 }), call('items:get', { index: 1, durationMs: 250 })])] }), 'items:get');
    expect(r.status).toBe('failed');
    expect(r.message).toContain('#1 took 250 ms');
  });

  it('event.payload-schema: valid payloads pass; a missing field fails; no event is skipped', () => {
    const good = obs({ main: [main('send', { channel: 'chat:done', args: [{ requestId: 'r' }] })] });
    expect(only('event.payload-schema', good, 'chat:done').status).toBe('passed');
    expect(only('event.payload-schema', good, 'chat:token').status).toBe('skipped');
    const bad = obs({ main: [main('send', { channel: 'chat:done', args: [{ id: 'r' }] })] });
    const r = only('event.payload-schema', bad, 'chat:done');
    expect(r.status).toBe('failed');
    expect(r.message).toContain("requestId");
  });

  it('window.posture: declared posture passes; sandbox off fails', () => {
    const w = (effective: Record<string, boolean>) => ({ webContentsId: 1, declared: {}, effective, prefsKnown: true });
    const secure = { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, allowRunningInsecureContent: false };
    expect(only('window.posture', obs({ windows: [w(secure)] })).status).toBe('passed');
    const r = only('window.posture', obs({ windows: [w({ ...secure, sandbox: false })] }));
    expect(r.status).toBe('failed');
    expect(r.message).toContain('sandbox is false');
  });

  it('stream.payload-schema: valid events pass; an invalid token fails', () => {
    expect(only('stream.payload-schema', obs({ streams: [streamRun()] })).status).toBe('passed');
    const bad = streamRun({ events: [ev('chat:token', 5, { requestId: 'r1', text: 7 }), ev('chat:done', 9, { requestId: 'r1' })] });
    expect(only('stream.payload-schema', obs({ streams: [bad] })).status).toBe('failed');
  });

  it('stream.ordering: tokens then done passes; token after done is rejected; a missing terminal after settle fails', () => {
    expect(only('stream.ordering', obs({ streams: [streamRun()] })).status).toBe('passed');
    const swapped = streamRun({ events: [ev('chat:token', 1, { requestId: 'r1', text: 'a' }), ev('chat:done', 2, { requestId: 'r1' }), ev('chat:token', 3, { requestId: 'r1', text: 'b' })] });
    const r = only('stream.ordering', obs({ streams: [swapped] }));
    expect(r.status).toBe('failed');
    expect(r.message).toContain("event #2 'chat:token'");
    // the runner stops a stream at its terminal event; a token that arrives after `done` is out of order too
    const overtaken = streamRun({ events: [ev('chat:token', 1, { requestId: 'r1', text: 'a' }), ev('chat:done', 2, { requestId: 'r1' })],
      afterEnd: [ev('chat:token', 3, { requestId: 'r1', text: 'b' })] });
    expect(only('stream.ordering', obs({ streams: [overtaken] })).status).toBe('failed');
    const incomplete = streamRun({ end: 'quiet', events: [ev('chat:token', 1, { requestId: 'r1', text: 'a' })] });
    expect(only('stream.ordering', obs({ streams: [incomplete] })).status).toBe('failed');
  });

  it('stream.first-event: early event passes; late or none fails', () => {
    expect(only('stream.first-event', obs({ streams: [streamRun()] })).status).toBe('passed');
    const late = streamRun({ events: [ev('chat:token', 900, { requestId: 'r1', text: 'a' }), ev('chat:done', 950, { requestId: 'r1' })] });
    expect(only('stream.first-event', obs({ streams: [late] })).status).toBe('failed');
    expect(only('stream.first-event', obs({ streams: [streamRun({ events: [], end: 'timeout', durationMs: 2000 })] })).status).toBe('failed');
  });

  it('stream.terminates: a terminal event in time passes; a timeout or an over-budget stream fails', () => {
    expect(only('stream.terminates', obs({ streams: [streamRun()] })).status).toBe('passed');
    const hung = streamRun({ end: 'timeout', durationMs: 3000, events: [ev('chat:token', 5, { requestId: 'r1', text: 'a' })] });
    const r = only('stream.terminates', obs({ streams: [hung] }));
    expect(r.status).toBe('failed');
    expect(r.expected).toContain('chat:done');
    expect(only('stream.terminates', obs({ streams: [streamRun({ durationMs: 2500 })] })).status).toBe('failed');
  });

  it('stream.no-event-after-terminal: quiet after done passes; a token after done fails', () => {
    expect(only('stream.no-event-after-terminal', obs({ streams: [streamRun()] })).status).toBe('passed');
    const late = streamRun({ afterEnd: [ev('chat:token', 40, { requestId: 'r1', text: 'late' })] });
    expect(only('stream.no-event-after-terminal', obs({ streams: [late] })).status).toBe('failed');
  });

  it('stream.correlation: matching requestId passes; another id fails', () => {
    expect(only('stream.correlation', obs({ streams: [streamRun()] })).status).toBe('passed');
    const wrong = streamRun({ events: [ev('chat:token', 5, { requestId: 'r2', text: 'a' }), ev('chat:done', 9, { requestId: 'r2' })] });
    const r = only('stream.correlation', obs({ streams: [wrong] }));
    expect(r.status).toBe('failed');
    expect(r.expected).toBe('r1');
    expect(r.actual).toBe('r2');
  });

  it('stream.abort: aborted terminal then quiet passes; tokens that keep coming fail', () => {
    const stop = call('chat:stop', { role: 'abort', args: [], value: { $conform: 'undefined' } });
    const aborted = streamRun({
      mode: 'abort',
      events: [ev('chat:token', 5, { requestId: 'r1', text: 'a' }), ev('chat:aborted', 25, { requestId: 'r1' })],
      abort: { call: stop, sentAtMs: 20 },
    });
    expect(only('stream.abort', obs({ streams: [aborted] })).status).toBe('passed');
    const runaway = streamRun({
      mode: 'abort',
      end: 'timeout',
      events: [ev('chat:token', 5, { requestId: 'r1', text: 'a' }), ev('chat:token', 30, { requestId: 'r1', text: 'b' }), ev('chat:token', 60, { requestId: 'r1', text: 'c' })],
      abort: { call: stop, sentAtMs: 20 },
    });
    const r = only('stream.abort', obs({ streams: [runaway] }));
    expect(r.status).toBe('failed');
    expect(r.message).toContain('no chat:aborted');
    const endedFirst = streamRun({ mode: 'abort', abort: { call: stop, sentAtMs: 40, endedBeforeAbort: true } });
    expect(only('stream.abort', obs({ streams: [endedFirst] })).status).toBe('skipped');
  });

  it('stream.abort: a stream with no terminal event (a watch) passes when it goes quiet, fails when events keep coming', () => {
    const watch = { ...pack.streams[0]!, grammar: 'chat:token*', abort: { call: 'chat:stop', args: [] } };
    const watchPack = { ...pack, streams: [watch] };
    const judge = (r: StreamRun) => runChecks({ pack: watchPack, obs: obs({ streams: [r] }) }, (x) => x === 'stream.abort');
    const stop = call('chat:stop', { role: 'abort', args: [], value: { $conform: 'undefined' } });
    const quiet = streamRun({ mode: 'abort', end: 'quiet', events: [ev('chat:token', 5, { requestId: 'r1', text: 'a' })], abort: { call: stop, sentAtMs: 20 } });
    expect(judge(quiet).map((r) => r.status)).toEqual(['passed']);
    const runaway = streamRun({
      mode: 'abort',
      end: 'timeout',
      events: [ev('chat:token', 5, { requestId: 'r1', text: 'a' }), ev('chat:token', 300, { requestId: 'r1', text: 'b' })],
      abort: { call: stop, sentAtMs: 20 },
    });
    const [r] = judge(runaway);
    expect(r!.status).toBe('failed');
    expect(r!.message).toContain('events kept coming after chat:stop');
  });
});

describe('catalog documentation and fault table', () => {
  it('every check id is in the README table and every fault category maps to existing checks', async () => {
    const { readFileSync } = await import('node:fs');
    const { CATEGORY_CHECKS } = await import('../../runner/faults.ts');
    const readme = readFileSync(new URL('../../runner/checks/README.md', import.meta.url), 'utf8');
    const ids = new Set(CHECKS.map((c) => c.id));
    for (const id of ids) expect(readme).toContain(`| \`${id}\` |`);
    const categories = ['wrong-return-type', 'missing-required-field', 'undocumented-extra-field', 'params-reshaped', 'handler-missing',
      'undocumented-channel', 'event-payload-invalid', 'events-out-of-order', 'terminal-event-missing', 'events-after-terminal',
      'rejection-instead-of-union', 'union-instead-of-rejection', 'error-message-format', 'handler-crash', 'handler-hang', 'slow-response',
      'bridge-method-missing', 'stream-not-ending-on-abort', 'window-posture', 'correlation-wrong'];
    const inCatalog = JSON.parse(readFileSync(new URL('../../examples/faults.json', import.meta.url), 'utf8')) as { category: string }[];
    for (const c of [...categories, ...inCatalog.map((f) => f.category)]) expect(CATEGORY_CHECKS[c], c).toBeDefined();
    for (const list of Object.values(CATEGORY_CHECKS)) for (const id of list) expect(ids.has(id), id).toBe(true);
  });

  it('a stream with a variantField orders events by their variant, not their channel', async () => {
    const { streamSymbol } = await import('../../runner/checks/catalog.ts');
    const stream = { ...pack.streams[0]!, variantField: 'type' };
    expect(streamSymbol(stream, { channel: 'updates:event', payload: { type: 'progress' } })).toBe('progress');
    expect(streamSymbol(pack.streams[0]!, { channel: 'updates:event', payload: { type: 'progress' } })).toBe('updates:event');
  });
});
