// Renderers: the same DiffReport as JSON (stable, for tools), Markdown (for PR comments) and a
// self-contained HTML page. They only format; every judgement is made by the rules.
import type { Change, DiffReport, Severity } from '../../specs/diff/types.ts';
import { SEVERITIES } from '../../specs/diff/types.ts';

/** Stable JSON: keys in a fixed order (see README), changes already sorted by the engine. */
export function renderJson(r: DiffReport): string {
  const changes = r.changes.map((c) => {
    const o: Record<string, unknown> = {};
    for (const k of ['rule', 'severity', 'channel', 'stream', 'location', 'path', 'message', 'breaks', 'before', 'after'] as const) {
      if (c[k] !== undefined) o[k] = k === 'breaks' ? { who: c.breaks.who, what: c.breaks.what } : c[k];
    }
    return o;
  });
  const doc = {
    format: r.format,
    old: { pack: r.old.pack, source: r.old.source },
    new: { pack: r.new.pack, source: r.new.source },
    summary: { breaking: r.summary.breaking, warning: r.summary.warning, info: r.summary.info },
    changes,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

const heading = (r: DiffReport) => (r.format === 'conform-drift/1' ? `Contract drift: ${r.old.pack} vs the running app` : `Contract diff: ${r.old.pack} → ${r.new.pack}`);

const TITLE: Record<Severity, string> = { breaking: 'Breaking', warning: 'Warnings', info: 'Info' };

export function subjectOf(c: Change): string {
  const s = c.stream ? `stream ${c.stream}` : c.channel ?? '(pack)';
  const where = [c.location, c.path ? c.path : undefined].filter(Boolean).join(' ');
  return where ? `${s} · ${where}` : s;
}

function summaryLine(r: DiffReport): string {
  return `${r.summary.breaking} breaking, ${r.summary.warning} warning${r.summary.warning === 1 ? '' : 's'}, ${r.summary.info} info`;
}

const md = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';

export function renderMarkdown(r: DiffReport): string {
  const lines = [`# ${heading(r)}`, '', `${code(r.old.source)} → ${code(r.new.source)}: **${summaryLine(r)}**`, ''];
  if (r.changes.length === 0) lines.push(r.format === 'conform-drift/1' ? 'No drift: the app matches its contract in everything observed.' : 'No contract changes.', '');
  for (const sev of SEVERITIES) {
    const cs = r.changes.filter((c) => c.severity === sev);
    if (!cs.length) continue;
    lines.push(`## ${TITLE[sev]} (${cs.length})`, '', '| rule | where | change | breaks for | what breaks |', '|---|---|---|---|---|');
    for (const c of cs) lines.push(`| ${code(c.rule)} | ${md(subjectOf(c))} | ${md(c.message)} | ${c.breaks.who} | ${md(c.breaks.what)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderHtml(r: DiffReport): string {
  const rows = r.changes
    .map((c) => `<tr class="${c.severity}"><td>${c.severity}</td><td><code>${esc(c.rule)}</code></td><td>${esc(subjectOf(c))}</td><td>${esc(c.message)}</td><td>${c.breaks.who}</td><td>${esc(c.breaks.what)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(heading(r))}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
tr.breaking td:first-child{background:#f8d7da}tr.warning td:first-child{background:#fff3cd}tr.info td:first-child{background:#e2e3e5}
</style></head><body>
<h1>${esc(heading(r))}</h1>
<p><code>${esc(r.old.source)}</code> → <code>${esc(r.new.source)}</code>: <strong>${esc(summaryLine(r))}</strong></p>
${r.changes.length ? `<table><thead><tr><th>severity</th><th>rule</th><th>where</th><th>change</th><th>breaks for</th><th>what breaks</th></tr></thead><tbody>
${rows}
</tbody></table>` : '<p>No contract changes.</p>'}
</body></html>
`;
}

export type ReportFormat = 'md' | 'json' | 'html';
export const FORMATS: ReportFormat[] = ['md', 'json', 'html'];

export function render(r: DiffReport, format: ReportFormat): string {
  return format === 'json' ? renderJson(r) : format === 'html' ? renderHtml(r) : renderMarkdown(r);
}
