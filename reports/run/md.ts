// Markdown reporter: a pull-request comment. Summary line, per-channel table, then each failure
// with expected and actual in collapsible blocks.
import { byChannel, channelStatus, failureText, gateAccepted, gateTag, sourceOf, type RunReport } from './model.ts';

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
  // The headline icon follows the exit code: findings the gate accepted do not make it red.
  const blocking = r.checks.filter((c) => c.status === 'failed' && !gateAccepted(c)).length;
  lines.push(`## ${blocking ? ICON.failed : ICON.passed} Conform: \`${r.pack}\` against ${r.app}`);
  lines.push('');
  const gate = r.gate ? ` (${r.gate.new} new, ${r.gate.baselined} baselined, ${r.gate.waived} waived, ${r.gate.fixed.length} fixed)` : '';
  lines.push(`**${failed} failed**${gate}, ${passed} passed, ${skipped} skipped · runtime ${r.runtime} · seed ${r.seed} · ${(r.durationMs / 1000).toFixed(1)} s`);
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
      const where = sourceOf(f);
      lines.push(`- ${f.severity ? `**[${f.severity}]** ` : ''}${f.gate ? `_${gateTag(f)}_ ` : ''}**\`${f.id}\`** on \`${f.channel ?? '(run)'}\`${f.stream ? ` (stream \`${f.stream}\`)` : ''}${where ? ` (\`${where}\`)` : ''}: ${cell(f.message)}`);
      if (f.hint) lines.push(`  fix: ${cell(f.hint)}`);
      if (f.repro) lines.push(`  repro: \`${f.repro}\``);
      lines.push('  <details><summary>input, offending values, expected / actual</summary>', '');
      lines.push(fence(clip(failureText(f))).split('\n').map((l) => `  ${l}`).join('\n'));
      lines.push('', '  </details>');
    }
  }
  if (r.gate?.fixed.length) {
    lines.push('', `### Fixed since the baseline (${r.gate.fixed.length})`, '');
    for (const e of r.gate.fixed) lines.push(`- \`${e.id}\` on \`${e.channel ?? '(run)'}\`: ${cell(e.message)}`);
  }
  if (r.incidents.length) {
    lines.push('', '### Crashes and relaunches', '');
    for (const i of r.incidents) lines.push(`- \`${i.channel}\`: ${cell(i.reason)}`);
  }
  return `${lines.join('\n')}\n`;
}
