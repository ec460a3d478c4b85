// Schema coverage of a run: how many schema checks met a stated schema, one with x-unspecified
// parts, or an x-unspecified one (verified nothing). Judged on a small pack with made-up results,
// rendered by every reporter, and measured on a real run of an extracted, all-unspecified draft.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaCoverage } from '../../runner/checks/coverage.ts';
import type { CheckResult } from '../../runner/checks/types.ts';
import { draftPack } from '../../specs/extract/draft.ts';
import { writeDraft } from '../../specs/extract/write.ts';
import { runConformance } from '../../runner/run.ts';
import { renderHtml } from '../../reports/run/html.ts';
import { renderJson } from '../../reports/run/json.ts';
import { renderJunit } from '../../reports/run/junit.ts';
import { renderListSummary } from '../../reports/run/list.ts';
import { renderMarkdown } from '../../reports/run/md.ts';
import { summarize, type RunReport } from '../../reports/run/model.ts';
import { loadPackFromSourcesSync } from '../../specs/loader.ts';

const tmp = mkdtempSync(join(tmpdir(), 'conform-coverage-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PACK = `
conform: 1
app: cov
transport: electron
bridge: { roots: [window.api] }
channels:
  a:stated:
    kind: invoke
    bridge: window.api.stated
    params: [{ name: id, schema: { type: string } }]
    returns: { $ref: "#/$defs/Item" }
  a:partial:
    kind: invoke
    bridge: window.api.partial
    params: [{ name: id, schema: { type: string } }, { name: opts, schema: { x-unspecified: "open" } }]
    returns: { type: object, properties: { meta: { x-unspecified: "open" } } }
  a:open:
    kind: invoke
    bridge: window.api.open
    params: [{ name: x, schema: { x-unspecified: "open" } }]
    returns: { $ref: "#/$defs/Open" }
  e:tick:
    kind: event
    bridge: window.api.onTick
    payload: { type: number }
  e:blob:
    kind: event
    bridge: window.api.onBlob
    payload: { x-unspecified: "open" }
streams:
  ticks:
    start: a:stated
    events: [e:tick, e:blob]
$defs:
  Item: { type: object, properties: { id: { type: string } }, required: [id] }
  Open: { x-unspecified: "behind a ref" }
`;

describe('schemaCoverage', () => {
  const pack = loadPackFromSourcesSync('cov', { 'contract.yaml': PACK });
  const r = (id: string, channel: string | null, status: CheckResult['status'], stream?: string): CheckResult => ({ id, channel, status, message: '', ...(stream ? { stream } : {}) });

  it('sorts each judged result by the schema it was judged against; skipped and non-schema checks do not count', () => {
    const cov = schemaCoverage(pack, [
      r('returns.schema', 'a:stated', 'passed'),
      r('params.reach-handler', 'a:stated', 'failed'),
      r('returns.schema', 'a:partial', 'passed'),
      r('errors.invalid-params-shape', 'a:partial', 'passed'),
      r('returns.schema', 'a:open', 'passed'),
      r('call.valid-resolves', 'a:open', 'passed'),
      r('event.payload-schema', 'e:tick', 'passed'),
      r('event.payload-schema', 'e:blob', 'passed'),
      r('stream.payload-schema', 'a:stated', 'passed', 'ticks'),
      r('returns.schema', 'a:stated', 'skipped'),
      r('bridge.exists', 'a:open', 'passed'),
    ]);
    expect(cov).toEqual({ schemaChecks: 9, verified: 3, partial: 2, unspecified: 4, unspecifiedChannels: ['a:partial', 'a:open', 'e:blob'] });
  });
});

function report(coverage: RunReport['coverage']): RunReport {
  const checks: CheckResult[] = [{ id: 'returns.schema', channel: 'a:open', status: 'passed', message: 'ok' }];
  return { tool: 'conform', version: '0', pack: 'cov', app: 'x', runtime: 'standin', seed: 1, durationMs: 1, summary: summarize(checks), checks, channels: ['a:open'], timelines: [], incidents: [], coverage };
}

describe('every reporter shows the coverage', () => {
  const cov = { schemaChecks: 4, verified: 1, partial: 1, unspecified: 2, unspecifiedChannels: ['a:open', 'a:partial'] };
  const line = 'schema coverage: 1 of 4 schema checks verified against a stated schema (25%), 1 partly (x-unspecified parts), 2 unverified (x-unspecified); 2 channels with unspecified schemas';

  it('list, markdown, junit and html print the line; json carries the object', () => {
    const rep = report(cov);
    expect(renderListSummary(rep)).toContain(line);
    expect(renderMarkdown(rep)).toContain(line);
    expect(renderJunit(rep)).toContain(line);
    expect(renderHtml(rep)).toContain(line);
    expect(JSON.parse(renderJson(rep)).coverage).toEqual(cov);
    expect(renderListSummary(report(undefined))).not.toContain('schema coverage');
  });
});

describe('a run of an all-unspecified draft', () => {
  it('cosmosh-lite drafted from its JavaScript preload: passes, and says most schema checks verified nothing', { timeout: 180_000 }, async () => {
    const dir = join(tmp, 'cosmosh-draft');
    writeDraft(draftPack({ preload: 'examples/cosmosh-lite/preload.js', name: 'cosmosh-draft' }), dir);
    const { report: rep } = await runConformance({ pack: dir, app: 'examples/cosmosh-lite', seed: 1 });
    const cov = rep.coverage!;
    // A draft states nothing it could be held to: what the app did is reported (info, drift), never an error.
    const errors = rep.checks.filter((c) => (c.status === 'failed' && c.severity === 'error') || c.status === 'blocked');
    expect(errors.map((c) => `${c.id} ${c.channel}: ${c.message}`)).toEqual([]);
    expect(cov.schemaChecks).toBeGreaterThan(30);
    expect(cov.verified + cov.partial + cov.unspecified).toBe(cov.schemaChecks);
    // every return and payload is x-unspecified: only checks of channels without params are verified
    expect(cov.unspecified).toBeGreaterThan(cov.schemaChecks / 2);
    expect(cov.unspecifiedChannels.length).toBeGreaterThanOrEqual(33);
    expect(renderListSummary(rep)).toMatch(new RegExp(`${cov.verified} of ${cov.schemaChecks} schema checks verified .* ${cov.unspecified} unverified \\(x-unspecified\\)`));
    console.log(`all-unspecified draft of cosmosh-lite: ${rep.summary.passed} passed; ${cov.verified}/${cov.schemaChecks} schema checks verified, ${cov.unspecified} unverified`);
  });
});
