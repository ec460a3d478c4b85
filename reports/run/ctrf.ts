// CTRF reporter (Common Test Report Format, ctrf.io): one test per check result, so CI dashboards
// that read CTRF show the run. Baselined and waived findings, info findings (what the app did where
// the contract is silent) and blocked checks are `other` with the raw status kept; blocked ones that
// fail the run say so in rawStatus.
import { byChannel, failureText, gateAccepted, type RunReport } from './model.ts';

export const CTRF_SPEC_VERSION = '0.0.0';

export function renderCtrf(r: RunReport, now = Date.now()): string {
  const tests = byChannel(r).flatMap((g) => g.checks.map((c) => {
    const accepted = gateAccepted(c);
    const info = c.status === 'failed' && c.severity === 'info';
    const status = accepted || info || c.status === 'blocked' ? 'other' : c.status;
    const raw = accepted ? `${c.status} (${c.gate!.state}${c.gate!.reason ? `: ${c.gate!.reason}` : ''})`
      : info ? 'failed (info)' : c.status === 'blocked' ? `blocked${c.blockedBy ? ` by ${c.blockedBy.id}` : ''}` : undefined;
    const t: Record<string, unknown> = {
      name: `${g.channel} › ${c.id}${c.stream ? ` [${c.stream}]` : ''}`,
      status,
      duration: Math.round(c.durationMs ?? 0),
      suite: [r.pack, g.channel],
      ...(c.status !== 'passed' ? { message: c.message } : {}),
      ...(raw ? { rawStatus: raw } : {}),
      ...(c.status === 'failed' ? { trace: failureText(c) } : {}),
      ...(c.source ? { filePath: c.source.file, line: c.source.line } : {}),
      tags: [c.id.split('.')[0]!, ...(c.severity ? [c.severity] : []), ...(c.risk ? [`risk ${c.risk}`] : [])],
      type: 'conformance',
    };
    const extra = Object.fromEntries(Object.entries({ check: c.id, stream: c.stream, severity: c.severity, risk: c.risk, blockedBy: c.blockedBy, assumption: c.assumption, repro: c.repro, hint: c.hint, fingerprint: c.fingerprint, gate: c.gate })
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
      environment: { appName: r.app, extra: { pack: r.pack, runtime: r.runtime, seed: r.seed, summary: r.summary, ...(r.coverage ? { coverage: r.coverage } : {}), ...(r.gate ? { gate: r.gate } : {}), ...(r.shard ? { shard: `${r.shard.index}/${r.shard.total}` } : {}) } },
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
