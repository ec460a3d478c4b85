// The report of one `conform run`: what every reporter renders. The JSON reporter writes exactly
// the shape of issue 5; `timelines` and `stderr` are extra data for the HTML report only.
import type { CheckResult, CheckStatus } from '../../runner/checks/types.ts';

/** One check result as reported: the checks' own result shape (stream and severity are extras of the JSON shape). */
export type ReportCheck = CheckResult;

export interface StreamTimeline {
  stream: string;
  mode: 'run' | 'abort';
  /** Valid input the stream was started with (0 = the documented example). */
  input?: number;
  start: string;
  events: { channel: string; atMs: number; afterEnd?: boolean }[];
  end: string;
  durationMs: number;
  abortAtMs?: number;
}

export interface RunReport {
  tool: 'conform';
  version: string;
  pack: string;
  app: string;
  runtime: 'electron' | 'standin' | 'tauri-webdriver';
  seed: number;
  durationMs: number;
  summary: { passed: number; failed: number; skipped: number };
  checks: ReportCheck[];
  timelines: StreamTimeline[];
  /** Channel order of the pack, so reporters group channels the way the contract lists them. */
  channels: string[];
  /** Crashes and relaunches during the run, with the last stderr lines (already redacted). */
  incidents: { channel: string; reason: string; stderrTail: string[] }[];
}

export function summarize(checks: Pick<CheckResult, 'status'>[]): RunReport['summary'] {
  const s = { passed: 0, failed: 0, skipped: 0 };
  for (const c of checks) s[c.status]++;
  return s;
}

/** Checks grouped by channel in pack order; run-wide checks (channel null) under '(run)'. */
export function byChannel(report: RunReport): { channel: string; checks: ReportCheck[] }[] {
  const groups = new Map<string, ReportCheck[]>();
  for (const ch of report.channels) groups.set(ch, []);
  for (const c of report.checks) {
    const key = c.channel ?? '(run)';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(c);
  }
  return [...groups].filter(([, cs]) => cs.length > 0).map(([channel, checks]) => ({ channel, checks }));
}

export function channelStatus(checks: ReportCheck[]): CheckStatus {
  if (checks.some((c) => c.status === 'failed')) return 'failed';
  if (checks.some((c) => c.status === 'passed')) return 'passed';
  return 'skipped';
}

/** Pretty JSON for expected/actual (undefined shown as the word). */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}
