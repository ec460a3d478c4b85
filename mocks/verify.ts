// Consumer verification (`conform mock --verify`): judges the calls the renderer made against the
// pack (params against the schema, unknown channels, listeners for events the pack does not have)
// and renders them with the run reporters of reports/run, so the report looks like `conform run`'s.
import { mkdirSync, readFileSync } from 'node:fs';
import { writePrivateFile } from '../runner/private-file.ts';
import { join } from 'node:path';
import type { Pack } from '../specs/model.ts';
import { FILE_REPORTERS, type RunReport } from '../reports/run/index.ts';
import { summarize, type ReportCheck } from '../reports/run/model.ts';
import type { CallRecord } from './engine.ts';

/** Check ids of consumer verification (same catalog style as runner/checks). */
export const CONSUMER_CHECKS = {
  params: 'consumer.params',
  channelKnown: 'consumer.channel-known',
  listenerKnown: 'consumer.listener-known',
  callsObserved: 'consumer.calls-observed',
} as const;

const version = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

/** Calls a verification judged: invokes and sends (listener registrations alone prove no bridge call). */
export function judgedCalls(calls: CallRecord[]): number {
  return calls.filter((c) => c.kind !== 'listen').length;
}

/**
 * A verification that saw no bridge call verified nothing: a blank page, a bridge the renderer
 * could not find, or a window that closed too early. That is a failure, never a green report.
 */
function callsObserved(calls: CallRecord[]): ReportCheck {
  const n = judgedCalls(calls);
  return n > 0
    ? { id: CONSUMER_CHECKS.callsObserved, channel: null, status: 'passed', message: `${n} bridge call(s) judged` }
    : {
        id: CONSUMER_CHECKS.callsObserved,
        channel: null,
        status: 'failed',
        message: `the renderer made no bridge call while the mock ran (${calls.length} listener registration(s)), so nothing was verified: check that the page loaded (blank page, console errors), that its bridge is the one it expects (--preload), and that the mock ran long enough`,
      };
}

export function consumerChecks(calls: CallRecord[]): ReportCheck[] {
  const checks: ReportCheck[] = [callsObserved(calls)];
  const passedOnce = new Set<string>();
  for (const c of calls) {
    const id = c.kind === 'unknown' ? CONSUMER_CHECKS.channelKnown : c.kind === 'listen' ? CONSUMER_CHECKS.listenerKnown : CONSUMER_CHECKS.params;
    if (c.issues.length > 0) {
      checks.push({ id, channel: c.channel, status: 'failed', severity: 'error', message: `call #${c.seq} (${c.kind}): ${c.issues.join('; ')}`, actual: c.args });
    } else if (!passedOnce.has(`${id} ${c.channel}`)) {
      passedOnce.add(`${id} ${c.channel}`);
      const n = calls.filter((x) => x.channel === c.channel && x.kind === c.kind && x.issues.length === 0).length;
      checks.push({ id, channel: c.channel, status: 'passed', message: `${n} ${c.kind} call(s) matched the contract` });
    }
  }
  return checks;
}

export function buildVerifyReport(pack: Pack, calls: CallRecord[], meta: { runtime?: 'electron' | 'standin'; seed?: number; durationMs?: number; app?: string } = {}): RunReport {
  const checks = consumerChecks(calls);
  return {
    tool: 'conform',
    version,
    pack: pack.name,
    app: meta.app ?? `${pack.app} renderer (mock)`,
    runtime: meta.runtime ?? 'standin',
    seed: meta.seed ?? 1,
    durationMs: meta.durationMs ?? 0,
    summary: summarize(checks),
    checks,
    timelines: [],
    channels: pack.channels.map((c) => c.name),
    incidents: [],
  };
}

/** Write the report in the given formats (default json + md); returns the files written. */
export function writeVerifyReports(pack: Pack, calls: CallRecord[], opts: { outDir: string; reporters?: string[]; runtime?: 'electron' | 'standin'; seed?: number }): string[] {
  const report = buildVerifyReport(pack, calls, opts);
  mkdirSync(opts.outDir, { recursive: true });
  const files: string[] = [];
  for (const name of opts.reporters ?? ['json', 'md']) {
    const r = FILE_REPORTERS[name];
    if (!r) continue;
    const file = join(opts.outDir, r.file);
    writePrivateFile(file, r.render(report));
    files.push(file);
  }
  return files;
}
