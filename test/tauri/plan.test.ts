// Plans for Tauri packs: one camelCase args object per call, fixture keys bound by reference,
// only object-shaped invalid inputs, and the shim's invoke wrapper as the bridge.
import { describe, expect, it } from 'vitest';
import { Planner } from '../../runner/run/plan.ts';
import { loadPack } from '../../specs/loader.ts';

const clawdesk = await loadPack('clawdesk');
const planner = () => new Planner(clawdesk, { seed: 1, callTimeoutMs: 1000, validCount: 3, invalidMax: 12 });

describe('Planner on a Tauri pack', () => {
  it('calls each command through the shim with one args object; fixtures are refs', () => {
    const plan = planner().group(clawdesk.byName.get('get_session')!);
    expect(plan.skip).toBeUndefined();
    const valid = plan.steps.filter((s) => s.role === 'valid');
    expect(valid).toHaveLength(1);
    expect(valid[0]!.bridge).toBe('window.__conformTauri.invoke.get_session');
    expect(valid[0]!.args).toEqual([{ sessionId: { $conform: 'ref', path: 'session.id' } }]);
    expect(plan.steps[0]).toMatchObject({ role: 'prerequisite', channel: 'create_session', args: [{ channelId: 'desktop' }], bind: 'session' });
    expect(plan.fixturePaths).toEqual(['session.id']);
  });

  it('invalid inputs are args objects (never an array), each breaking one key', () => {
    const invalid = planner().group(clawdesk.byName.get('get_messages')!).steps.filter((s) => s.role === 'invalid');
    expect(invalid.length).toBeGreaterThan(2);
    for (const s of invalid) {
      expect(s.args).toHaveLength(1);
      expect(typeof s.args[0] === 'object' && !Array.isArray(s.args[0])).toBe(true);
    }
    // The broken key stays broken; the others keep their fixture.
    const wrongId = invalid.find((s) => s.rule?.startsWith('wrong-type at /sessionId'))!;
    expect((wrongId.args[0] as Record<string, unknown>).sessionId).toBe(42);
    const wrongLimit = invalid.find((s) => s.rule?.startsWith('wrong-type at /limit'))!;
    expect((wrongLimit.args[0] as Record<string, unknown>).sessionId).toEqual({ $conform: 'ref', path: 'session.id' });
  });

  it('a stream abort refers to the start call\'s named arg', () => {
    const stream = clawdesk.streams.find((s) => s.name === 'message-stream')!;
    const planned = planner().stream(stream);
    expect(planned.abort).toMatchObject({ channel: 'cancel_stream', args: [{ sessionId: { $conform: 'ref', path: 'param.0.sessionId' } }] });
  });
});
