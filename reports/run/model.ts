// The report of one `conform run`: what every reporter renders. The JSON reporter writes exactly
// the shape of issue 5; `timelines` and `stderr` are extra data for the HTML report only.
import type { CheckResult, CheckStatus, Severity } from '../../runner/checks/types.ts';
import type { SchemaCoverage } from '../../runner/checks/coverage.ts';
import type { GateMark, GateSummary } from '../../runner/gate/gate.ts';

/**
 * One check result as reported: the checks' own result shape plus where the channel is written
 * in the pack, a command that reproduces a failure, and what the gate (baseline, waivers) decided.
 */
export type ReportCheck = CheckResult & {
  /** The channel's place in the pack (`file` relative to the working folder when under it). */
  source?: { file: string; line: number };
  /** Copy-paste command that runs just this channel again with the same seed (failures only). */
  repro?: string;
  fingerprint?: string;
  gate?: GateMark;
};

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
  summary: RunSummary;
  checks: ReportCheck[];
  timelines: StreamTimeline[];
  /** Channel order of the pack, so reporters group channels the way the contract lists them. */
  channels: string[];
  /** Crashes and relaunches during the run, with the last stderr lines (already redacted). */
  incidents: { channel: string; reason: string; stderrTail: string[] }[];
  /** How many schema checks met a stated schema versus x-unspecified (runner/checks/coverage.ts). */
  coverage?: SchemaCoverage;
  /** Channels this run checked (a --grep or --shard run checks part of the pack). */
  selected?: string[];
  /** Set when the run was one shard (`--shard i/n`). */
  shard?: { index: number; total: number };
  /** Set on a merged report: each shard's wall time and channel count. */
  shards?: { index: number; durationMs: number; channels: number }[];
  /** Set when a baseline or waivers judged the findings. */
  gate?: GateSummary;
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

/**
 * The results that fail the run: findings at or above `failOn` and blocked checks, unless the gate
 * (baseline, waivers) accepted them. The one rule behind the exit code of `run` and `merge-reports`.
 */
export function failingChecks<C extends Pick<ReportCheck, 'status' | 'severity' | 'gate'>>(checks: C[], failOn: FailOn = 'error'): C[] {
  return checks.filter((c) => !gateAccepted(c) && (c.status === 'blocked' || (c.status === 'failed' && RANK[c.severity ?? 'error'] >= RANK[failOn])));
}

/** Does the run fail the gate? Any failing check (see failingChecks). */
export function gateFails(checks: Pick<ReportCheck, 'status' | 'severity' | 'gate'>[], failOn: FailOn = 'error'): boolean {
  return failingChecks(checks, failOn).length > 0;
}

/** The exit code of a finished run or merged report: 130 interrupted, 1 when it fails the gate, else 0. */
export function exitCodeOf(report: Pick<RunReport, 'checks'>, failOn: FailOn = 'error', interrupted = false): number {
  if (interrupted) return 130;
  return gateFails(report.checks, failOn) ? 1 : 0;
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
  // No schema check ran (the app never launched, or only event channels): nothing was verified.
  if (!c.schemaChecks) return `schema coverage: no schema check ran${c.unspecifiedChannels.length ? `; ${c.unspecifiedChannels.length} channels with unspecified schemas` : ''}`;
  const pct = Math.round((100 * c.verified) / c.schemaChecks);
  return `schema coverage: ${c.verified} of ${c.schemaChecks} schema checks verified against a stated schema (${pct}%), ${c.partial} partly (x-unspecified parts), ${c.unspecified} unverified (x-unspecified)${c.unspecifiedChannels.length ? `; ${c.unspecifiedChannels.length} channels with unspecified schemas` : ''}`;
}

