// `conform diff` end to end: formats, stable JSON, exit codes (0 / 1 per --fail-on / 2 on errors).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_PACKS_DIR } from '../../specs/loader.ts';

const tmp = mkdtempSync(join(tmpdir(), 'conform-diff-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function conform(...args: string[]) {
  const r = spawnSync('node', ['bin/conform.js', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A copy of the script-manager pack with `edit` applied to its contract. */
function variant(name: string, edit: (doc: Record<string, any>) => void): string {
  const dir = join(tmp, name, 'script-manager');
  cpSync(join(DEFAULT_PACKS_DIR, 'script-manager'), dir, { recursive: true });
  const doc = parse(readFileSync(join(dir, 'contract.yaml'), 'utf8'));
  edit(doc);
  writeFileSync(join(dir, 'contract.yaml'), stringify(doc));
  return dir;
}

describe('conform diff CLI', () => {
  const budgeted = (doc: Record<string, any>) => Object.keys(doc.channels).find((n) => typeof doc.channels[n].budgetMs === 'number')!;
  const warningOnly = variant('warn', (d) => { d.channels[budgeted(d)].budgetMs *= 2; });
  const infoOnly = variant('info', (d) => { d.channels['diff:added'] = { kind: 'event', bridge: null, payload: { type: 'string' } }; });
  const breaking = variant('break', (d) => { const n = Object.keys(d.channels).find((k) => typeof d.channels[k].bridge === 'string')!; d.channels[n].bridge = d.bridge.roots[0] + '.renamedByTest'; });

  it('no changes: exit 0 and says so', () => {
    const r = conform('diff', 'script-manager', join(DEFAULT_PACKS_DIR, 'script-manager'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('No contract changes.');
  });

  it('exit code follows --fail-on', () => {
    expect(conform('diff', 'script-manager', breaking).code).toBe(1);
    expect(conform('diff', 'script-manager', warningOnly).code).toBe(0);
    expect(conform('diff', 'script-manager', warningOnly, '--fail-on', 'warning').code).toBe(1);
    expect(conform('diff', 'script-manager', infoOnly, '--fail-on', 'warning').code).toBe(0);
  });

  it('JSON is stable and documented-shaped; markdown and html carry the same change', () => {
    const a = conform('diff', 'script-manager', breaking, '--format', 'json');
    const b = conform('diff', 'script-manager', breaking, '--format', 'json');
    expect(a.out).toBe(b.out);
    const doc = JSON.parse(a.out);
    expect(Object.keys(doc)).toEqual(['format', 'old', 'new', 'summary', 'changes']);
    expect(doc.summary).toEqual({ breaking: 1, warning: 0, info: 0 });
    expect(doc.changes[0]).toMatchObject({ rule: 'bridge-path-renamed', severity: 'breaking', breaks: { who: 'renderer' } });
    expect(conform('diff', 'script-manager', breaking).out).toMatch(/\| `bridge-path-renamed` \|/);
    const html = conform('diff', 'script-manager', breaking, '--format', 'html').out;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<code>bridge-path-renamed</code>');
  });

  it('usage and contract errors: exit 2, one paragraph, no stack', () => {
    const bad = conform('diff', 'script-manager', 'script-manager', '--format', 'pdf');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--format must be one of md, json, html/);
    const missing = conform('diff', 'no-such-pack', 'script-manager');
    expect(missing.code).toBe(2);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(missing.err).not.toMatch(/\n\s+at /);
  });
});
