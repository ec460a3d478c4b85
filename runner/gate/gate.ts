// Baselines and waivers over finished check results: which findings are known (baselined),
// accepted for a reason (waived), new, or fixed. Pure: no files, no clock (today is passed in).
import { createHash } from 'node:crypto';
import type { CheckResult } from '../checks/types.ts';
import { failingChecks, type FailOn } from '../../reports/run/model.ts';

/** One recorded finding of a baseline file. */
export interface BaselineEntry {
  id: string;
  channel: string | null;
  stream?: string;
  fingerprint: string;
  /** The message when it was recorded, for humans reading the file or the "fixed" list. */
  message: string;
}

export interface Baseline {
  /** Where it was read from (shown in reports). */
  file?: string;
  findings: BaselineEntry[];
}

export interface Waiver {
  check: string;
  /** Omitted: every channel (and run-wide results) of that check. */
  channel?: string | null;
  reason: string;
  /** ISO date `YYYY-MM-DD`; the waiver holds through that day (UTC). */
  expires?: string;
  /** `file:line` it was written at, for messages. */
  at?: string;
}

/** What the gate decided about one finding. */
export interface GateMark {
  state: 'new' | 'baselined' | 'waived';
  reason?: string;
  expires?: string;
  at?: string;
}

export type GatedCheck<C extends CheckResult = CheckResult> = C & { fingerprint?: string; gate?: GateMark };

export interface GateSummary {
  baseline?: string;
  waivers?: string;
  new: number;
  baselined: number;
  waived: number;
  /** Baseline entries no finding of this run matched (on channels the run checked). */
  fixed: BaselineEntry[];
}

export interface GateOptions {
  baseline?: Baseline;
  waivers?: Waiver[];
  waiversFile?: string;
  /** `YYYY-MM-DD` (UTC): waivers with an earlier expiry have expired. */
  today: string;
  /** Whether the run checked a channel (null: run-wide); default every channel. */
  ran?: (channel: string | null) => boolean;
}

/** Numbers and quoted values vary from run to run (durations, counts, generated inputs); the kind of failure does not. */
function normalizeMessage(message: string): string {
  return message
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/\d+(?:\.\d+)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Stable fingerprint of a finding: check id, channel, stream and the normalized message. */
export function fingerprint(c: Pick<CheckResult, 'id' | 'channel' | 'stream' | 'message'>): string {
  return createHash('sha256').update([c.id, c.channel ?? '', c.stream ?? '', normalizeMessage(c.message)].join('\u0000')).digest('hex').slice(0, 16);
}

const key = (id: string, channel: string | null | undefined, fp: string) => `${id}\u0000${channel ?? ''}\u0000${fp}`;

/** The findings of a run as baseline entries, sorted so the file diffs well in review. */
export function baselineEntries(checks: CheckResult[]): BaselineEntry[] {
  return checks
    .filter((c) => (c.status === 'failed' || c.status === 'blocked') && !c.id.startsWith('gate.'))
    .map((c) => ({ id: c.id, channel: c.channel, ...(c.stream ? { stream: c.stream } : {}), fingerprint: fingerprint(c), message: c.message }))
    .sort((a, b) => `${a.channel ?? ''} ${a.id} ${a.fingerprint}`.localeCompare(`${b.channel ?? ''} ${b.id} ${b.fingerprint}`));
}

export function waiverExpired(w: Waiver, today: string): boolean {
  return w.expires !== undefined && w.expires < today;
}

function waiverMatches(w: Waiver, c: CheckResult): boolean {
  return w.check === c.id && (w.channel === undefined || w.channel === c.channel);
}

/**
 * Marks every finding (failed result, of any severity) and every blocked check new / baselined /
 * waived, adds a failed `gate.waiver-expired` error per expired waiver, and lists the baseline
 * entries that were fixed. Passed and skipped results go through unchanged.
 */
export function applyGate<C extends CheckResult>(checks: C[], o: GateOptions): { checks: GatedCheck<C>[]; summary: GateSummary } {
  const ran = o.ran ?? (() => true);
  const waivers = o.waivers ?? [];
  const live = waivers.filter((w) => !waiverExpired(w, o.today));
  const remaining = new Map<string, BaselineEntry[]>();
  for (const e of o.baseline?.findings ?? []) {
    const k = key(e.id, e.channel, e.fingerprint);
    remaining.set(k, [...(remaining.get(k) ?? []), e]);
  }
  const summary: GateSummary = {
    ...(o.baseline?.file ? { baseline: o.baseline.file } : {}),
    ...(o.waiversFile ? { waivers: o.waiversFile } : {}),
    new: 0, baselined: 0, waived: 0, fixed: [],
  };
  const out: GatedCheck<C>[] = checks.map((c) => {
    if (c.status !== 'failed' && c.status !== 'blocked') return c;
    const fp = fingerprint(c);
    // A baseline entry is consumed by the finding it matches, waived or not, so it is never "fixed".
    const known = remaining.get(key(c.id, c.channel, fp));
    const inBaseline = !!known?.length && !!known.shift();
    const waiver = live.find((w) => waiverMatches(w, c));
    let gate: GateMark | undefined;
    if (waiver) gate = { state: 'waived', reason: waiver.reason, ...(waiver.expires ? { expires: waiver.expires } : {}), ...(waiver.at ? { at: waiver.at } : {}) };
    else if (inBaseline) gate = { state: 'baselined' };
    else if (o.baseline) gate = { state: 'new' };
    if (gate) summary[gate.state]++;
    return { ...c, fingerprint: fp, ...(gate ? { gate } : {}) };
  });
  for (const w of waivers.filter((x) => waiverExpired(x, o.today))) {
    const expired = {
      id: 'gate.waiver-expired', channel: w.channel ?? null, status: 'failed', severity: 'error', fingerprint: '',
      message: `the waiver of ${w.check}${w.channel ? ` on ${w.channel}` : ''}${w.at ? ` (${w.at})` : ''} expired on ${w.expires}: renew it or fix the finding (reason given: ${w.reason})`,
      expected: `a waiver expiring on or after ${o.today}`, actual: { check: w.check, channel: w.channel ?? '(any)', expires: w.expires, reason: w.reason },
    } as unknown as GatedCheck<C>;
    expired.fingerprint = fingerprint(expired);
    out.push(expired);
  }
  for (const list of remaining.values()) summary.fixed.push(...list.filter((e) => ran(e.channel)));
  return { checks: out, summary };
}

/**
 * Results that fail the run: findings at or above `failOn` and blocked checks, neither baselined
 * nor waived (reports/run/model.ts failingChecks, the one rule behind the exit code).
 */
export function blockingFailures<C extends CheckResult>(checks: GatedCheck<C>[], failOn: FailOn = 'error'): GatedCheck<C>[] {
  return failingChecks(checks, failOn);
}

interface GateableReport {
  checks: CheckResult[];
  channels: string[];
  selected?: string[];
  gate?: GateSummary;
}

/**
 * The report with its findings gated: the entry point for `conform run` and `merge-reports`.
 * Baseline entries count as fixed only on channels the report checked.
 */
export function gateReport<R extends GateableReport>(report: R, o: Omit<GateOptions, 'ran'>): R {
  if (!o.baseline && !o.waivers?.length) return report;
  const known = new Set(report.channels);
  const checked = new Set(report.selected ?? report.channels);
  const { checks, summary } = applyGate(report.checks, { ...o, ran: (ch) => ch === null || !known.has(ch) || checked.has(ch) });
  return { ...report, checks, gate: summary };
}