/** The value at a JSON pointer (ajv instance path, '' = the whole value); undefined when absent. */
export function atPointer(value: unknown, pointer: string): unknown {
  if (!pointer) return value;
  let v = value;
  for (const raw of pointer.split('/').slice(1)) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/**
 * Where in the value an issue points: ajv reports an undocumented property at its parent object;
 * the offending value is the property itself.
 */
export function issuePath(i: { path: string; message: string; keyword?: string }): string {
  const extra = i.keyword === 'additionalProperties' || i.keyword === 'unevaluatedProperties' ? /property '([^']+)'/.exec(i.message)?.[1] : undefined;
  return extra === undefined ? i.path : `${i.path}/${extra.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Each schema issue of a failed result with the received value at its path: what to fix, in the value's words. */
export function offendingValues(c: ReportCheck): { path: string; message: string; value: unknown }[] {
  return (c.issues ?? []).map((i) => ({ path: issuePath(i), message: i.message, value: atPointer(c.actual, issuePath(i)) }));
}

/** A failed result the gate accepted (known in the baseline, or waived): shown, but not failing the run. */
export function gateAccepted(c: Pick<ReportCheck, 'status' | 'gate'>): boolean {
  return (c.status === 'failed' || c.status === 'blocked') && (c.gate?.state === 'baselined' || c.gate?.state === 'waived');
}

/** `[baselined]`, `[waived: reason]` or `[new]` for a gated finding, else ''. */
export function gateTag(c: ReportCheck): string {
  if (!c.gate) return '';
  return `[${c.gate.state}${c.gate.state === 'waived' ? `: ${c.gate.reason}${c.gate.expires ? `, until ${c.gate.expires}` : ''}` : ''}]`;
}

/** A value on one line, strings quoted (so "1" and 1 differ), clipped. */
export function showValue(v: unknown, max = 200): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : show(v).replace(/\s*\n\s*/g, ' ');
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** `file:line` of the channel in the pack, when known. */
export function sourceOf(c: ReportCheck): string | undefined {
  return c.source ? `${c.source.file}:${c.source.line}` : undefined;
}

/** Pretty JSON, one entry per line with the JSON pointer the line shows (for highlighting paths). */
export function jsonLines(value: unknown): { text: string; path: string }[] {
  const out: { text: string; path: string }[] = [];
  const walk = (v: unknown, path: string, pad: string, label: string, comma: string) => {
    if (v !== null && typeof v === 'object') {
      const arr = Array.isArray(v);
      const entries: [string, unknown][] = arr ? (v as unknown[]).map((x, i) => [String(i), x]) : Object.entries(v as object);
      const [open, close] = arr ? ['[', ']'] : ['{', '}'];
      if (entries.length === 0) {
        out.push({ text: `${pad}${label}${open}${close}${comma}`, path });
        return;
      }
      out.push({ text: `${pad}${label}${open}`, path });
      entries.forEach(([k, x], i) => {
        const child = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        walk(x, child, `${pad}  `, arr ? '' : `${JSON.stringify(k)}: `, i < entries.length - 1 ? ',' : '');
      });
      out.push({ text: `${pad}${close}${comma}`, path });
      return;
    }
    out.push({ text: `${pad}${label}${v === undefined ? 'undefined' : JSON.stringify(v)}${comma}`, path });
  };
  walk(value, '', '', '', '');
  return out;
}

/** The failure detail as plain text (JUnit bodies, CTRF traces, Markdown blocks): input, offending values, expected/actual, where, fix, repro. */
export function failureText(c: ReportCheck): string {
  const parts: string[] = [];
  const where = sourceOf(c);
  if (where) parts.push(`pack: ${where}`);
  if (c.hint) parts.push(`fix: ${c.hint}`);
  if (c.input !== undefined) parts.push(`input sent:\n${show(c.input)}`);
  const off = offendingValues(c);
  if (off.length) parts.push(`offending values:\n${off.map((o) => `  ${o.path || '(root)'} ${o.message}${o.value !== undefined && o.path ? `, got ${showValue(o.value)}` : ''}`).join('\n')}`);
  parts.push(`expected:\n${show(c.expected)}`, `actual:\n${show(c.actual)}`);
  if (c.repro) parts.push(`reproduce:\n  ${c.repro}`);
  return parts.join('\n\n');
}
