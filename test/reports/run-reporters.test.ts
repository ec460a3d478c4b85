// Reporters of `conform run`, on a synthetic report: JSON has the issue's shape, JUnit parses as
// XML with the right counts, Markdown lists failures, HTML holds the diff and the SVG timeline.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderCtrf } from '../../reports/run/ctrf.ts';
import { diffHtml, renderHtml, timelineSvg, valueHtml } from '../../reports/run/html.ts';
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
  it('json: the issue 5 shape plus severities, blocked and unverified, then what merging shards needs', () => {
    const doc = JSON.parse(renderJson(report()));
    expect(Object.keys(doc)).toEqual(['tool', 'version', 'pack', 'app', 'runtime', 'seed', 'durationMs', 'summary', 'unverifiedChannels', 'checks', 'channels', 'timelines', 'incidents']);
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
      input: ['a', { token: 'ghp_inputsecret99' }],
    });
    const text = JSON.stringify(r);
    expect(text).not.toContain('ghp_inputsecret99');
    expect((r.input as unknown[])[0]).toBe('a');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('sk-live-1');
    expect(text).not.toContain('abcdef123456');
    expect((r.actual as { id: string }).id).toBe('a');
  });
});

describe('failure detail', () => {
  // A failed result as conform run reports it: input, schema issues, pack location, repro; one
  // security finding with its fix hint; one finding the gate accepted.
  function detailed(): RunReport {
    const r = report();
    r.checks[1] = {
      ...r.checks[1]!, input: ['a', { deep: true }], source: { file: 'specs/packs/demo/contract.yaml', line: 12 },
      actual: { id: 'a', n: '1', meta: { extra: 5 } },
      issues: [{ path: '/n', message: 'must be integer', keyword: 'type' }, { path: '', message: "must have required property 'name'", keyword: 'required' },
        { path: '/meta', message: "must NOT have additional property 'extra'", keyword: 'additionalProperties' }],
      repro: "conform run demo --app examples/demo --grep items:get --seed 7",
    };
    r.checks.push({ id: 'security.window-open', channel: null, status: 'failed', severity: 'warning', risk: 'high', message: 'window.open(https://example.com) was not refused',
      hint: 'Deny new windows in main: setWindowOpenHandler', repro: 'conform run demo --app examples/demo --seed 7' });
    r.checks.push({ id: 'latency.budget', channel: 'items:get', status: 'failed', message: 'took 900 ms', source: { file: 'specs/packs/demo/contract.yaml', line: 12 },
      gate: { state: 'baselined' } });
    r.summary = summarize(r.checks);
    return r;
  }

  it('html: the received value with each offending path marked, a missing property as its own line, input, location, hint, repro', () => {
    const html = renderHtml(detailed());
    expect(html).toContain('<span class="bad" data-path="/n">!   &quot;n&quot;: &quot;1&quot;,<em>  ← /n must be integer</em></span>');
    expect(html).toContain('<span class="bad missing">!   &quot;name&quot;: <em>(missing)</em></span>');
    expect(html).toContain('data-path="/meta/extra">!     &quot;extra&quot;: 5');
    expect(html).not.toMatch(/class="bad"[^>]*>! *&quot;id&quot;/);
    expect(html).toContain('pack: <code>specs/packs/demo/contract.yaml:12</code>');
    expect(html).toContain('<p class="legend">input sent</p><pre class="diff input">[\n  &quot;a&quot;,');
    expect(html).toContain('<pre class="repro">conform run demo --app examples/demo --grep items:get --seed 7</pre>');
    expect(html).toContain('<p class="hint">fix: Deny new windows in main: setWindowOpenHandler</p>');
    expect(html).toContain('<span class="gate">[baselined]</span>');
  });

  it('valueHtml lists issues whose path the value does not have', () => {
    expect(valueHtml(null, [{ path: '/x/y', message: 'must be string' }])).toContain('! <em>/x/y must be string</em>');
  });

  it('junit: file and line on testcases; a baselined finding is skipped, not a failure', () => {
    const xml = renderJunit(detailed());
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toMatch(/<testcase classname="demo\.items:get" name="returns\.schema" time="0\.004" file="specs\/packs\/demo\/contract\.yaml" line="12">\s*<failure/);
    expect(xml).toMatch(/name="latency\.budget"[^>]*line="12">\s*<skipped message="\[baselined\] took 900 ms"\/>/);
    expect(xml).toContain('input sent:\n[\n  &quot;a&quot;');
    expect(xml).toContain('offending values:\n  /n must be integer, got &quot;1&quot;');
    expect(xml).toContain('reproduce:\n  conform run demo');
    expect(xml).toContain('fix: Deny new windows');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml);
    expect(doc.testsuites['@failures']).toBe('3');
    // skipped: two skips, one info finding and the baselined finding; the blocked check is an error.
    expect(doc.testsuites['@skipped']).toBe('4');
    expect(doc.testsuites['@errors']).toBe('1');
  });

  it('ctrf: the CTRF document shape, statuses, file and line', () => {
    const doc = JSON.parse(renderCtrf(detailed(), 1_700_000_000_000));
    expect(doc).toMatchObject({ reportFormat: 'CTRF', results: { tool: { name: 'conform', version: '0.1.0' } } });
    expect(doc.specVersion).toMatch(/^\d+\.\d+\.\d+$/);
    const { summary, tests } = doc.results;
    expect(summary).toMatchObject({ tests: 10, passed: 2, failed: 3, skipped: 2, pending: 0, other: 3, start: 1_700_000_000_000 - 1234, stop: 1_700_000_000_000 });
    for (const t of tests) {
      expect(Object.keys(t).every((k) => ['name', 'status', 'duration', 'suite', 'message', 'rawStatus', 'trace', 'filePath', 'line', 'tags', 'type', 'extra'].includes(k))).toBe(true);
      expect(Number.isInteger(t.duration)).toBe(true);
    }
    const schemaFail = tests.find((t: { name: string }) => t.name === 'items:get › returns.schema');
    expect(schemaFail).toMatchObject({ status: 'failed', filePath: 'specs/packs/demo/contract.yaml', line: 12, suite: ['demo', 'items:get'] });
    expect(schemaFail.extra.repro).toContain('--grep items:get');
    expect(tests.filter((t: { name: string }) => t.name === 'items:get › latency.budget').map((t: { status: string; rawStatus?: string }) => [t.status, t.rawStatus]))
      .toEqual([['skipped', undefined], ['other', 'failed (baselined)']]);
  });

  it('md and list: location, hint and repro beside each failure', () => {
    const md = renderMarkdown(detailed());
    expect(md).toContain('**`returns.schema`** on `items:get` (`specs/packs/demo/contract.yaml:12`)');
    expect(md).toContain('  repro: `conform run demo --app examples/demo --grep items:get --seed 7`');
    expect(md).toContain('  fix: Deny new windows');
    const list = renderListSummary(detailed());
    expect(list).toContain('ERROR returns.schema items:get (specs/packs/demo/contract.yaml:12): ');
    expect(list).toContain('     repro: conform run demo --app examples/demo --grep items:get --seed 7');
    expect(list).toContain('ERROR [baselined] latency.budget items:get');
    expect(list).toContain('WARN  security.window-open (run) (risk high): ');
    expect(list).toContain('     fix: Deny new windows');
  });
});
