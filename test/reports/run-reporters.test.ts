// Reporters of `conform run`, on a synthetic report: JSON has the shape, JUnit parses as
// XML with the right counts, Markdown lists failures, HTML holds the diff and the SVG timeline.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { diffHtml, renderHtml, timelineSvg } from '../../reports/run/html.ts';
import { renderJson } from '../../reports/run/json.ts';
import { renderJunit } from '../../reports/run/junit.ts';
import { ListReporter, renderListSummary } from '../../reports/run/list.ts';
import { renderMarkdown } from '../../reports/run/md.ts';
import { summarize, type ReportCheck, type RunReport } from '../../reports/run/model.ts';

function report(): RunReport {
  const checks: ReportCheck[] = [
    { id: 'bridge.exists', channel: 'items:get', status: 'passed', message: 'window.api.items.get is a function' },
    { id: 'returns.schema', channel: 'items:get', status: 'failed', severity: 'error', message: 'result does not match: /n must be integer <&>',
      expected: { schema: { type: 'integer' } }, actual: { id: 'a', n: '1' }, durationMs: 3.5 },
    { id: 'latency.budget', channel: 'items:get', status: 'skipped', severity: 'info', message: 'no valid call resolved' },
    { id: 'stream.ordering', channel: 'chat:start', status: 'failed', severity: 'warning', assumption: "the pack's reading", stream: 'chat', message: "event #2 'chat:token' breaks the grammar",
      expected: ['chat:token', 'chat:done'], actual: ['chat:token', 'chat:done', 'chat:token'] },
    { id: 'returns.schema', channel: 'chat:start', status: 'blocked', severity: 'error', message: 'blocked by fixture.prerequisite: prerequisite x failed',
      blockedBy: { id: 'fixture.prerequisite', channel: 'chat:start', message: 'prerequisite x failed' } },
    { id: 'errors.invalid-params-shape', channel: 'items:save', status: 'failed', severity: 'info', message: '3 accepted; the contract says invalid params are unspecified' },
    { id: 'returns.schema', channel: 'items:save', status: 'skipped', severity: 'info', message: 'unverified: no valid call resolved' },
    { id: 'drift.undocumented-channel', channel: null, status: 'passed', message: 'all documented' },
  ];
  return {
    tool: 'conform', version: '0.1.0', pack: 'demo', app: 'examples/demo', runtime: 'standin', seed: 7, durationMs: 1234,
    summary: summarize(checks), checks,
    channels: ['items:get', 'chat:start', 'items:save'],
    timelines: [{ stream: 'chat', mode: 'run', start: 'chat:start', end: 'terminal', durationMs: 60,
      events: [{ channel: 'chat:token', atMs: 10 }, { channel: 'chat:done', atMs: 30 }, { channel: 'chat:token', atMs: 50, afterEnd: true }] },
    { stream: 'chat', mode: 'abort', start: 'chat:start', end: 'quiet', durationMs: 80, abortAtMs: 20,
      events: [{ channel: 'chat:token', atMs: 10 }, { channel: 'chat:aborted', atMs: 25 }] }],
    incidents: [{ channel: 'items:get', reason: 'main process exited (code 1)', stderrTail: ['TypeError: boom'] }],
  };
}

