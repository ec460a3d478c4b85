// JUnit XML reporter: one <testsuite> per channel, one <testcase> per check, with `file` and `line`
// of the channel in the pack (CI links a failure to its source). Findings the gate accepted
// (baselined, waived) are <skipped> with the reason, so the XML agrees with the exit code. Written
// by hand: the format needs five elements and attribute escaping, less code than a builder library.
import { byChannel, failureText, gateAccepted, gateTag, type RunReport } from './model.ts';

const esc = (s: string) =>
  s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const secs = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

export function renderJunit(r: RunReport): string {
  const suites = byChannel(r);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const accepted = r.checks.filter(gateAccepted).length;
  out.push(`<testsuites name="conform ${esc(r.pack)}" tests="${r.checks.length}" failures="${r.summary.failed - accepted}" skipped="${r.summary.skipped + accepted}" time="${secs(r.durationMs)}">`);
  for (const s of suites) {
    const failures = s.checks.filter((c) => c.status === 'failed' && !gateAccepted(c)).length;
    const skipped = s.checks.filter((c) => c.status === 'skipped' || gateAccepted(c)).length;
    const time = s.checks.reduce((t, c) => t + (c.durationMs ?? 0), 0);
    out.push(`  <testsuite name="${esc(`${r.pack}/${s.channel}`)}" tests="${s.checks.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${secs(time)}">`);
    for (const c of s.checks) {
      const name = c.stream ? `${c.id} [${c.stream}]` : c.id;
      const at = c.source ? ` file="${esc(c.source.file)}" line="${c.source.line}"` : '';
      const open = `    <testcase classname="${esc(`${r.pack}.${s.channel}`)}" name="${esc(name)}" time="${secs(c.durationMs)}"${at}`;
      if (c.status === 'passed') {
        out.push(`${open}/>`);
      } else if (c.status === 'skipped') {
        out.push(`${open}>`, `      <skipped message="${esc(c.message)}"/>`, '    </testcase>');
      } else if (gateAccepted(c)) {
        out.push(`${open}>`, `      <skipped message="${esc(`${gateTag(c)} ${c.message}`)}"/>`, `      <system-out>${esc(failureText(c))}</system-out>`, '    </testcase>');
      } else {
        const body = failureText(c);
        const sev = `${c.severity ? `[${c.severity}] ` : ''}${c.gate ? `${gateTag(c)} ` : ''}`;
        out.push(`${open}>`, `      <failure message="${esc(sev + c.message)}" type="${esc(c.id)}">${esc(body)}</failure>`, '    </testcase>');
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
