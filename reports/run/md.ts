// Markdown reporter: a pull-request comment. Summary line, per-channel table, then each failure
// with expected and actual in collapsible blocks.
import { byChannel, channelStatus, coverageLine, show, type RunReport } from './model.ts';

const ICON = { passed: '✅', failed: '❌', skipped: '⏭️' } as const;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const fence = (s: string) => {
  const ticks = /```/.test(s) ? '````' : '```';
  return `${ticks}json\n${s}\n${ticks}`;
};
const clip = (s: string, max = 4000) => (s.length > max ? `${s.slice(0, max)}\n… (${s.length - max} more characters)` : s);

export function renderMarkdown(r: RunReport): string {
  const { passed, failed, skipped } = r.summary;
  const lines: string[] = [];
  lines.push(`## ${failed ? ICON.failed : ICON.passed} Conform: \`${r.pack}\` against ${r.app}`);
  lines.push('');
  lines.push(`**${failed} failed**, ${passed} passed, ${skipped} skipped · runtime ${r.runtime} · seed ${r.seed} · ${(r.durationMs / 1000).toFixed(1)} s`);
  if (r.coverage) lines.push('', coverageLine(r.coverage));
  lines.push('');
  lines.push('| channel | status | passed | failed | skipped | failing checks |');
  lines.push('|---|---|---:|---:|---:|---|');
  for (const g of byChannel(r)) {
    const n = (s: string) => g.checks.filter((c) => c.status === s).length;
    const failing = [...new Set(g.checks.filter((c) => c.status === 'failed').map((c) => c.id))].map((id) => `\`${id}\``).join(', ');
    lines.push(`| \`${cell(g.channel)}\` | ${ICON[channelStatus(g.checks)]} | ${n('passed')} | ${n('failed')} | ${n('skipped')} | ${failing} |`);
  }
  const failures = r.checks.filter((c) => c.status === 'failed');
  if (failures.length) {
    lines.push('', '### Failures', '');
    for (const f of failures) {
      lines.push(`- ${f.severity ? `**[${f.severity}]** ` : ''}**\`${f.id}\`** on \`${f.channel ?? '(run)'}\`${f.stream ? ` (stream \`${f.stream}\`)` : ''}: ${cell(f.message)}`);
      lines.push('  <details><summary>expected / actual</summary>', '');
      lines.push(fence(clip(`// expected\n${show(f.expected)}\n// actual\n${show(f.actual)}`)).split('\n').map((l) => `  ${l}`).join('\n'));
      lines.push('', '  </details>');
    }
  }
  if (r.incidents.length) {
    lines.push('', '### Crashes and relaunches', '');
    for (const i of r.incidents) lines.push(`- \`${i.channel}\`: ${cell(i.reason)}`);
  }
  return `${lines.join('\n')}\n`;
}
