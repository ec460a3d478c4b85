// Single-file HTML report: summary, per-channel table, each failure with the input sent, the value
// received with the offending paths (ajv instance paths) highlighted, the pack file:line, a fix
// hint and a repro command (an expected-vs-actual line diff, the `diff` package, where no schema
// issue names a path), and each stream run's event timeline drawn as inline SVG.
// No external assets: the file is attached to CI runs and opened offline.
import { diffLines } from 'diff';
import { byChannel, channelStatus, coverageLine, findingsText, gateAccepted, gateTag, issuePath, jsonLines, offendingValues, show, showValue, sourceOf, type ReportCheck, type RunReport, type StreamTimeline, unverifiedChannels } from './model.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#0891b2', '#db2777', '#65a30d', '#b45309'];

/** Expected vs actual as a unified line diff, one <span> per line (+ actual, - expected). */
export function diffHtml(expected: unknown, actual: unknown): string {
  const a = show(expected);
  const b = show(actual);
  const parts = diffLines(a.endsWith('\n') ? a : `${a}\n`, b.endsWith('\n') ? b : `${b}\n`);
  const rows: string[] = [];
  for (const p of parts) {
    const cls = p.added ? 'add' : p.removed ? 'del' : 'same';
    const mark = p.added ? '+' : p.removed ? '-' : ' ';
    for (const line of p.value.replace(/\n$/, '').split('\n')) rows.push(`<span class="${cls}">${mark} ${esc(line)}</span>`);
  }
  // Rows are display:block spans: no newline between them (it would render as a blank line).
  return `<pre class="diff" aria-label="expected (-) versus actual (+)">${rows.join('')}</pre>`;
}

/**
 * The received value as pretty JSON with the lines at the offending paths marked and each issue's
 * message beside it: the value-level diff (what in the value breaks which rule).
 */
export function valueHtml(actual: unknown, issues: { path: string; message: string; keyword?: string }[]): string {
  const byPath = new Map<string, string[]>();
  for (const i of issues) byPath.set(issuePath(i), [...(byPath.get(issuePath(i)) ?? []), i.message]);
  // A missing required property is reported at its parent: show it as a line of its own, where it belongs.
  const missing = new Map<string, string[]>();
  for (const i of issues) {
    const name = i.keyword === 'required' ? /'([^']+)'/.exec(i.message)?.[1] : undefined;
    if (name) missing.set(i.path, [...(missing.get(i.path) ?? []), name]);
  }
  const marked = new Set<string>();
  const rows = jsonLines(actual).flatMap((l) => {
    const msgs = byPath.get(l.path);
    // Containers print an opening and a closing line for their path: only the first is marked.
    if (!msgs || marked.has(l.path)) return [`<span class="same">  ${esc(l.text)}</span>`];
    marked.add(l.path);
    const pad = /^\s*/.exec(l.text)![0];
    return [`<span class="bad" data-path="${esc(l.path)}">! ${esc(l.text)}<em>  ← ${esc(`${l.path || '(root)'} ${msgs.join('; ')}`)}</em></span>`,
      ...(missing.get(l.path) ?? []).map((n) => `<span class="bad missing">! ${esc(`${pad}  ${JSON.stringify(n)}: `)}<em>(missing)</em></span>`)];
  });
  // Issues at paths the value does not have (a missing required property is reported at its parent).
  const unplaced = issues.filter((i) => !marked.has(issuePath(i)));
  for (const i of unplaced) rows.push(`<span class="bad" data-path="${esc(i.path)}">! <em>${esc(`${i.path || '(root)'} ${i.message}`)}</em></span>`);
  return `<pre class="diff value" aria-label="value received, offending paths marked with !">${rows.join('')}</pre>`;
}

function failureHtml(f: ReportCheck): string {
  const h: string[] = [];
  const tag = gateTag(f);
  h.push(`<div class="failure ${f.severity ?? 'error'}${gateAccepted(f) ? ' accepted' : ''}"><p>${badges(f).trim()} ${tag ? `<span class="gate">${esc(tag)}</span> ` : ''}<code>${esc(f.id)}</code> on <code>${esc(f.channel ?? '(run)')}</code>${f.stream ? ` (stream <code>${esc(f.stream)}</code>)` : ''}: ${esc(f.message)}</p>`);
  if (f.assumption) h.push(`<p class="legend">pack assumption: ${esc(f.assumption)}</p>`);
  const where = sourceOf(f);
  if (where) h.push(`<p class="where">pack: <code>${esc(where)}</code></p>`);
  if (f.hint) h.push(`<p class="hint">fix: ${esc(f.hint)}</p>`);
  if (f.input !== undefined) h.push(`<p class="legend">input sent</p><pre class="diff input">${esc(show(f.input))}</pre>`);
  if (f.issues?.length) {
    h.push(`<p class="legend">value received (! marks the offending paths)</p>${valueHtml(f.actual, f.issues)}`);
    // The whole value is shown above: a "got" only for values inside it.
    const list = offendingValues(f).map((o) => `<li><code>${esc(o.path || '(root)')}</code> ${esc(o.message)}${o.value !== undefined && o.path ? `, got <code>${esc(showValue(o.value))}</code>` : ''}</li>`);
    h.push(`<ul class="offending">${list.join('')}</ul>`);
    h.push(`<details><summary class="legend">expected (the schema)</summary><pre class="diff">${esc(show(f.expected))}</pre></details>`);
  } else {
    h.push(`<p class="legend">- expected · + actual</p>${diffHtml(f.expected, f.actual)}`);
  }
  if (f.repro) h.push(`<p class="legend">reproduce</p><pre class="repro">${esc(f.repro)}</pre>`);
  h.push('</div>');
  return h.join('');
}

