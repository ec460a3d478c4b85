// `--shard i/n`: a deterministic part of a pack's channels, keeping what must run in one app
// together (prerequisite and cleanup chains, a stream's start and abort calls).
import type { Channel, Pack } from '../../specs/model.ts';
import { UsageError } from '../../cli/errors.ts';

export interface ShardSpec {
  /** 1-based. */
  index: number;
  total: number;
}

export function parseShard(raw: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!m || total < 1 || index < 1 || index > total) throw new UsageError(`--shard must be i/n with 1 <= i <= n (e.g. --shard 2/3), got "${raw}"`);
  return { index, total };
}

const STREAM_WEIGHT = 4;
const called = (c: Channel) => c.kind !== 'event';

/** Groups of called channels that must run in the same app, in pack order, with their weights. */
export function shardUnits(pack: Pack, selection: Channel[] = pack.channels): { channels: string[]; weight: number }[] {
  const names = selection.filter(called).map((c) => c.name);
  const inSel = new Set(names);
  const parent = new Map(names.map((n) => [n, n]));
  const find = (n: string): string => {
    let r = n;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(n, r);
    return r;
  };
  // Only channels of the selection join a unit: a prerequisite outside it runs as a step of its
  // dependant's group anyway (the plan inlines it); joining it would drag it into the run.
  const join = (a: string, b: string) => {
    if (!inSel.has(a) || !inSel.has(b)) return;
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    // The root is the unit's first channel in pack order.
    const [first, second] = names.indexOf(ra) < names.indexOf(rb) ? [ra, rb] : [rb, ra];
    parent.set(second, first);
  };
  for (const c of selection.filter(called)) for (const p of [...c.prerequisites, ...c.cleanup]) join(c.name, p.call);
  const streamsOf = new Map<string, number>();
  for (const s of pack.streams) {
    if (!inSel.has(s.start)) continue;
    if (s.abort) join(s.start, s.abort.call);
    streamsOf.set(s.start, (streamsOf.get(s.start) ?? 0) + 1);
  }
  const units = new Map<string, { channels: string[]; weight: number }>();
  for (const n of names) {
    const r = find(n);
    const u = units.get(r) ?? { channels: [], weight: 0 };
    u.channels.push(n);
    u.weight += 1 + STREAM_WEIGHT * (streamsOf.get(n) ?? 0);
    units.set(r, u);
  }
  return [...units.values()];
}

/** Channel names shard `spec` runs: its units' channels plus every event channel of the selection. */
export function shardChannels(pack: Pack, spec: ShardSpec, selection: Channel[] = pack.channels): string[] {
  const units = shardUnits(pack, selection);
  const order = units.map((u, i) => ({ u, i })).sort((a, b) => b.u.weight - a.u.weight || a.i - b.i);
  const load = Array.from({ length: spec.total }, () => 0);
  const mine = new Set<string>();
  for (const { u } of order) {
    const target = load.indexOf(Math.min(...load));
    load[target] += u.weight;
    if (target === spec.index - 1) for (const n of u.channels) mine.add(n);
  }
  if (mine.size === 0) {
    throw new UsageError(`--shard ${spec.index}/${spec.total}: this shard gets no channel; the selection has ${units.length} unit(s) that must run together, so use at most ${units.length} shard(s)`);
  }
  return selection.filter((c) => !called(c) || mine.has(c.name)).map((c) => c.name);
}
