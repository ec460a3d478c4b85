// CTRF reporter (Common Test Report Format, ctrf.io): one test per check result, so CI dashboards
// that read CTRF show the run. Baselined and waived findings are `other` with the raw status kept.
import { byChannel, show, type RunReport } from './model.ts';

export const CTRF_SPEC_VERSION = '0.0.0';

export function renderCtrf(r: RunReport, now = Date.now()): string {
  const tests = byChannel(r).flatMap((g) => g.checks.map((c) => {
    const accepted = c.status === 'failed' && (c.gate?.state === 'baselined' || c.gate?.state === 'waived');
    const status = accepted ? 'other' : c.status;
    const t: Record<string, unknown> = {
      name: `${g.channel} › ${c.id}${c.stream ? ` [${c.stream}]` : ''}`,
      status,
      duration: Math.round(c.durationMs ?? 0),
      suite: [r.pack, g.channel],
      ...(c.status !== 'passed' ? { message: c.message } : {}),
      ...(accepted ? { rawStatus: `failed (${c.gate!.state}${c.gate!.reason ? `: ${c.gate!.reason}` : ''})` } : {}),
      ...(c.status === 'failed' ? { trace: `expected:\n${show(c.expected)}\n\nactual:\n${show(c.actual)}${c.input !== undefined ? `\n\ninput:\n${show(c.input)}` : ''}` } : {}),
      ...(c.source ? { filePath: c.source.file, line: c.source.line } : {}),
      tags: [c.id.split('.')[0]!, ...(c.severity ? [c.severity] : [])],
      type: 'conformance',
    };
    const extra = Object.fromEntries(Object.entries({ check: c.id, stream: c.stream, repro: c.repro, hint: c.hint, fingerprint: c.fingerprint, gate: c.gate })
      .filter(([, v]) => v !== undefined));
    t.extra = extra;
    return t;
  }));
  const count = (s: string) => tests.filter((t) => t.status === s).length;
  const doc = {
    reportFormat: 'CTRF',
    specVersion: CTRF_SPEC_VERSION,
    generatedBy: `${r.tool} ${r.version}`,
    results: {
      tool: { name: r.tool, version: r.version },
      summary: {
        tests: tests.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), pending: 0, other: count('other'),
        suites: byChannel(r).length, start: now - Math.round(r.durationMs), stop: now, duration: Math.round(r.durationMs),
      },
      tests,
      environment: { appName: r.app, extra: { pack: r.pack, runtime: r.runtime, seed: r.seed, ...(r.shard ? { shard: `${r.shard.index}/${r.shard.total}` } : {}) } },
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
