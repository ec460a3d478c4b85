// The report of one `conform run`: what every reporter renders. The JSON reporter writes exactly
// the shape of issue 5; `timelines` and `stderr` are extra data for the HTML report only.
import type { CheckResult, CheckStatus, Severity } from '../../runner/checks/types.ts';
import type { SchemaCoverage } from '../../runner/checks/coverage.ts';

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
  runtime: 'electron' | 'standin';
  seed: number;
  durationMs: number;
  summary: RunSummary;
  checks: ReportCheck[];
  timelines: StreamTimeline[];
  /** Channel order of the pack, so reporters group channels the way the contract lists them. */
  channels: string[];
  /** Crashes and relaunches during the run, with the last stderr lines (already redacted). */
  incidents: { channel: string; reason: string; stderrTail: string[] }[];
  /** How many schema checks met a stated schema versus x-unspecified (runner/checks/coverage.ts). */
  coverage?: SchemaCoverage;
}

export interface RunSummary {
  passed: number;
  /** Findings (failed results) of every severity. */
  failed: number;
  skipped: number;
  /** Checks that could not run because something they need failed. */
  blocked: number;
  /** Findings by severity: contract violations, assumption/drift warnings, observations. */
  errors: number;
  warnings: number;
  infos: number;
  /** Callable channels whose success value was never validated (returns.schema did not pass). */
  unverified: number;
}

export function summarize(checks: Pick<CheckResult, 'status' | 'severity' | 'id' | 'channel'>[]): RunSummary {
  const s: RunSummary = { passed: 0, failed: 0, skipped: 0, blocked: 0, errors: 0, warnings: 0, infos: 0, unverified: 0 };
  for (const c of checks) {
    s[c.status]++;
    if (c.status !== 'failed') continue;
    if (c.severity === 'warning') s.warnings++;
    else if (c.severity === 'info') s.infos++;
    else s.errors++;
  }
  s.unverified = unverifiedChannels(checks).length;
  return s;
}

/** Channels whose success value was never validated: their returns.schema result is skipped or blocked. */
export function unverifiedChannels(checks: Pick<CheckResult, 'status' | 'id' | 'channel'>[]): string[] {
  return [...new Set(checks.filter((c) => c.id === 'returns.schema' && (c.status === 'skipped' || c.status === 'blocked') && c.channel).map((c) => c.channel!))];
}

export type FailOn = 'error' | 'warning';
const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Does the run fail the gate? Any finding at or above `failOn`, or any blocked check. */
export function gateFails(checks: Pick<CheckResult, 'status' | 'severity'>[], failOn: FailOn = 'error'): boolean {
  return checks.some((c) => c.status === 'blocked' || (c.status === 'failed' && RANK[c.severity ?? 'error'] >= RANK[failOn]));
}

/**
 * How a channel did, worst first: `failed` (an error finding), `blocked`, `warning`, `unverified`
 * (its success value was never validated), `partial` (some checks skipped), `passed`; `skipped`
 * when nothing ran. Infos do not change a channel's status; a skip never shows as passed.
 */
export type ChannelStatus = 'failed' | 'blocked' | 'warning' | 'unverified' | 'partial' | 'passed' | 'skipped';

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

export function channelStatus(checks: ReportCheck[]): ChannelStatus {
  const finding = (sev: Severity) => checks.some((c) => c.status === 'failed' && (c.severity ?? 'error') === sev);
  if (finding('error')) return 'failed';
  if (checks.some((c) => c.status === 'blocked')) return 'blocked';
  if (finding('warning')) return 'warning';
  if (!checks.some((c) => c.status === 'passed' || c.status === 'failed')) return 'skipped';
  if (unverifiedChannels(checks).length) return 'unverified';
  if (checks.some((c) => c.status === 'skipped')) return 'partial';
  return 'passed';
}

/** `3 errors, 1 warning, 2 infos, 1 blocked, 2 unverified` (only non-zero parts; 'no findings' when none). */
export function findingsText(s: RunSummary): string {
  const parts = [[s.errors, 'error'], [s.warnings, 'warning'], [s.infos, 'info'], [s.blocked, 'blocked'], [s.unverified, 'unverified']] as const;
  const out = parts.filter(([n]) => n > 0).map(([n, w]) => `${n} ${w}${n !== 1 && w !== 'blocked' && w !== 'unverified' ? 's' : ''}`);
  return out.length ? out.join(', ') : 'no findings';
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

/** The one summary line every reporter prints. */
export function coverageLine(c: SchemaCoverage): string {
  const pct = c.schemaChecks ? Math.round((100 * c.verified) / c.schemaChecks) : 100;
  return `schema coverage: ${c.verified} of ${c.schemaChecks} schema checks verified against a stated schema (${pct}%), ${c.partial} partly (x-unspecified parts), ${c.unspecified} unverified (x-unspecified)${c.unspecifiedChannels.length ? `; ${c.unspecifiedChannels.length} channels with unspecified schemas` : ''}`;
}
