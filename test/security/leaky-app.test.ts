// Issue 19's leaky app run through everything that writes: `conform run` with every reporter,
// `conform record` with and without a pack, and `conform mock` replaying a cassette that holds
// secrets in clear. Every file written and every output stream is searched for each secret of
// test/security/fixtures/leaky-app/secrets.json, as is and URL-encoded and base64-encoded.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const APP = fileURLToPath(new URL('./fixtures/leaky-app', import.meta.url));
const PACK = fileURLToPath(new URL('./fixtures/leaky', import.meta.url));
const SECRETS = JSON.parse(readFileSync(join(APP, 'secrets.json'), 'utf8')) as Record<string, string>;
// Values a pack marks x-secret without a credential-like name: only a pack can name them.
const NEED_A_PACK = new Set(['pem', 'eventSig', 'autorunPassword']);

/**
 * Runs the CLI to its end; with `stopWhen`, stops it with SIGTERM (as a user would end a mock or a
 * recording) once that holds, checked on every output chunk and every 100 ms (for files).
 */
function runCli(args: string[], env: Record<string, string> = {}, stopWhen?: (out: { stdout: string; stderr: string }) => boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/conform.js', ...args], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  let stopped = false;
  const check = () => {
    if (!stopped && stopWhen?.(out)) {
      stopped = true;
      child.kill('SIGTERM');
    }
  };
  child.stdout.on('data', (d) => { out.stdout += String(d); check(); });
  child.stderr.on('data', (d) => { out.stderr += String(d); check(); });
  const poll = stopWhen ? setInterval(check, 100) : undefined;
  // A hung CLI is asked to stop first (SIGTERM closes the app it started), then killed.
  const timer = setTimeout(() => child.kill('SIGTERM'), 120_000);
  const killer = setTimeout(() => child.kill('SIGKILL'), 140_000);
  return new Promise((r) => child.once('exit', (code) => {
    clearTimeout(timer);
    clearTimeout(killer);
    clearInterval(poll);
    r({ code, ...out });
  }));
}

/** Until the cassette holds the rejected login (the autorun page's last call). */
const recordedBoth = (file: string) => () => {
  try {
    return readFileSync(file, 'utf8').includes('"error":');
  } catch {
    return false;
  }
};

/** Every place a secret shows up: `where` -> which secret in which form. */
function leaks(texts: Record<string, string>, skip: Set<string> = new Set()): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(texts)) {
    for (const [name, value] of Object.entries(SECRETS)) {
      if (skip.has(name)) continue;
      const forms = { plain: value, url: encodeURIComponent(value), base64: Buffer.from(value).toString('base64').slice(0, -2) };
      for (const [form, f] of Object.entries(forms)) if (text.includes(f)) found.push(`${where}: ${name} (${form})`);
    }
  }
  return found;
}