/** One stream run as an SVG timeline: a lane per event channel, a dot per event, markers for abort and end. */
export function timelineSvg(t: StreamTimeline): string {
  const channels = [...new Set(t.events.map((e) => e.channel))];
  const laneH = 22;
  const left = 190;
  const width = 760;
  const plotW = width - left - 20;
  const height = 34 + Math.max(1, channels.length) * laneH + 20;
  const lastAt = t.events.reduce((m, e) => Math.max(m, e.atMs), 0);
  const span = Math.max(1, t.durationMs, lastAt, t.abortAtMs ?? 0);
  const x = (ms: number) => left + (Math.max(0, ms) / span) * plotW;
  const color = (ch: string) => PALETTE[channels.indexOf(ch) % PALETTE.length]!;
  const out: string[] = [];
  out.push(`<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="event timeline of stream ${esc(t.stream)} (${t.mode})">`);
  out.push(`<title>${esc(`${t.stream} (${t.mode}): ${t.events.length} event(s), end: ${t.end} after ${Math.round(t.durationMs)} ms`)}</title>`);
  const axisY = height - 18;
  out.push(`<line x1="${left}" y1="${axisY}" x2="${left + plotW}" y2="${axisY}" stroke="#999"/>`);
  for (let i = 0; i <= 4; i++) {
    const ms = (span * i) / 4;
    out.push(`<text x="${x(ms)}" y="${height - 4}" font-size="10" text-anchor="middle" fill="#555">${Math.round(ms)} ms</text>`);
  }
  channels.forEach((ch, i) => {
    const y = 24 + i * laneH;
    out.push(`<text x="${left - 8}" y="${y + 4}" font-size="11" text-anchor="end" fill="${color(ch)}">${esc(ch)}</text>`);
    out.push(`<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#eee"/>`);
  });
  if (channels.length === 0) out.push(`<text x="${left}" y="28" font-size="11" fill="#b91c1c">no event</text>`);
  t.events.forEach((e, n) => {
    const y = 24 + channels.indexOf(e.channel) * laneH;
    const fill = e.afterEnd ? '#dc2626' : color(e.channel);
    out.push(`<circle class="event${e.afterEnd ? ' after-end' : ''}" cx="${x(e.atMs).toFixed(1)}" cy="${y}" r="${e.afterEnd ? 5 : 4}" fill="${fill}"><title>#${n} ${esc(e.channel)} at ${e.atMs.toFixed(1)} ms${e.afterEnd ? ' (after the end)' : ''}</title></circle>`);
  });
  if (t.abortAtMs !== undefined) {
    out.push(`<line class="abort" x1="${x(t.abortAtMs)}" y1="12" x2="${x(t.abortAtMs)}" y2="${axisY}" stroke="#dc2626" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${x(t.abortAtMs) + 3}" y="11" font-size="10" fill="#dc2626">abort</text>`);
  }
  const endX = x(t.durationMs);
  out.push(`<line class="end" x1="${endX}" y1="12" x2="${endX}" y2="${axisY}" stroke="#111" stroke-width="1.5"/>`);
  const nearRight = endX > width - 110;
  out.push(`<text x="${nearRight ? endX - 3 : endX + 3}" y="${axisY - 4}" font-size="10" fill="#111" text-anchor="${nearRight ? 'end' : 'start'}">end: ${esc(t.end)}</text>`);
  out.push('</svg>');
  return out.join('');
}

/** Severity badge (error/warning/info) plus the security risk when there is one. */
function badges(c: ReportCheck): string {
  return `${c.severity ? ` <span class="sev sev-${c.severity}">${c.severity}</span>` : ''}${c.risk ? ` <span class="risk risk-${c.risk}">risk ${c.risk}</span>` : ''}`;
}

