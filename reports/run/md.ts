// Markdown reporter: a pull-request comment. Summary line, per-channel table, then each failure
// with expected and actual in collapsible blocks.
import { byChannel, channelStatus, type ChannelStatus, coverageLine, failureText, findingsText, gateFails, gateTag, type RunReport, show, sourceOf, unverifiedChannels } from './model.ts';

const ICON: Record<ChannelStatus, string> = { passed: '✅ passed', failed: '❌ failed', blocked: '⛔ blocked', warning: '⚠️ warning', unverified: '❔ unverified', partial: '◐ partial', skipped: '⏭️ skipped' };
const SEV = { error: '❌ error', warning: '⚠️ warning', info: 'ℹ️ info' } as const;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const fence = (s: string) => {
  const ticks = /```/.test(s) ? '````' : '```';
  return `${ticks}json\n${s}\n${ticks}`;
};
const clip = (s: string, max = 4000) => (s.length > max ? `${s.slice(0, max)}\n… (${s.length - max} more characters)` : s);

export function renderMarkdown(r: RunReport): string {
  const s = r.summary;
  const lines: string[] = [];
  // The headline icon follows the exit code (default --fail-on error): findings and blocked checks
  // the gate accepted (baselined, waived) do not make it red.
  const bad = gateFails(r.checks, 'error');
  lines.push(`## ${bad ? '❌' : s.warnings || s.unverified ? '⚠️' : '✅'} Conform: \`${r.pack}\` against ${r.app}`);
  lines.push('');
  const gate = r.gate ? ` · gate: ${r.gate.new} new, ${r.gate.baselined} baselined, ${r.gate.waived} waived, ${r.gate.fixed.length} fixed` : '';
  lines.push(`**${s.errors} errors**, ${s.warnings} warnings, ${s.infos} infos, ${s.blocked} blocked, ${s.unverified} unverified channels${gate} · ${s.passed} passed, ${s.skipped} skipped · runtime ${r.runtime} · seed ${r.seed} · ${(r.durationMs / 1000).toFixed(1)} s`);
  if (r.coverage) lines.push('', coverageLine(r.coverage));
  lines.push('');
  lines.push('| channel | status | passed | errors | warnings | infos | blocked | skipped | success value | findings |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---|---|');
  const unverified = new Set(unverifiedChannels(r.checks));
  for (const g of byChannel(r)) {
    const n = (f: (c: (typeof g.checks)[number]) => boolean) => g.checks.filter(f).length;
    const sev = (v: string) => n((c) => c.status === 'failed' && (c.severity ?? 'error') === v);
    const failing = [...new Set(g.checks.filter((c) => c.status === 'failed' && c.severity !== 'info').map((c) => c.id))].map((id) => `\`${id}\``).join(', ');
    lines.push(`| \`${cell(g.channel)}\` | ${ICON[channelStatus(g.checks)]} | ${n((c) => c.status === 'passed')} | ${sev('error')} | ${sev('warning')} | ${sev('info')} | ${n((c) => c.status === 'blocked')} | ${n((c) => c.status === 'skipped')} | ${unverified.has(g.channel) ? '❔ unverified' : g.checks.some((c) => c.id === 'returns.schema' && c.status !== 'passed') ? 'invalid' : g.checks.some((c) => c.id === 'returns.schema') ? 'validated' : ''} | ${failing} |`);
  }
  const failures = (['error', 'warning', 'info'] as const).flatMap((v) => r.checks.filter((c) => c.status === 'failed' && (c.severity ?? 'error') === v));
  const blocked = r.checks.filter((c) => c.status === 'blocked');
  if (blocked.length) {
    lines.push('', '### Blocked', '');
    for (const b of blocked) lines.push(`- ⛔${b.gate ? ` _${gateTag(b)}_` : ''} **\`${b.id}\`** on \`${b.channel ?? '(run)'}\`${b.stream ? ` (stream \`${b.stream}\`)` : ''}: ${cell(b.message)}`);
  }
  if (failures.length) {
    lines.push('', `### Findings (${findingsText(s)})`, '');
    for (const f of failures) {
      const where = sourceOf(f);
      lines.push(`- **${SEV[f.severity ?? 'error']}**${f.risk ? ` (risk ${f.risk})` : ''}${f.gate ? ` _${gateTag(f)}_` : ''} **\`${f.id}\`** on \`${f.channel ?? '(run)'}\`${f.stream ? ` (stream \`${f.stream}\`)` : ''}${where ? ` (\`${where}\`)` : ''}: ${cell(f.message)}`);
      if (f.assumption) lines.push(`  pack assumption: ${cell(f.assumption)}`);
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
