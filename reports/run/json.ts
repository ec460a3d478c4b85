// JSON reporter: exactly the shape of issue 5 (extra in-memory fields are left out).
import { unverifiedChannels, type RunReport } from './model.ts';

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
      // error | warning | info on every non-passed result.
      ...(c.severity ? { severity: c.severity } : {}),
      // Security findings only (runner/security): critical | high | medium | low.
      ...(c.risk ? { risk: c.risk } : {}),
      ...(c.blockedBy ? { blockedBy: c.blockedBy } : {}),
      ...(c.assumption ? { assumption: c.assumption } : {}),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