function filesIn(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('a leaky app through run, record and mock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conform-leaky-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('conform run: no secret in any report (list, json, junit, html, md, ctrf) or failure detail, stdout or stderr; reports are 0600', async () => {
    const out = join(dir, 'run');
    const r = await runCli(['run', PACK, '--app', APP, '--reporter', 'list,json,junit,html,md,ctrf', '--out', out]);
    expect(r.code, r.stderr).toBe(1); // the pack is built to fail, so each secret is shown somewhere
    const files = filesIn(out);
    expect(Object.keys(files).sort()).toEqual(['conform-ctrf.json', 'conform-junit.xml', 'conform-report.html', 'conform-report.json', 'conform-report.md']);
    for (const f of Object.keys(files)) expect(statSync(join(out, f)).mode & 0o777, f).toBe(0o600);
    expect(leaks({ ...files, stdout: r.stdout, stderr: r.stderr })).toEqual([]);
    // The values were there to leak: each failing check shows what the app did, redacted.
    const report = JSON.parse(files['conform-report.json']!) as { checks: { id: string; channel: string | null; status: string; actual?: unknown; input?: unknown; issues?: unknown[]; repro?: string }[] };
    // Failure detail (issue 15) is there and passes the same redaction: the failing call's input by
    // the params schema (auth:login's positional password), validation issues, the repro command.
    const failed = report.checks.filter((c) => c.status === 'failed');
    expect(failed.some((c) => c.input !== undefined)).toBe(true);
    expect(failed.some((c) => (c.issues ?? []).length > 0)).toBe(true);
    expect(failed.every((c) => typeof c.repro === 'string')).toBe(true);
    const loginInput = failed.find((c) => c.channel === 'auth:login' && c.input !== undefined)?.input;
    if (loginInput !== undefined) expect(JSON.stringify(loginInput)).toContain('[REDACTED]');
    expect(leaks({ details: JSON.stringify(failed.map((c) => ({ input: c.input, issues: c.issues, repro: c.repro }))) })).toEqual([]);
    const shown = (id: string) => JSON.stringify(report.checks.find((c) => c.id === id && c.status === 'failed')?.actual ?? null);
    for (const part of ['"pem":"[REDACTED]"', '"token":"[REDACTED]"', 'access_token=[REDACTED]', '["password","[REDACTED]"]', '["secretAccessKey","[REDACTED]"]']) expect(shown('returns.schema')).toContain(part);
    expect(shown('event.payload-schema')).toMatch(/"sig":"\[REDACTED\]","header":"Bearer \[REDACTED\]"/);
    expect(shown('errors.documented-shape')).toMatch(/auth:login.*with password \[REDACTED\]/);
    expect(shown('app.survives')).toMatch(/postgres:\/\/admin:\[REDACTED\]@db.*session blob/);
    // Expected schemas stay readable: the x-secret keyword is not itself redacted.
    const expectedSchema = JSON.stringify(report.checks.find((c) => c.id === 'returns.schema' && c.status === 'failed') as unknown);
    expect(expectedSchema).toContain('"pem":{"type":"string","x-secret":true}');
  }, 180_000);

  it('conform record --pack: no secret in the cassette or output; the cassette is 0600', async () => {
    const cassette = join(dir, 'with-pack.jsonl');
    const r = await runCli(['record', '--app', APP, '--out', cassette, '--pack', PACK], { LEAKY_AUTORUN: '1' }, recordedBoth(cassette));
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(cassette, 'utf8');
    expect(text).toContain('"type":"event"'); // the calls, their answers and the event were recorded
    expect(text).toContain('with password [REDACTED]');
    expect(statSync(cassette).mode & 0o777).toBe(0o600);
    expect(r.stderr).not.toMatch(/no --pack/);
    expect(leaks({ cassette: text, stdout: r.stdout, stderr: r.stderr })).toEqual([]);
  }, 180_000);

  it('conform record without a pack: warns, and redacts every secret a name or its form gives away', async () => {
    const cassette = join(dir, 'no-pack.jsonl');
    const r = await runCli(['record', '--app', APP, '--out', cassette], { LEAKY_AUTORUN: '1' }, recordedBoth(cassette));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: no --pack: .*positional password argument.*--pack/);
    const text = readFileSync(cassette, 'utf8');
    expect(text).toContain('"type":"event"');
    expect(leaks({ cassette: text, stdout: r.stdout, stderr: r.stderr }, NEED_A_PACK)).toEqual([]);
  }, 180_000);

  it('conform mock: a cassette holding secrets in clear is replayed without echoing them', async () => {
    const cassette = join(dir, 'hostile.jsonl');
    const pw = SECRETS.autorunPassword!;
    writeFileSync(cassette, [
      { conform: 'cassette', version: 1, app: 'leaky-app', pack: 'leaky', startedAt: '2026-01-01T00:00:00Z' },
      { seq: 1, t: 5, type: 'invoke', channel: 'auth:login', args: ['ada@example.com', pw], result: { session: { token: SECRETS.token, apiKey: SECRETS.apiKey } }, durationMs: 1 },
      { seq: 2, t: 9, type: 'invoke', channel: 'auth:login', args: ['not-an-email', pw], error: `Error invoking remote method 'auth:login': Error: login failed for not-an-email with password ${pw} (key ${SECRETS.apiKey})`, durationMs: 1 },
    ].map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = await runCli(['mock', PACK, '--renderer', join(APP, 'autorun.html'), '--cassette', cassette, '--speed', '0', '--no-control'], {},
      (o) => /Error occurred in handler for 'auth:login'/.test(o.stderr));
    // The page made both calls; main echoed the second one's rejection (Electron does), redacted.
    expect(r.stderr).toMatch(/Error occurred in handler for 'auth:login':.*with password \[REDACTED\] \(key \[REDACTED\]\)/);
    expect(leaks({ stdout: r.stdout, stderr: r.stderr })).toEqual([]);
  }, 180_000);
});
