// JUnit XML reporter: one <testsuite> per channel, one <testcase> per check. Written by hand: the
// format needs five elements and attribute escaping, less code than adapting a builder library.
import { byChannel, coverageLine, show, type RunReport } from './model.ts';

const esc = (s: string) =>
  s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const secs = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

export function renderJunit(r: RunReport): string {
  const suites = byChannel(r);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="conform ${esc(r.pack)}" tests="${r.checks.length}" failures="${r.summary.failed}" skipped="${r.summary.skipped}" time="${secs(r.durationMs)}">`);
  if (r.coverage) out.push(`  <!-- ${esc(coverageLine(r.coverage)).replace(/--/g, '- -')} -->`);
  for (const s of suites) {
    const failures = s.checks.filter((c) => c.status === 'failed').length;
    const skipped = s.checks.filter((c) => c.status === 'skipped').length;
    const time = s.checks.reduce((t, c) => t + (c.durationMs ?? 0), 0);
    out.push(`  <testsuite name="${esc(`${r.pack}/${s.channel}`)}" tests="${s.checks.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${secs(time)}">`);
    for (const c of s.checks) {
      const name = c.stream ? `${c.id} [${c.stream}]` : c.id;
      const open = `    <testcase classname="${esc(`${r.pack}.${s.channel}`)}" name="${esc(name)}" time="${secs(c.durationMs)}"`;
      if (c.status === 'passed') {
        out.push(`${open}/>`);
      } else if (c.status === 'skipped') {
        out.push(`${open}>`, `      <skipped message="${esc(c.message)}"/>`, '    </testcase>');
      } else {
        const body = `expected:\n${show(c.expected)}\n\nactual:\n${show(c.actual)}`;
        const sev = c.severity ? `[${c.severity}] ` : '';
        out.push(`${open}>`, `      <failure message="${esc(sev + c.message)}" type="${esc(c.id)}">${esc(body)}</failure>`, '    </testcase>');
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
