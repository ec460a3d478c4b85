// `list` reporter: live progress on a TTY (one rewritten status line), one line per channel
// otherwise, then a summary with each failure.
import { channelStatus, gateTag, sourceOf, type ReportCheck, type RunReport } from './model.ts';

export interface ListWriter {
  write(s: string): unknown;
  isTTY?: boolean;
}

const MARK = { passed: 'ok  ', failed: 'FAIL', skipped: 'skip' } as const;

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
    const failed = checks.filter((c) => c.status === 'failed');
    const line = `${MARK[st]} ${channel}  (${checks.filter((c) => c.status === 'passed').length} passed${failed.length ? `, ${failed.length} failed: ${[...new Set(failed.map((c) => c.id))].join(', ')}` : ''})`;
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
  for (const f of r.checks.filter((c) => c.status === 'failed')) {
    const where = sourceOf(f);
    lines.push(`FAIL ${f.severity ? `[${f.severity}] ` : ''}${f.gate ? `${gateTag(f)} ` : ''}${f.id} ${f.channel ?? '(run)'}${f.stream ? ` [${f.stream}]` : ''}${where ? ` (${where})` : ''}: ${f.message}`);
    if (f.hint) lines.push(`     fix: ${f.hint}`);
    if (f.repro && f.gate?.state !== 'baselined' && f.gate?.state !== 'waived') lines.push(`     repro: ${f.repro}`);
  }
  for (const e of r.gate?.fixed ?? []) lines.push(`FIXED ${e.id} ${e.channel ?? '(run)'}: ${e.message}`);
  const g = r.gate;
  lines.push(`${r.summary.failed} failed${g ? ` (${g.new} new, ${g.baselined} baselined, ${g.waived} waived, ${g.fixed.length} fixed)` : ''}, ${r.summary.passed} passed, ${r.summary.skipped} skipped  (${r.pack}, ${r.runtime}, seed ${r.seed}, ${(r.durationMs / 1000).toFixed(2)} s)`);
  return `${lines.join('\n')}\n`;
}
