// The catalog's Tauri rules on synthetic observations (no app): each case can pass and fail.
// tauri-string error shapes, `()` as null, Channel message order, and the main-hook checks
// reported as not applicable.
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../runner/checks/catalog.ts';
import type { CallObservation, GroupObservation, RunObservations, StreamRun } from '../../runner/checks/observations.ts';
import { loadPack } from '../../specs/loader.ts';

const clawdesk = await loadPack('clawdesk');
const completion = await loadPack('tauri-completion');

function call(channel: string, over: Partial<CallObservation> = {}): CallObservation {
  return { channel, role: 'valid', index: 0, args: [{}], outcome: 'resolved', value: null, durationMs: 3, ...over };
}
const group = (channel: string, calls: CallObservation[]): GroupObservation => ({ channel, calls, mainAlive: true, rendererAlive: true, mainErrors: [] });
const obs = (over: Partial<RunObservations>): RunObservations => ({ bridges: {}, groups: [], streams: [], main: [], windows: [], ...over });
const stringError = (s: string) => ({ name: 'string', message: s, string: s, isError: false });

function one(pack: typeof clawdesk, id: string, o: RunObservations, channel: string) {
  const r = runChecks({ pack, obs: o }, (x) => x === id).filter((x) => x.channel === channel);
  expect(r).toHaveLength(1);
  return r[0]!;
}

