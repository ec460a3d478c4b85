// Benchmark of `conform run` (npm run bench:run): wall time of a full run of each reference pack,
// launch included, and the cost of one checked call against the raw in-renderer invoke round trip
// of the same app, measured in the same run. Then a real 75-channel pack: cosmosh (75 channels,
// one stream) against Conform's mock main process with --strict-params, which answers every
// channel and rejects invalid params in each channel's documented shape, like a conforming app.
// Targets on 2 cores: a 75-channel pack in <= 5 s, check overhead <= 1.5x the raw round trip.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronMockApp } from '../mocks/host.ts';
import { loadPack } from '../specs/loader.ts';
import type { Pack } from '../specs/model.ts';
import { runChecks } from '../runner/checks/catalog.ts';
import { QUIET_WINDOW_MS, runConformance } from '../runner/run.ts';
import { AppSession } from '../runner/run/session.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const APPS = (process.env.BENCH_APPS ?? 'script-manager,ollama-chat,cosmosh-lite').split(',').filter((a) => existsSync(join(root, 'examples', a, 'package.json')));
const N = Number(process.env.BENCH_CALLS ?? 1000);
const BIG_PACK = process.env.BENCH_BIG_PACK ?? 'cosmosh';
const fmt = (n: number, d = 2) => n.toFixed(d);
const medianBy = <T,>(xs: T[], by: (x: T) => number): T => [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)]!;
const median = (xs: number[]) => medianBy(xs, (x) => x);

/** A cheap channel to time: invoke, no params, no prerequisites. */
function cheapChannel(pack: Pack) {
  return pack.channels.find((c) => c.kind === 'invoke' && c.bridge && c.params.style !== 'named' && (c.params.style === 'none' || c.params.list.length === 0) && c.prerequisites.length === 0 && (c.budgetMs ?? 0) <= 1000);
}

async function roundTrips(app: string, pack: Pack) {
  const ch = cheapChannel(pack);
  if (!ch) return null;
  const s = await AppSession.start({ main: join(root, 'examples', app), roots: pack.roots }, 1);
  try {
    const bridge = ch.bridge!;
    // raw: the bridge method awaited in a loop inside one page.evaluate; checked: the same calls
    // as harness steps (timeouts, encoding, records), then main's drain. Rounds alternate and the
    // median is kept, so load from other processes hits both sides alike.
    const rounds = 7;
    const per = Math.max(50, Math.round(N / rounds));
    const rawOnce = () => s.page.evaluate(async ({ bridge, n }) => {
      const fn = bridge.split('.').slice(1).reduce<any>((o, k) => o[k], window);
      const parent = bridge.split('.').slice(1, -1).reduce<any>((o, k) => o[k], window);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await fn.call(parent);
      return (performance.now() - t0) / n;
    }, { bridge, n: per }) as Promise<number>;
    const steps = Array.from({ length: per }, (_, i) => ({ id: i, role: 'valid', channel: ch.name, bridge, args: [], timeoutMs: 5000, index: i }));
    await rawOnce();
    await s.harness({ kind: 'calls', steps }, 60_000);
    await s.drain();
    const raws: number[] = [];
    const renders: number[] = [];
    const drains: number[] = [];
    let res: { calls: unknown[] } = { calls: [] };
    let main: Awaited<ReturnType<typeof s.drain>> = [];
    for (let r = 0; r < rounds; r++) {
      raws.push(await rawOnce());
      await s.drain();
      const t0 = performance.now();
      res = await s.harness<{ calls: unknown[] }>({ kind: 'calls', steps }, 120_000);
      renders.push((performance.now() - t0) / per);
      const t1 = performance.now();
      main = await s.drain();
      drains.push((performance.now() - t1) / per);
    }
    const raw = median(raws);
    const inRenderer = median(renders) * per;
    const drainMs = median(drains) * per;
    const t2 = performance.now();
    const calls = (res.calls as { args: unknown[]; outcome: string; value: unknown; durationMs: number; index: number }[]).map((c) => ({
      channel: ch.name, role: 'valid' as const, index: c.index, args: c.args, outcome: c.outcome as 'resolved', value: c.value, durationMs: c.durationMs, handler: null,
    }));
    const results = runChecks({ pack, obs: { bridges: { [bridge]: 'function' }, groups: [{ channel: ch.name, calls, mainAlive: true, rendererAlive: true, mainErrors: [] }], streams: [], main, windows: [] } });
    const judgeMs = performance.now() - t2;
    return { channel: ch.name, raw, checked: (inRenderer + drainMs + judgeMs) / per, inRenderer: inRenderer / per, drain: drainMs / per, judge: judgeMs / per, checks: results.length };
  } finally {
    await s.close();
  }
}

