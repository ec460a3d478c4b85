// `conform merge-reports`: shard JSON reports back into one report with the verdicts of an
// unsharded run. Reads only what the JSON reporter wrote.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { summarize, type ReportCheck, type RunReport } from '../../reports/run/model.ts';
import { UsageError } from '../../cli/errors.ts';
import { JSON_REPORT_FILE } from '../../reports/run/json.ts';

/** A shard's JSON report, from the file or from the folder it was written to. */
export function readShardReport(path: string): RunReport {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, JSON_REPORT_FILE) : path;
  if (!existsSync(file)) throw new UsageError(`${path}: no ${JSON_REPORT_FILE} there (run each shard with --reporter json --out <dir>)`);
  let doc: Partial<RunReport>;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file}: not JSON: ${(err as Error).message}`);
  }
  if (doc?.tool !== 'conform' || !Array.isArray(doc.checks) || !Array.isArray(doc.channels)) {
    throw new UsageError(`${file}: not a conform run report of this version (no checks/channels); re-run the shard with this conform`);
  }
  // The JSON reporter writes a missing duration as null; reporters expect it absent.
  const checks = doc.checks.map((c) => (c.durationMs === null ? (({ durationMs: _d, ...rest }) => rest)(c) : c));
  return { timelines: [], incidents: [], ...doc, checks, file } as RunReport & { file: string };
}

const keyOf = (c: ReportCheck) => `${c.id}\u0000${c.channel ?? ''}\u0000${c.stream ?? ''}`;

/** One report from every shard 1..n of one run. */
export function mergeReports(reports: RunReport[]): RunReport {
  if (reports.length === 0) throw new UsageError('merge-reports needs at least one shard report');
  const where = (r: RunReport) => (r as { file?: string }).file ?? r.pack;
  const first = reports[0]!;
  for (const r of reports) {
    if (!r.shard) throw new UsageError(`${where(r)}: not a shard report (the run had no --shard); merge-reports merges the shards of one run`);
    if (r.pack !== first.pack || r.seed !== first.seed) {
      throw new UsageError(`${where(r)}: pack ${r.pack} seed ${r.seed}, but ${where(first)} has pack ${first.pack} seed ${first.seed}: shards of one run share both`);
    }
    if (r.shard.total !== first.shard!.total) throw new UsageError(`${where(r)}: shard ${r.shard.index}/${r.shard.total}, but ${where(first)} is one of ${first.shard!.total}`);
  }
  const total = first.shard!.total;
  const byIndex = new Map<number, RunReport>();
  for (const r of reports) {
    if (byIndex.has(r.shard!.index)) throw new UsageError(`${where(r)} and ${where(byIndex.get(r.shard!.index)!)} are both shard ${r.shard!.index}/${total}`);
    byIndex.set(r.shard!.index, r);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length) throw new UsageError(`shard(s) ${missing.map((i) => `${i}/${total}`).join(', ')} missing: a merge without every shard would leave channels unverified`);
  const shards = [...byIndex.keys()].sort((a, b) => a - b).map((i) => byIndex.get(i)!);

  // Per result key, the results of each shard that has it (shards in order).
  const keys: string[] = [];
  const perKey = new Map<string, ReportCheck[][]>();
  for (const r of shards) {
    const mine = new Map<string, ReportCheck[]>();
    for (const c of r.checks) {
      const k = keyOf(c);
      if (!mine.has(k)) mine.set(k, []);
      mine.get(k)!.push(c);
    }
    for (const [k, list] of mine) {
      if (!perKey.has(k)) {
        perKey.set(k, []);
        keys.push(k);
      }
      perKey.get(k)!.push(list);
    }
  }
  const pick = (lists: ReportCheck[][]) =>
    lists.find((l) => l.some((c) => c.status === 'failed')) ?? lists.find((l) => l.some((c) => c.status === 'blocked'))
      ?? lists.find((l) => l.some((c) => c.status === 'passed')) ?? lists[0]!;
  const rank = new Map(first.channels.map((c, i) => [c, i]));
  // A shard's own gate marks judged its part only: the merged run is gated again as a whole
  // (merge-reports --baseline/--waivers).
  const checks = keys.filter((k) => !k.startsWith('gate.')).flatMap((k) => pick(perKey.get(k)!))
    .map(({ gate: _gate, fingerprint: _fp, ...c }) => c as ReportCheck)
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (rank.get(a.c.channel ?? '') ?? 1e9) - (rank.get(b.c.channel ?? '') ?? 1e9) || a.i - b.i)
    .map((x) => x.c);

  const merged: RunReport = {
    ...first,
    durationMs: Math.max(...shards.map((r) => r.durationMs)),
    summary: summarize(checks),
    ...(mergedCoverage(shards) ? { coverage: mergedCoverage(shards) } : {}),
    checks,
    selected: [...new Set(shards.flatMap((r) => r.selected ?? []))],
    timelines: shards.flatMap((r) => r.timelines),
    incidents: shards.flatMap((r) => r.incidents),
    gate: undefined,
    shards: shards.map((r) => ({ index: r.shard!.index, durationMs: r.durationMs, channels: r.selected?.length ?? 0 })),
  };
  delete (merged as { file?: string }).file;
  delete merged.shard;
  delete merged.gate;
  if (!merged.coverage) delete merged.coverage;
  return merged;
}

/**
 * Schema coverage of the whole run: each channel's schema checks ran in exactly one shard, so the
 * counts add up; the channels with unspecified schemas are pack-wide (the same in every shard).
 */
function mergedCoverage(shards: RunReport[]): RunReport['coverage'] {
  const all = shards.map((r) => r.coverage).filter((c): c is NonNullable<RunReport['coverage']> => !!c);
  if (all.length === 0) return undefined;
  const sum = (k: 'schemaChecks' | 'verified' | 'partial' | 'unspecified') => all.reduce((n, c) => n + c[k], 0);
  return {
    schemaChecks: sum('schemaChecks'), verified: sum('verified'), partial: sum('partial'), unspecified: sum('unspecified'),
    unspecifiedChannels: [...new Set(all.flatMap((c) => c.unspecifiedChannels))],
  };
}
