// Planning is deterministic per seed and wires fixtures, cleanup and invalid inputs the way the
// contract says.
import { describe, expect, it } from 'vitest';
import { loadPackSync } from '../../specs/loader.ts';
import { literalArgs, Planner, subSeed } from '../../runner/run/plan.ts';
import { channelMatcher } from '../../runner/run.ts';

const pack = loadPackSync('script-manager');
const planner = (seed: number) => new Planner(pack, { seed, callTimeoutMs: 3000, validCount: 3, invalidMax: 12 });

describe('run planning', () => {
  it('gives the same steps for the same seed and different inputs for another seed', () => {
    const ch = pack.byName.get('settings:update')!;
    const a = planner(1).group(ch).steps.map((s) => s.args);
    const b = planner(1).group(ch).steps.map((s) => s.args);
    const c = planner(2).group(ch).steps.map((s) => s.args);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(subSeed(1, 'x')).not.toBe(subSeed(1, 'y'));
  });

  it('runs prerequisites, the call with the fixture ref, then cleanup; invalid inputs break one rule and never add extra args', () => {
    const plan = planner(1).group(pack.byName.get('process:start')!);
    const roles = plan.steps.map((s) => `${s.role}:${s.channel}`);
    expect(roles.slice(0, 4)).toEqual(['prerequisite:scripts:create', 'valid:process:start', 'cleanup:process:stop', 'cleanup:scripts:delete']);
    expect(plan.steps[1]!.args).toEqual([{ $conform: 'ref', path: 'script.id' }]);
    expect(plan.steps[2]!.args).toEqual([{ $conform: 'ref', path: 'script.id' }]);
    const invalid = plan.steps.filter((s) => s.role === 'invalid');
    expect(invalid.length).toBeGreaterThan(0);
    for (const s of invalid) {
      expect(s.args.length).toBeLessThanOrEqual(1);
      expect(s.rule).toMatch(/ at \/0/);
    }
    expect(plan.fixturePaths).toEqual(['script.id']);
  });

  it('never calls a channel the contract marks destructive, and says why', () => {
    const plan = planner(1).group(pack.byName.get('updates:quitAndInstall')!);
    expect(plan.steps).toEqual([]);
    expect(plan.skip).toMatch(/^destructive, not called by generated checks: Quits the app/);
    expect(planner(1).group(pack.byName.get('updates:download')!).skip).toBeUndefined();
  });

  it('turns ${...} templates into refs, param: names into start-arg indexes', () => {
    expect(literalArgs(['${script.id}', 'x-${a.b}-y', 3])).toEqual([
      { $conform: 'ref', path: 'script.id' },
      { $conform: 'template', parts: ['x-', { path: 'a.b' }, '-y'] },
      3,
    ]);
    expect(literalArgs(['${param:id}'], (n) => (n === 'id' ? 0 : -1))).toEqual([{ $conform: 'ref', path: 'param.0' }]);
  });

  it("defaults a stream abort to the start call's leading args", () => {
    const s = planner(1).stream(pack.streams.find((x) => x.name === 'process-run')!);
    expect(s.abort!.channel).toBe('process:stop');
    expect(s.abort!.args).toEqual([{ $conform: 'ref', path: 'param.0' }]);
    expect(s.start[s.start.length - 1]!.detach).toBe(true);
  });

  it('--grep accepts substrings, globs and /regex/', () => {
    expect(channelMatcher('scripts')('scripts:list')).toBe(true);
    expect(channelMatcher('process:*')('process:start')).toBe(true);
    expect(channelMatcher('process:*')('scripts:list')).toBe(false);
    expect(channelMatcher('/^(data|settings):/')('data:import')).toBe(true);
    expect(() => channelMatcher('/(/')).toThrow(/--grep/);
  });
  it('a valid call needs its prerequisites; what a generated create/upsert made is deleted right after it (invalid inputs too)', () => {
    const start = planner(1).group(pack.byName.get('process:start')!);
    expect(start.steps[1]!.needs).toEqual([start.steps[0]!.id]);
    const plan = planner(1).group(pack.byName.get('scripts:upsert')!);
    // Valid upserts are deleted by the pack's own cleanup; invalid ones (id "" and the like) by the planner.
    const valid = plan.steps.filter((s) => s.channel === 'scripts:upsert' && s.role === 'valid');
    expect(plan.steps[plan.steps.indexOf(valid[0]!) + 1]).toMatchObject({ role: 'cleanup', channel: 'scripts:delete' });
    const made = plan.steps.filter((s) => s.channel === 'scripts:upsert' && s.role === 'invalid');
    expect(made.length).toBeGreaterThan(1);
    for (const s of made) {
      expect([s.bind, s.bindArgs]).toEqual(['__created', '__createdArgs']);
      const next = plan.steps[plan.steps.indexOf(s) + 1]!;
      expect([next.role, next.channel]).toEqual(['cleanup', 'scripts:delete']);
      expect(next.args[0]).toEqual({ $conform: 'ref', path: '__created.id', alt: ['__createdArgs.0.id'] });
    }
  });
});