console.log(`conform run benchmark (round trips: 7 alternating rounds of ${Math.max(50, Math.round(N / 7))} calls, medians)`);
for (const app of APPS) {
  const pack = await loadPack(app);
  const rt = await roundTrips(app, pack);
  const t0 = performance.now();
  const { report, observations, timing } = await runConformance({ pack: app, app: join(root, 'examples', app), seed: 1 });
  const wall = performance.now() - t0;
  const groupMs = Object.values(timing.groups).sort((a, b) => a - b);
  const perGroup = groupMs.reduce((a, b) => a + b, 0) / Math.max(1, groupMs.length);
  const medianGroup = groupMs[Math.floor(groupMs.length / 2)] ?? 0;
  const streamsMs = Object.values(timing.streams).reduce((a, b) => a + b, 0);
  const calls = observations.groups.reduce((n, g) => n + g.calls.length, 0);
  const streamMs = observations.streams.reduce((n, r) => n + r.durationMs, 0);
  const channels = pack.channels.length;
  console.log(`\n${app}: ${channels} channels, ${observations.groups.length} groups, ${calls} calls, ${observations.streams.length} stream runs, ${report.checks.length} checks (${report.summary.failed} failed)`);
  console.log(`  full run, launch included: ${fmt(wall / 1000)} s  (${fmt(wall / channels, 1)} ms per channel)`);
  console.log(`  launch ${fmt(timing.launchMs / 1000)} s, streams ${fmt(streamsMs / 1000)} s (of which events awaited, app-paced: ${fmt(streamMs / 1000)} s), channel groups ${fmt(groupMs.reduce((a, b) => a + b, 0) / 1000)} s, judge ${timing.judgeMs} ms, close ${fmt(timing.closeMs / 1000)} s`);
  console.log(`  per channel group: mean ${fmt(perGroup, 1)} ms, median ${fmt(medianGroup, 1)} ms`);
  if (rt) {
    console.log(`  ${rt.channel}: raw in-renderer round trip ${fmt(rt.raw, 3)} ms; checked call ${fmt(rt.checked, 3)} ms (renderer ${fmt(rt.inRenderer, 3)} + main drain ${fmt(rt.drain, 3)} + judge ${fmt(rt.judge, 3)})`);
    console.log(`  check overhead: ${fmt(rt.checked / rt.raw)}x the raw round trip (target <= 1.5x)`);
  }
}

