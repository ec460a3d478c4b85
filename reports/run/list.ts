// `list` reporter: live progress on a TTY (one rewritten status line), one line per channel
// otherwise, then a summary with each failure.
import { channelStatus, type ChannelStatus, coverageLine, findingsText, gateAccepted, gateTag, sourceOf, type ReportCheck, type RunReport, unverifiedChannels } from './model.ts';

export interface ListWriter {
  write(s: string): unknown;
  isTTY?: boolean;
}

const MARK: Record<ChannelStatus, string> = { passed: 'ok  ', failed: 'FAIL', blocked: 'BLKD', warning: 'WARN', unverified: 'UNVR', partial: 'part', skipped: 'skip' };
const TAG = { error: 'ERROR', warning: 'WARN ', info: 'info ' } as const;

export class ListReporter {
  private done = 0;
  private started = 0;
  /** `total`: number of channel groups, when known (0: show a count only). */
  constructor(private readonly out: ListWriter, private readonly total = 0) {}

  /** Before a channel group runs (TTY only: a progress line). */
  channelStarted(channel: string): void {
    this.started++;
    if (!this.out.isTTY) return;
    this.out.write(`\r\x1b[2K[${this.started}${this.total ? `/${this.total}` : ''}] ${channel} …`);
  }

  /** After a channel's checks are judged. */
  channelDone(channel: string, checks: ReportCheck[]): void {
    this.done++;
    const st = channelStatus(checks);
    const n = (f: (c: ReportCheck) => boolean) => checks.filter(f).length;
    const failed = checks.filter((c) => c.status === 'failed' && c.severity !== 'info');
    const parts = [`${n((c) => c.status === 'passed')} passed`];
    if (failed.length) parts.push(`${failed.length} failed: ${[...new Set(failed.map((c) => c.id))].join(', ')}`);
    for (const [w, f] of [['blocked', (c: ReportCheck) => c.status === 'blocked'], ['skipped', (c: ReportCheck) => c.status === 'skipped'], ['info', (c: ReportCheck) => c.status === 'failed' && c.severity === 'info']] as const) {
      if (n(f)) parts.push(`${n(f)} ${w}`);
    }
    const line = `${MARK[st]} ${channel}  (${parts.join(', ')}${unverifiedChannels(checks).length ? '; success value never validated' : ''})`;
    this.out.write(this.out.isTTY ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }

  note(message: string): void {
    this.out.write(`${this.out.isTTY ? '\r\x1b[2K' : ''}${message}\n`);
  }

  finish(r: RunReport): void {
    this.out.write(renderListSummary(r));
  }
}

export function renderListSummary(r: RunReport): string {
  const lines: string[] = [''];
  // Worst first: errors, then warnings, then what the app did where the contract is silent. Each
  // with its gate mark ([new], [baselined], [waived: reason]), pack location, fix hint and repro.
  const where = (c: ReportCheck) => {
    const at = sourceOf(c);
    return `${c.id} ${c.channel ?? '(run)'}${c.stream ? ` [${c.stream}]` : ''}${at ? ` (${at})` : ''}${c.risk ? ` (risk ${c.risk})` : ''}`;
  };
  const gated = (c: ReportCheck) => (c.gate ? `${gateTag(c)} ` : '');
  for (const sev of ['error', 'warning', 'info'] as const) {
    for (const f of r.checks.filter((c) => c.status === 'failed' && (c.severity ?? 'error') === sev)) {
      lines.push(`${TAG[sev]} ${gated(f)}${where(f)}: ${f.message}`);
      // A launch failure explains itself with the app's own last output lines.
      const output = (f.actual as { output?: unknown } | undefined)?.output;
      if (f.id === 'app.launch' && Array.isArray(output) && output.length) {
        lines.push(`  last ${output.length} output line(s) of the app:`, ...output.map((l) => `  | ${String(l)}`));
      }
      if (f.hint) lines.push(`     fix: ${f.hint}`);
      if (f.repro && !gateAccepted(f)) lines.push(`     repro: ${f.repro}`);
    }
  }
  for (const b of r.checks.filter((c) => c.status === 'blocked')) lines.push(`BLOCKED ${gated(b)}${where(b)}: ${b.message}`);
  for (const e of r.gate?.fixed ?? []) lines.push(`FIXED ${e.id} ${e.channel ?? '(run)'}: ${e.message}`);
  const unverified = unverifiedChannels(r.checks);
  if (unverified.length) lines.push(`UNVERIFIED (success value never validated): ${unverified.join(', ')}`);
  const s = r.summary;
  const g = r.gate;
  const gateText = g ? ` (${g.new} new, ${g.baselined} baselined, ${g.waived} waived, ${g.fixed.length} fixed)` : '';
  lines.push(`${findingsText(s)}; ${s.passed} passed, ${s.failed} findings${gateText}, ${s.skipped} skipped  (${r.pack}, ${r.runtime}, seed ${r.seed}, ${(r.durationMs / 1000).toFixed(2)} s)`);
  if (r.coverage) lines.push(coverageLine(r.coverage));
  return `${lines.join('\n')}\n`;
}
