// `conform drift`: the drift rules on observations made by hand (each rule: a clean observation
// gives nothing, the deviation gives the rule), then the reference app run for real, clean and
// with faults switched on.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DRIFT_RULES, driftReport } from '../../runner/drift.ts';
import type { DriftObservations } from '../../runner/drift.ts';
import type { MainObservation } from '../../runner/checks/observations.ts';
import { observeApp } from '../../cli/drift.ts';
import { loadPackSync } from '../../specs/loader.ts';
import { event, invoke, makePack } from './helpers.ts';

const pack = makePack({
  channels: {
    'notes:get': invoke({ bridge: 'window.api.notes.get', params: [{ name: 'id', schema: { type: 'string' } }], returns: { type: 'object', properties: { id: { type: 'string' }, token: { type: 'string' } }, required: ['id', 'token'] } }),
    'notes:log': { kind: 'send', bridge: 'window.api.notes.log', params: [{ name: 'line', schema: { type: 'string' } }] },
    'notes:changed': event({ bridge: 'window.api.onChanged', payload: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'], additionalProperties: false } }),
  },
});

let seq = 0;
const o = (kind: MainObservation['kind'], extra: Partial<MainObservation>): MainObservation => ({ seq: ++seq, t: seq, kind, ...extra });
const clean = (): DriftObservations => ({
  main: [
    o('register', { api: 'handle', channel: 'notes:get' }),
    o('register', { api: 'on', channel: 'notes:log' }),
    o('handler-call', { channel: 'notes:get', callId: 1, args: ['n1'] }),
    o('handler-settle', { channel: 'notes:get', callId: 1, ok: true, value: { id: 'n1', token: { $conform: 'redacted' } } }),
    o('send', { api: 'webContents.send', channel: 'notes:changed', args: [{ id: 'n1' }] }),
  ],
  bridge: ['window.api.notes.get', 'window.api.notes.log', 'window.api.onChanged'],
});
const rules = (obs: DriftObservations) => driftReport(pack, obs, 'app').changes.map((c) => `${c.rule} ${c.severity} ${c.channel ?? c.message}`);

describe('drift rules', () => {
  it('a clean observation has no drift (redacted values are not judged)', () => {
    expect(rules(clean())).toEqual([]);
  });

  const cases: [string, (obs: DriftObservations) => void, string][] = [
    ['missing handler', (x) => { x.main = x.main.filter((m) => !(m.kind === 'register' && m.channel === 'notes:get')); }, 'drift-missing-handler breaking notes:get'],
    ['handler removed again', (x) => { x.main.push(o('unregister', { api: 'handle', channel: 'notes:get' })); }, 'drift-missing-handler breaking notes:get'],
    ['kind mismatch', (x) => { x.main = x.main.map((m) => (m.kind === 'register' && m.channel === 'notes:log' ? { ...m, api: 'handle' } : m)); }, 'drift-handler-kind-mismatch breaking notes:log'],
    ['undocumented handler', (x) => { x.main.push(o('register', { api: 'handle', channel: 'debug:dump' })); }, 'drift-undocumented-handler warning debug:dump'],
    ['undocumented send', (x) => { x.main.push(o('send', { api: 'webContents.send', channel: 'debug:tick', args: [1] })); }, 'drift-undocumented-send warning debug:tick'],
    ['payload outside its schema', (x) => { x.main.push(o('send', { api: 'webContents.send', channel: 'notes:changed', args: [{ id: 'n1', path: '/secret' }] })); }, 'drift-payload-invalid breaking notes:changed'],
    ['return outside its schema', (x) => { x.main.push(o('handler-call', { channel: 'notes:get', callId: 2, args: ['n2'] }), o('handler-settle', { channel: 'notes:get', callId: 2, ok: true, value: { id: 2, token: 't' } })); }, 'drift-return-invalid breaking notes:get'],
    ['args outside the params', (x) => { x.main.push(o('listener-call', { channel: 'notes:log', args: [42] })); }, 'drift-args-invalid breaking notes:log'],
    ['bridge method missing', (x) => { x.bridge = x.bridge!.filter((b) => b !== 'window.api.onChanged'); }, 'drift-missing-bridge breaking notes:changed'],
    ['undocumented bridge method', (x) => { x.bridge!.push('window.api.debug'); }, 'drift-undocumented-bridge warning the renderer has window.api.debug, which the pack does not list'],
  ];
  for (const [what, deviate, expected] of cases) {
    it(what, () => {
      const obs = clean();
      deviate(obs);
      expect(rules(obs)).toEqual([expected]);
    });
  }

  it("Conform's own plumbing channels (the mock main process) are not drift", () => {
    const obs = clean();
    obs.main.push(o('register', { api: 'handle', channel: 'conform:unknown' }), o('register', { api: 'on', channel: 'conform:listen' }));
    expect(rules(obs)).toEqual([]);
  });

  it('the README lists every drift rule with its severity', () => {
    const readme = readFileSync('specs/diff/README.md', 'utf8');
    for (const r of DRIFT_RULES) expect(readme.split('\n').find((l) => l.startsWith(`| \`${r.id}\` | ${r.severity} |`)), r.id).toBeDefined();
  });

  it('messages name paths and keywords, never the observed value', () => {
    const obs = clean();
    obs.main.push(o('send', { api: 'webContents.send', channel: 'notes:changed', args: [{ id: 'n1', leaked: 'sk-live-123' }] }));
    const text = JSON.stringify(driftReport(pack, obs, 'app'));
    expect(text).toContain("must NOT have additional property 'leaked'");
    expect(text).not.toContain('sk-live-123');
  });
});

describe('drift of the script-manager reference app (stand-in runtime)', () => {
  const sm = loadPackSync('script-manager');
  it('clean app: no drift', async () => {
    const obs = await observeApp({ main: 'examples/script-manager/main.js', roots: sm.roots });
    expect(obs.bridge?.length).toBeGreaterThan(10);
    expect(driftReport(sm, obs, 'app').changes).toEqual([]);
  });

  it('with faults: a lost handler, a debug channel and a renamed bridge method are reported', async () => {
    const obs = await observeApp({ main: 'examples/script-manager/main.js', roots: sm.roots, env: { CONFORM_FAULTS: 'sm-profiles-delete-unregistered,sm-debug-dump-channel,sm-bridge-snapshots-renamed' } });
    expect(driftReport(sm, obs, 'app').changes.map((c) => `${c.rule} ${c.channel ?? c.message}`)).toEqual([
      'drift-missing-bridge process:snapshots',
      'drift-missing-handler profiles:delete',
      'drift-undocumented-bridge the renderer has window.api.process.debugDump, which the pack does not list',
      'drift-undocumented-bridge the renderer has window.api.process.getSnapshots, which the pack does not list',
      'drift-undocumented-handler process:debugDump',
    ]);
  });
});