// A real 75-channel pack, end to end. Baseline, same run: launching and closing the same app
// without running anything (what no tool can avoid).
{
  const { main: app, args, remove } = electronMockApp({ pack: BIG_PACK, seed: 1, control: false, strictParams: true });
  try {
    const pack = await loadPack(BIG_PACK);
    // Medians of 3 on both sides, alternating, so one slow launch (load from elsewhere) moves neither.
    const bares: number[] = [];
    const runs: { wall: number; outcome: Awaited<ReturnType<typeof runConformance>> }[] = [];
    for (let r = 0; r < 3; r++) {
      const l0 = performance.now();
      const bare = await AppSession.start({ main: app, args, roots: pack.roots }, 1);
      await bare.close();
      bares.push(performance.now() - l0);
      const t0 = performance.now();
      const outcome = await runConformance({ pack: BIG_PACK, app, args, seed: 1 });
      runs.push({ wall: performance.now() - t0, outcome });
    }
    const launchClose = median(bares);
    const { wall, outcome } = medianBy(runs, (x) => x.wall);
    const { report, timing } = outcome;
    const failed = report.checks.filter((c) => c.status === 'failed');
    // Info findings are what the app did where the pack leaves it open: named by count only.
    const serious = failed.filter((c) => c.severity !== 'info');
    console.log(`\n${BIG_PACK} against the mock main process (--strict-params): ${pack.channels.length} channels, ${pack.streams.length} stream(s), ${report.checks.length} checks (${report.summary.failed} findings: ${['error', 'warning', 'info'].map((sev) => `${failed.filter((c) => c.severity === sev).length} ${sev}`).join(', ')}${serious.length ? `: ${[...new Set(serious.map((c) => `${c.id}@${c.channel}`))].join(', ')}` : ''})`);
    console.log(`  full run, launch included: ${fmt(wall / 1000)} s (target <= 5 s: ${wall <= 5000 ? 'met' : 'missed'}, ${fmt(wall / 5000)}x the target)`);
    console.log(`  baseline, launch + close of the same app alone: ${fmt(launchClose / 1000)} s (medians of 3, alternating); the run is ${fmt(wall / launchClose)}x that (target <= 1.3x: ${wall / launchClose <= 1.3 ? 'met' : 'missed'})`);
    // A group whose cleanup must end a stream runs right after the streams, and the app must stay up
    // for the quiet window after it: no run of this pack can be shorter than this.
    const streamsTotal = Object.values(timing.streams).reduce((a, b) => a + b, 0);
    if (outcome.observations.groups.some((g) => g.lingering)) {
      const floor = launchClose + streamsTotal + QUIET_WINDOW_MS;
      console.log(`  lower bound set by the pack's quiet window: launch + close + streams + ${QUIET_WINDOW_MS} ms after the watched cleanup = ${fmt(floor / 1000)} s (${fmt(floor / launchClose)}x); the run spends ${fmt((wall - floor) / 1000)} s beyond it`);
    }
    const groups = Object.entries(timing.groups).filter(([k]) => !k.startsWith('('));
    const fixed = Object.entries(timing.groups).filter(([k]) => k.startsWith('(')).map(([k, v]) => `${k} ${v} ms`).join(', ');
    // Same run, groups one by one (a renderer round trip, drain and liveness check per group): what batching saves.
    const single = await runConformance({ pack: BIG_PACK, app, args, seed: 1, batchGroups: false });
    const groupsMs = (t: typeof timing) => Object.entries(t.groups).filter(([k]) => !k.startsWith('(')).reduce((a, [, v]) => a + v, 0);
    console.log(`  channel groups batched: ${fmt(groupsMs(timing) / 1000)} s in ${timing.groupBatches} renderer batches; one by one: ${fmt(groupsMs(single.timing) / 1000)} s in ${single.timing.groupBatches} (${fmt(groupsMs(single.timing) / Math.max(1, groupsMs(timing)))}x)`);
    const listed = timing.launchMs + streamsTotal + Object.values(timing.groups).reduce((a, b) => a + b, 0) + timing.judgeMs + timing.closeMs;
    console.log(`  launch ${fmt(timing.launchMs / 1000)} s, streams ${fmt(streamsTotal / 1000)} s, ${groups.length} channel groups ${fmt(groups.reduce((a, [, v]) => a + v, 0) / 1000)} s, ${fixed}, judge ${timing.judgeMs} ms, close ${fmt(timing.closeMs / 1000)} s, the rest (pack load, host snapshot, source read, bridge probe, final reads) ${fmt((wall - listed) / 1000)} s`);
  } finally {
    remove();
  }
}
