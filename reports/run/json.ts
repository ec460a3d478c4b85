// JSON reporter: the shape of issue 5, plus what merging shards and re-rendering need (channels,
// selection, shard, gate, coverage, timelines, incidents) and each result's severity, failure detail
// and gate mark when present.
import { unverifiedChannels, type RunReport } from './model.ts';

export const JSON_REPORT_FILE = 'conform-report.json';

const present = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export function renderJson(r: RunReport): string {
  const doc = {
    tool: r.tool,
    version: r.version,
    pack: r.pack,
    app: r.app,
    runtime: r.runtime,
    seed: r.seed,
    durationMs: r.durationMs,
    summary: { ...r.summary },
    unverifiedChannels: unverifiedChannels(r.checks),
    ...(r.coverage ? { coverage: r.coverage } : {}),
    checks: r.checks.map((c) => ({
      id: c.id,
      channel: c.channel,
      status: c.status,
      message: c.message,
      expected: c.expected ?? null,
      actual: c.actual ?? null,
      durationMs: c.durationMs ?? null,
      ...present({
        stream: c.stream,
        // error | warning | info on every non-passed result.
        severity: c.severity,
        // Security findings only (runner/security): critical | high | medium | low.
        risk: c.risk,
        blockedBy: c.blockedBy,
        assumption: c.assumption,
        input: c.input,
        issues: c.issues,
        source: c.source,
        repro: c.repro,
        hint: c.hint,
        fingerprint: c.fingerprint,
        gate: c.gate,
      }),
    })),
    ...present({ channels: r.channels, selected: r.selected, shard: r.shard, shards: r.shards, gate: r.gate }),
    timelines: r.timelines,
    incidents: r.incidents,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