describe('run reporters', () => {
  it('json: the issue 5 shape plus severities, blocked and unverified', () => {
    const doc = JSON.parse(renderJson(report()));
    expect(Object.keys(doc)).toEqual(['tool', 'version', 'pack', 'app', 'runtime', 'seed', 'durationMs', 'summary', 'unverifiedChannels', 'checks']);
    expect(doc.summary).toEqual({ passed: 2, failed: 3, skipped: 2, blocked: 1, errors: 1, warnings: 1, infos: 1, unverified: 2 });
    expect(doc.unverifiedChannels).toEqual(['chat:start', 'items:save']);
    expect(doc.runtime).toBe('standin');
    for (const c of doc.checks) {
      expect(Object.keys(c).slice(0, 7)).toEqual(['id', 'channel', 'status', 'message', 'expected', 'actual', 'durationMs']);
      expect(['passed', 'failed', 'skipped', 'blocked']).toContain(c.status);
      if (c.status !== 'passed') expect(['error', 'warning', 'info']).toContain(c.severity);
    }
    expect(doc.checks[1].actual).toEqual({ id: 'a', n: '1' });
    expect(doc.checks[3]).toMatchObject({ assumption: "the pack's reading", severity: 'warning' });
    expect(doc.checks[4].blockedBy).toEqual({ id: 'fixture.prerequisite', channel: 'chat:start', message: 'prerequisite x failed' });
    expect(doc.checks[7].channel).toBeNull();
  });

  it('junit: valid XML; error and warning findings are failures, blocked checks errors, infos and skips skipped', () => {
    const xml = renderJunit(report());
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml);
    const suites = doc.testsuites.testsuite as { '@name': string; '@failures': string; '@errors': string; testcase: unknown; properties?: unknown }[];
    expect(doc.testsuites['@tests']).toBe('8');
    expect(doc.testsuites['@failures']).toBe('2');
    expect(doc.testsuites['@errors']).toBe('1');
    expect(doc.testsuites['@skipped']).toBe('3');
    expect(suites.map((s) => s['@name'])).toEqual(['demo/items:get', 'demo/chat:start', 'demo/items:save', 'demo/(run)']);
    expect(suites[0]!['@failures']).toBe('1');
    expect(suites[1]!['@errors']).toBe('1');
    expect(JSON.stringify(suites[1]!.properties)).toContain('unverified');
    expect(xml).toContain('<properties><property name="errors" value="1"/><property name="warnings" value="0"/><property name="infos" value="0"/><property name="blocked" value="0"/></properties>');
    const cases = suites[0]!.testcase as { '@name': string; failure?: { '@message': string }; skipped?: unknown }[];
    expect(cases[1]!.failure!['@message']).toContain('[error] result does not match');
    expect(cases[1]!.failure!['@message']).toContain('<&>');
    expect(cases[2]!.skipped).toBeDefined();
    expect(xml).toContain('<skipped message="[info] 3 accepted');
  });

  it('md: summary by severity, channel table with status and each finding', () => {
    const md = renderMarkdown(report());
    expect(md).toContain('**1 errors**, 1 warnings, 1 infos, 1 blocked, 2 unverified channels · 2 passed, 2 skipped');
    expect(md).toMatch(/\| `items:get` \| ❌ failed \| 1 \| 1 \| 0 \| 0 \| 0 \| 1 \| invalid \| `returns.schema` \|/);
    expect(md).toMatch(/\| `chat:start` \| ⛔ blocked \| 0 \| 0 \| 1 \| 0 \| 1 \| 0 \| ❔ unverified \|/);
    expect(md).toMatch(/\| `items:save` \| ❔ unverified \|/);
    expect(md).toContain('**⚠️ warning** **`stream.ordering`** on `chat:start` (stream `chat`)');
    expect(md).toContain('### Blocked');
    expect(md).toContain('"n": "1"');
  });

  it('html: per-channel table, diff of expected vs actual, SVG timelines with abort and after-end markers', () => {
    const html = renderHtml(report());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('href="#ch-items%3Aget"');
    expect(html).toContain('<span class="del">-   &quot;schema&quot;: {</span>');
    expect(html).toContain('<span class="add">+   &quot;n&quot;: &quot;1&quot;</span>');
    expect((html.match(/<svg class="timeline"/g) ?? []).length).toBe(2);
    expect(html).toContain('class="event after-end"');
    expect(html).toContain('class="abort"');
    expect(html).toContain('must be integer &lt;&amp;&gt;');
    expect(html).not.toContain('<&>');
    // the channel table never shows a skipped or blocked channel as passed
    expect(html).toContain('<tr class="unverified"><td><a href="#ch-items%3Asave">');
    expect(html).toContain('<tr class="blocked"><td><a href="#ch-chat%3Astart">');
    expect(html).toContain('<span class="sev sev-warning">warning</span>');
    expect(html).toContain('pack assumption: the pack&#39;s reading'.replace('&#39;', "'"));
  });

  it('diffHtml marks only the changed lines', () => {
    const d = diffHtml({ a: 1, b: 2 }, { a: 1, b: 3 });
    expect(d).toContain('<span class="same">    &quot;a&quot;: 1,</span>');
    expect(d).toContain('<span class="del">-   &quot;b&quot;: 2</span>');
    expect(d).toContain('<span class="add">+   &quot;b&quot;: 3</span>');
  });

  it('timeline places events in time order along the axis', () => {
    const svg = timelineSvg(report().timelines[0]!);
    const xs = [...svg.matchAll(/<circle[^>]*cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(3);
    expect(xs[0]!).toBeLessThan(xs[1]!);
    expect(xs[1]!).toBeLessThan(xs[2]!);
  });

  it('list: one line per channel when not a TTY, then failures and totals', () => {
    let out = '';
    const l = new ListReporter({ write: (s: string) => (out += s), isTTY: false }, 2);
    const r = report();
    l.channelStarted('items:get');
    l.channelDone('items:get', r.checks.filter((c) => c.channel === 'items:get'));
    l.finish(r);
    expect(out).not.toContain('\x1b');
    expect(out.split('\n')[0]).toBe('FAIL items:get  (1 passed, 1 failed: returns.schema, 1 skipped)');
    expect(out).toContain('ERROR returns.schema items:get:');
    expect(out).toContain('WARN  stream.ordering chat:start [chat]:');
    expect(out).toContain('info  errors.invalid-params-shape items:save:');
    expect(out).toContain('BLOCKED returns.schema chat:start: blocked by fixture.prerequisite');
    expect(out).toContain('UNVERIFIED (success value never validated): chat:start, items:save');
    expect(renderListSummary(r)).toContain('1 error, 1 warning, 1 info, 1 blocked, 2 unverified; 2 passed, 3 findings, 2 skipped');
  });
});

describe('report redaction', () => {
  it('secrets in expected/actual and messages never reach a report', async () => {
    const { redactCheck } = await import('../../runner/run.ts');
    const { demoPack } = await import('../runner/fixture-pack.ts');
    const r = redactCheck(demoPack(), {
      id: 'returns.schema', channel: 'items:get', status: 'failed', message: 'sent token=abcdef123456 to the backend',
      expected: { schema: {} }, actual: { id: 'a', password: 'hunter2', nested: { apiKey: 'sk-live-1' } },
    });
    const text = JSON.stringify(r);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('sk-live-1');
    expect(text).not.toContain('abcdef123456');
    expect((r.actual as { id: string }).id).toBe('a');
  });
});
