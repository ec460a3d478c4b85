// JSON reporter: exactly the shape of issue 5 (extra in-memory fields are left out).
import type { RunReport } from './model.ts';

export function renderJson(r: RunReport): string {
  const doc = {
    tool: r.tool,
    version: r.version,
    pack: r.pack,
    app: r.app,
    runtime: r.runtime,
    seed: r.seed,
    durationMs: r.durationMs,
    summary: { passed: r.summary.passed, failed: r.summary.failed, skipped: r.summary.skipped },
    ...(r.coverage ? { coverage: r.coverage } : {}),
    checks: r.checks.map((c) => ({
      id: c.id,
      channel: c.channel,
      status: c.status,
      message: c.message,
      expected: c.expected ?? null,
      actual: c.actual ?? null,
      durationMs: c.durationMs ?? null,
      // Security findings only (runner/security): critical | high | medium | low.
      ...(c.severity ? { severity: c.severity } : {}),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