function checkRow(c: ReportCheck): string {
  const cls = c.status === 'failed' ? `failed ${c.severity ?? 'error'}` : c.status;
  return `<tr class="${cls}"><td><code>${esc(c.id)}</code>${c.stream ? ` <small>${esc(c.stream)}</small>` : ''}</td><td class="st">${c.status}${badges(c)}${c.gate ? ` <span class="gate">${esc(gateTag(c))}</span>` : ''}</td><td>${esc(c.message)}${c.assumption ? `<br><small class="legend">pack assumption: ${esc(c.assumption)}</small>` : ''}</td><td class="num">${c.durationMs !== undefined ? c.durationMs.toFixed(1) : ''}</td></tr>`;
}

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#111;max-width:1200px}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:28px 0 8px}
.sum span{display:inline-block;margin-right:14px;font-weight:600}
.sum .f{color:#b91c1c}.sum .w{color:#b45309}.sum .i{color:#2563eb}.sum .b{color:#7c2d12}.sum .p{color:#15803d}.sum .s{color:#6b7280}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
.sev,.risk{font-size:11px;padding:1px 5px;border-radius:3px;color:#fff;text-transform:uppercase}.sev-error{background:#b91c1c}.sev-warning{background:#b45309}.sev-info{background:#2563eb}
.risk{background:#fff;border:1px solid #7f1d1d;color:#7f1d1d}
tr.failed td.st{color:#b91c1c;font-weight:600} tr.failed.warning td.st{color:#b45309} tr.failed.info td.st{color:#2563eb;font-weight:400} tr.passed td.st{color:#15803d} tr.skipped td.st{color:#6b7280} tr.blocked td.st,tr.unverified td.st{color:#7c2d12;font-weight:600} tr.partial td.st,tr.warning td.st{color:#b45309;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
details>summary{cursor:pointer;padding:4px 0} details.channel>summary code{font-weight:600}
.badge{display:inline-block;border-radius:3px;padding:0 6px;margin-left:6px;font-size:12px;color:#fff}
.badge.failed{background:#b91c1c}.badge.passed{background:#15803d}.badge.skipped{background:#9ca3af}.badge.blocked,.badge.unverified{background:#7c2d12}.badge.warning,.badge.partial{background:#b45309}
pre.diff{background:#f9fafb;border:1px solid #e5e7eb;padding:8px;overflow:auto;max-height:420px;font-size:12px}
pre.diff .add{color:#166534;background:#dcfce7;display:block}pre.diff .del{color:#991b1b;background:#fee2e2;display:block}pre.diff .same{display:block;color:#374151}
.failure{border-left:3px solid #b91c1c;padding:4px 12px;margin:12px 0}.failure.warning{border-color:#b45309}.failure.info{border-color:#2563eb}.failure.blocked{border-color:#7c2d12}.failure.accepted{border-left-color:#a16207;opacity:.85}
pre.value .bad{display:block;background:#fee2e2;color:#991b1b;font-weight:600}pre.value .bad em{font-weight:400;color:#7f1d1d}
pre.repro{background:#111827;color:#f9fafb;padding:8px;overflow:auto;font-size:12px;user-select:all}
.where,.hint{margin:2px 0}.hint{color:#92400e}.gate{font-size:11px;padding:1px 5px;border-radius:3px;background:#fef3c7;color:#92400e}
ul.offending{margin:4px 0 8px;font-size:13px}.sum .g{color:#92400e}
svg.timeline{border:1px solid #e5e7eb;background:#fff;display:block;margin:6px 0 14px}
.legend{color:#555;font-size:12px}
`;

function gateSummary(r: RunReport): string {
  const g = r.gate;
  if (!g) return '';
  return `<span class="g">${g.new} new · ${g.baselined} baselined · ${g.waived} waived · ${g.fixed.length} fixed</span>`;
}

export function renderHtml(r: RunReport): string {
  const groups = byChannel(r);
  const s = r.summary;
  const failures = (['error', 'warning', 'info'] as const).flatMap((v) => r.checks.filter((c) => c.status === 'failed' && (c.severity ?? 'error') === v));
  const blocked = r.checks.filter((c) => c.status === 'blocked');
  const unverified = unverifiedChannels(r.checks);
  const h: string[] = [];
  h.push('<!doctype html><html lang="en"><head><meta charset="utf-8">');
  h.push(`<title>Conform ${esc(r.pack)}: ${esc(findingsText(s))}</title><style>${CSS}</style></head><body>`);
  h.push(`<h1>Conform: <code>${esc(r.pack)}</code> against ${esc(r.app)}</h1>`);
  h.push(`<p class="sum"><span class="f">${s.errors} errors</span><span class="w">${s.warnings} warnings</span><span class="i">${s.infos} infos</span><span class="b">${s.blocked} blocked</span><span class="b">${s.unverified} unverified</span><span class="p">${s.passed} passed</span><span class="s">${s.skipped} skipped</span>${gateSummary(r)} runtime ${esc(r.runtime)} · seed ${r.seed} · ${(r.durationMs / 1000).toFixed(2)} s · ${esc(r.tool)} ${esc(r.version)}</p>`);
  h.push('<p class="legend">error: a contract violation · warning: drift or a violated pack assumption · info: what the app did where the contract is silent · blocked: not run because something it needs failed · unverified: the success value was never validated · partial: some checks skipped</p>');
  if (r.coverage) h.push(`<p class="cov">${esc(coverageLine(r.coverage))}</p>`);

  h.push('<h2>Channels</h2><table><thead><tr><th>channel</th><th>status</th><th>passed</th><th>errors</th><th>warnings</th><th>infos</th><th>blocked</th><th>skipped</th><th>success value</th><th>findings</th></tr></thead><tbody>');
  for (const g of groups) {
    const n = (f: (c: ReportCheck) => boolean) => g.checks.filter(f).length;
    const sev = (v: string) => n((c) => c.status === 'failed' && (c.severity ?? 'error') === v);
    const st = channelStatus(g.checks);
    const rs = g.checks.find((c) => c.id === 'returns.schema');
    const value = !rs ? '' : rs.status === 'passed' ? 'validated' : rs.status === 'failed' ? (rs.severity === 'warning' ? 'breaks an assumption' : 'invalid') : 'unverified';
    const failing = [...new Set(g.checks.filter((c) => c.status === 'failed' && c.severity !== 'info').map((c) => c.id))];
    h.push(`<tr class="${st}"><td><a href="#ch-${encodeURIComponent(g.channel)}"><code>${esc(g.channel)}</code></a></td><td class="st">${st}</td><td class="num">${n((c) => c.status === 'passed')}</td><td class="num">${sev('error')}</td><td class="num">${sev('warning')}</td><td class="num">${sev('info')}</td><td class="num">${n((c) => c.status === 'blocked')}</td><td class="num">${n((c) => c.status === 'skipped')}</td><td class="${value === 'validated' ? '' : 'st'}">${value}</td><td>${failing.map((id) => `<code>${esc(id)}</code>`).join(' ')}</td></tr>`);
  }
  h.push('</tbody></table>');
  if (unverified.length) h.push(`<p class="legend">Unverified (success value never validated): ${unverified.map((c) => `<code>${esc(c)}</code>`).join(' ')}</p>`);

  if (blocked.length) {
    h.push(`<h2>Blocked (${blocked.length})</h2>`);
    for (const b of blocked) h.push(`<div class="failure blocked${gateAccepted(b) ? ' accepted' : ''}"><p><span class="sev sev-error">blocked</span>${b.gate ? ` <span class="gate">${esc(gateTag(b))}</span>` : ''} <code>${esc(b.id)}</code> on <code>${esc(b.channel ?? '(run)')}</code>${b.stream ? ` (stream <code>${esc(b.stream)}</code>)` : ''}: ${esc(b.message)}</p></div>`);
  }
  h.push(`<h2>Findings (${failures.length})</h2>`);
  if (failures.length === 0) h.push('<p>None.</p>');
  for (const f of failures) h.push(failureHtml(f));
  if (r.gate?.fixed.length) {
    h.push(`<h2>Fixed since the baseline (${r.gate.fixed.length})</h2><ul>`);
    for (const e of r.gate.fixed) h.push(`<li><code>${esc(e.id)}</code> on <code>${esc(e.channel ?? '(run)')}</code>: ${esc(e.message)}</li>`);
    h.push('</ul>');
  }

  if (r.timelines.length) {
    h.push('<h2>Stream timelines</h2>');
    for (const t of r.timelines) {
      h.push(`<h3><code>${esc(t.stream)}</code> (${t.mode}${t.input ? `, input #${t.input}` : ''}, started by <code>${esc(t.start)}</code>)</h3>${timelineSvg(t)}`);
    }
  }
  if (r.incidents.length) {
    h.push('<h2>Crashes and relaunches</h2>');
    for (const i of r.incidents) {
      h.push(`<div class="failure"><p><code>${esc(i.channel)}</code>: ${esc(i.reason)}</p><pre class="diff">${esc(i.stderrTail.join('\n'))}</pre></div>`);
    }
  }

  h.push('<h2>All checks</h2>');
  for (const g of groups) {
    const st = channelStatus(g.checks);
    h.push(`<details class="channel" id="ch-${encodeURIComponent(g.channel)}"${st === 'failed' || st === 'blocked' ? ' open' : ''}><summary><code>${esc(g.channel)}</code><span class="badge ${st}">${st}</span></summary>`);
    h.push(`<table><tbody>${g.checks.map(checkRow).join('')}</tbody></table></details>`);
  }
  h.push('</body></html>');
  return `${h.join('\n')}\n`;
}