describe('catalog rules for Tauri packs', () => {
  it('errors.*: a tauri-string command must reject with a bare string, not an Error object, and never resolve invalid input', () => {
    const invalid = (over: Partial<CallObservation>) => call('get_session', { role: 'invalid', rule: 'min-length at /sessionId', ...over });
    const ok = obs({ groups: [group('get_session', [invalid({ outcome: 'rejected', error: stringError('session not found: ') })])] });
    expect(one(clawdesk, 'errors.invalid-params-shape', ok, 'get_session').status).toBe('passed');
    expect(one(clawdesk, 'errors.documented-shape', ok, 'get_session').status).toBe('passed');
    const errObj = obs({ groups: [group('get_session', [invalid({ outcome: 'rejected', error: { name: 'Error', message: 'x', string: 'Error: x', isError: true } })])] });
    expect(one(clawdesk, 'errors.documented-shape', errObj, 'get_session')).toMatchObject({ status: 'failed', message: expect.stringMatching(/not a bare string/) });
    const resolved = obs({ groups: [group('get_session', [invalid({ outcome: 'resolved', value: { id: 'x' } })])] });
    expect(one(clawdesk, 'errors.invalid-params-shape', resolved, 'get_session').status).toBe('failed');
  });

  it('errors.invalid-params-shape follows the invalidParams statement; a stated rejection of a Tauri command is a bare string', async () => {
    const invalid = (over: Partial<CallObservation>) => call('get_session', { role: 'invalid', rule: 'min-length at /sessionId', ...over });
    const accepted = obs({ groups: [group('get_session', [invalid({ outcome: 'resolved', value: { id: 's1', channelId: 'desktop', createdAt: '2024-01-01T00:00:00Z', lastActive: '2024-01-01T00:00:00Z', messageCount: 0 } })])] });
    // unspecified (the pack's default): what the app did, never more than info.
    expect(one(clawdesk, 'errors.invalid-params-shape', accepted, 'get_session')).toMatchObject({ status: 'failed', severity: 'info', message: expect.stringMatching(/1 accepted.*unspecified/) });
    const strict = await loadPack('clawdesk');
    (strict.byName.get('get_session') as { invalidParams: string }).invalidParams = 'rejected';
    expect(one(strict, 'errors.invalid-params-shape', accepted, 'get_session')).toMatchObject({ status: 'failed', severity: 'error' });
    const errObj = obs({ groups: [group('get_session', [invalid({ outcome: 'rejected', error: { name: 'Error', message: 'x', string: 'Error: x', isError: true } })])] });
    expect(one(strict, 'errors.invalid-params-shape', errObj, 'get_session')).toMatchObject({ status: 'failed', severity: 'error', message: expect.stringMatching(/not a bare string/) });
    const ok = obs({ groups: [group('get_session', [invalid({ outcome: 'rejected', error: stringError('session not found: ') })])] });
    expect(one(strict, 'errors.invalid-params-shape', ok, 'get_session').status).toBe('passed');
  });

  it('call.valid-resolves: a valid command that fails is an error unless the contract says when it may (then info)', () => {
    const rejected = obs({ groups: [group('update_config', [call('update_config', { args: [{ key: 'absque', value: 1 }], outcome: 'rejected', error: stringError('unknown config key: absque') })])] });
    expect(one(clawdesk, 'call.valid-resolves', rejected, 'update_config')).toMatchObject({ status: 'failed', severity: 'info', message: expect.stringMatching(/the contract allows it: the key names no configuration setting/) });
    const session = obs({ groups: [group('get_session', [call('get_session', { args: [{ sessionId: 's1' }], outcome: 'rejected', error: stringError('session not found: s1') })])] });
    expect(one(clawdesk, 'call.valid-resolves', session, 'get_session')).toMatchObject({ status: 'failed', severity: 'error' });
  });

  it('a failed prerequisite blocks the command checks that needed it', () => {
    const o = obs({ groups: [group('get_session', [call('create_session', { role: 'prerequisite', outcome: 'rejected', error: stringError('db locked') })])] });
    const results = runChecks({ pack: clawdesk, obs: o }).filter((r) => r.channel === 'get_session');
    expect(results.find((r) => r.id === 'fixture.prerequisite')).toMatchObject({ status: 'failed', severity: 'error' });
    expect(results.find((r) => r.id === 'call.valid-resolves')).toMatchObject({ status: 'blocked', blockedBy: { id: 'fixture.prerequisite' } });
    expect(results.find((r) => r.id === 'returns.schema')?.status).toBe('blocked');
  });

  it('returns.schema: a void command resolves to null (Rust `()`), not to a value', () => {
    expect(one(clawdesk, 'returns.schema', obs({ groups: [group('delete_session', [call('delete_session')])] }), 'delete_session').status).toBe('passed');
    expect(one(clawdesk, 'returns.schema', obs({ groups: [group('delete_session', [call('delete_session', { value: true })])] }), 'delete_session').status).toBe('failed');
  });

  it('call.valid-resolves applies to commands without arguments', () => {
    const rejected = obs({ groups: [group('get_health', [call('get_health', { outcome: 'rejected', error: stringError('boom') })])] });
    expect(one(clawdesk, 'call.valid-resolves', rejected, 'get_health').status).toBe('failed');
  });

  it('stream.channel-order: Channel messages numbered in arrival order pass, others fail', () => {
    const streamRun = (indexes: number[]): StreamRun => ({
      stream: 'completion', mode: 'run', start: call('generate_completion_stream', { role: 'stream-start' }), end: 'call-settled', durationMs: 40, afterEnd: [], timeoutMs: 3000,
      events: indexes.map((index, k) => ({ channel: 'generate_completion_stream', payload: { Chunk: { text: String(k) } }, seq: k + 1, atMs: k * 10, index })),
    });
    expect(one(completion, 'stream.channel-order', obs({ streams: [streamRun([0, 1, 2, 3])] }), 'generate_completion_stream').status).toBe('passed');
    const bad = one(completion, 'stream.channel-order', obs({ streams: [streamRun([0, 2, 1, 3])] }), 'generate_completion_stream');
    expect(bad).toMatchObject({ status: 'failed', actual: [0, 2, 1, 3] });
  });

  it('checks that need a main-process hook are skipped as not applicable, never passed', () => {
    const results = runChecks({ pack: clawdesk, obs: obs({}) });
    for (const id of ['handler.registered', 'params.reach-handler', 'drift.undocumented-channel', 'security.csp']) {
      const mine = results.filter((r) => r.id === id);
      expect(mine.map((r) => r.status), id).toEqual(['skipped']);
      expect(mine[0]!.severity, id).toBe('info');
      expect(mine[0]!.message).toMatch(id.startsWith('security.') ? /^not run for Tauri: .*main-process hooks/ : /^not applicable for Tauri: .*no hook/);
    }
  });
});
