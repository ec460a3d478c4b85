// JUnit XML reporter: one <testsuite> per channel, one <testcase> per check, with `file` and `line`
// of the channel in the pack (CI links a failure to its source). Findings the gate accepted
// (baselined, waived) are <skipped> with the reason, so the XML agrees with the exit code. Written
// by hand: the format needs five elements and attribute escaping, less code than a builder library.
import { byChannel, coverageLine, failureText, gateAccepted, gateTag, type ReportCheck, type RunReport, unverifiedChannels } from './model.ts';

const esc = (s: string) =>
  s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const secs = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

// JUnit has passed / failure / error / skipped. Error and warning findings are <failure>s (the
// gate's --fail-on decides the exit code, not the XML); blocked checks are <error>s (they could not
// run); info findings and skips are <skipped> with the severity in the message, never a pass.
// Findings and blocked checks the gate accepted (baselined, waived) are <skipped> with the gate's reason.
const isFailure = (c: ReportCheck) => c.status === 'failed' && c.severity !== 'info' && !gateAccepted(c);
const isError = (c: ReportCheck) => c.status === 'blocked' && !gateAccepted(c);
const isSkip = (c: ReportCheck) => c.status === 'skipped' || (c.status === 'failed' && c.severity === 'info') || gateAccepted(c);

export function renderJunit(r: RunReport): string {
  const suites = byChannel(r);
  const unverified = new Set(unverifiedChannels(r.checks));
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = r.checks;
  out.push(`<testsuites name="conform ${esc(r.pack)}" tests="${all.length}" failures="${all.filter(isFailure).length}" errors="${all.filter(isError).length}" skipped="${all.filter(isSkip).length}" time="${secs(r.durationMs)}">`);
  if (r.coverage) out.push(`  <!-- ${esc(coverageLine(r.coverage)).replace(/--/g, '- -')} -->`);
  for (const s of suites) {
    const failures = s.checks.filter(isFailure).length;
    const errors = s.checks.filter(isError).length;
    const skipped = s.checks.filter(isSkip).length;
    const time = s.checks.reduce((t, c) => t + (c.durationMs ?? 0), 0);
    out.push(`  <testsuite name="${esc(`${r.pack}/${s.channel}`)}" tests="${s.checks.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${secs(time)}">`);
    // Severity counts (and whether the success value was ever validated) as suite properties.
    const sev = (v: string) => s.checks.filter((c) => c.status === 'failed' && (c.severity ?? 'error') === v).length;
    const props = [['errors', sev('error')], ['warnings', sev('warning')], ['infos', sev('info')], ['blocked', errors]].map(([k, v]) => `<property name="${k}" value="${v}"/>`);
    if (unverified.has(s.channel)) props.push('<property name="unverified" value="the success value was never validated"/>');
    out.push(`    <properties>${props.join('')}</properties>`);
    for (const c of s.checks) {
      const name = c.stream ? `${c.id} [${c.stream}]` : c.id;
      const at = c.source ? ` file="${esc(c.source.file)}" line="${c.source.line}"` : '';
      const open = `    <testcase classname="${esc(`${r.pack}.${s.channel}`)}" name="${esc(name)}" time="${secs(c.durationMs)}"${at}`;
      const tags = [c.severity, c.risk && `risk ${c.risk}`].filter(Boolean);
      const sev = `${tags.length ? `[${tags.join(', ')}] ` : ''}${c.gate ? `${gateTag(c)} ` : ''}`;
      const body = () => `${failureText(c)}${c.assumption ? `\n\npack assumption: ${c.assumption}` : ''}`;
      if (c.status === 'passed') {
        out.push(`${open}/>`);
      } else if (gateAccepted(c)) {
        out.push(`${open}>`, `      <skipped message="${esc(sev + c.message)}"/>`, `      <system-out>${esc(body())}</system-out>`, '    </testcase>');
      } else if (isSkip(c)) {
        out.push(`${open}>`, `      <skipped message="${esc(sev + c.message)}"/>`, '    </testcase>');
      } else if (c.status === 'blocked') {
        out.push(`${open}>`, `      <error message="${esc(sev + c.message)}" type="blocked">${esc(c.blockedBy ? `blocked by ${c.blockedBy.id} on ${c.blockedBy.channel ?? '(run)'}: ${c.blockedBy.message}` : '')}</error>`, '    </testcase>');
      } else {
        out.push(`${open}>`, `      <failure message="${esc(sev + c.message)}" type="${esc(c.id)}">${esc(body())}</failure>`, '    </testcase>');
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
