// `conform record`: runs the real app with the instrumentation module (runner/instrument) and
// writes every invoke, send and event to a cassette as it happens. The hook keeps observations in
// the app's main process; this recorder drains them every few milliseconds and appends each
// entry with a synchronous write, so a crash of the app keeps everything drained before it (at
// most one poll interval is lost when the main process dies abruptly). Secrets are redacted with
// the pack's schemas when a pack is given, by credential-like names and free-text forms always,
// and every secret value seen is scrubbed from error texts as they come and, when the recording
// ends, from the whole cassette (so a secret seen late leaves no earlier copy).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writePrivateFile } from '../runner/private-file.ts';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Pack, SchemaNode } from '../specs/model.ts';
import { loadPack } from '../specs/loader.ts';
import { redactByNode, SecretSet } from '../specs/redact.ts';
import { launchApp, type LaunchedApp } from '../runner/runtime.ts';
import { createCassetteWriter, type CassetteWriter } from './cassette.ts';

const require = createRequire(import.meta.url);
const codec = require('../runner/instrument/codec.cjs') as { decodeValue(v: unknown): unknown };
export const INSTRUMENT = fileURLToPath(new URL('../runner/instrument/index.cjs', import.meta.url));

export interface RecordOptions {
  app: string;
  out: string;
  pack?: string;
  electron?: string;
  args?: string[];
  env?: Record<string, string>;
  /** Poll interval of the drain, ms (default 10). */
  pollMs?: number;
  log?: (line: string) => void;
}

export interface Recording {
  launched: LaunchedApp;
  writer: CassetteWriter;
  /** Resolves when the app has exited (closed by the user, crashed or stopped) and the cassette is complete. */
  done: Promise<{ entries: number; crashed: boolean }>;
  /** Drain what is left, close the app, finish the cassette. */
  stop(): Promise<{ entries: number; crashed: boolean }>;
}

interface Observation {
  kind: string;
  seq: number;
  t: number;
  channel?: string;
  api?: string;
  callId?: number;
  args?: unknown;
  ok?: boolean;
  value?: unknown;
  error?: { string?: string; message?: string };
  ms?: number;
}

function appName(main: string): string {
  const dir = existsSync(main) && statSync(main).isDirectory() ? main : dirname(main);
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
    if (pkg.name) return pkg.name;
  } catch {
    // No package.json: name the app after its folder.
  }
  return basename(dir);
}

export const NO_PACK_WARNING =
  'conform record: warning: no --pack: secrets are redacted by credential-like names (password, token, apiKey, ...) and free-text forms only; a secret passed or returned without such a name (a positional password argument, an x-secret field) is written in clear. Record with --pack <pack> to redact what the contract marks x-secret.';

/** Rewrites the finished cassette with every secret seen during the recording scrubbed from every line. */
function scrubCassette(file: string, secrets: SecretSet): void {
  if (secrets.size === 0 || !existsSync(file)) return;
  const lines = readFileSync(file, 'utf8').split('\n');
  const out = lines.map((line) => {
    if (!line.trim()) return line;
    try {
      return JSON.stringify(secrets.scrubDeep(JSON.parse(line)));
    } catch {
      return secrets.scrub(line); // a torn last line: text scrubbing keeps it as torn as it was
    }
  });
  writePrivateFile(file, out.join('\n'));
}

export async function startRecording(opts: RecordOptions): Promise<Recording> {
  const log = opts.log ?? (() => {});
  const pack: Pack | undefined = opts.pack ? await loadPack(opts.pack) : undefined;
  if (!pack) log(NO_PACK_WARNING);
  const main = resolve(opts.app);
  const launched = await launchApp({ main, args: opts.args, env: opts.env, electron: opts.electron, require: [INSTRUMENT] });
  const writer = createCassetteWriter(resolve(opts.out), {
    app: appName(main),
    ...(pack ? { pack: pack.name } : {}),
    runtime: launched.runtime.kind,
    startedAt: new Date().toISOString(),
  });
  const secrets = new SecretSet();
  // Ctrl-C can end the process through Playwright's own SIGINT handler (exit 130) before finish()
  // ran: the final scrub then runs on exit (it is synchronous).
  const scrubOnExit = () => scrubCassette(writer.file, secrets);
  process.once('exit', scrubOnExit);
  const redact = (value: unknown, node: SchemaNode | undefined) =>
    secrets.scrubDeep(redactByNode(value, node, pack?.schemas, { collect: secrets }));
  const pending = new Map<number, { channel: string; args: unknown[] }>();
  let cursor = 0;
  let lastT = 0;

  const handle = (o: Observation) => {
    const ch = o.channel ? pack?.byName.get(o.channel) : undefined;
    // Entries go out in observation order; `t` never goes backwards even if clocks jitter.
    const t = (lastT = Math.max(lastT, Math.round(o.t * 1000) / 1000));
    if (o.kind === 'handler-call' && o.callId !== undefined) {
      pending.set(o.callId, { channel: o.channel!, args: (codec.decodeValue(o.args) as unknown[]) ?? [] });
    } else if (o.kind === 'handler-settle' && o.callId !== undefined) {
      const call = pending.get(o.callId);
      pending.delete(o.callId);
      if (!call) return;
      const args = redact(call.args, ch?.args) as unknown[];
      const durationMs = Math.round((o.ms ?? 0) * 1000) / 1000;
      if (o.ok) writer.append({ t, type: 'invoke', channel: call.channel, args, result: redact(codec.decodeValue(o.value), ch?.returns), durationMs });
      else writer.append({ t, type: 'invoke', channel: call.channel, args, error: secrets.scrub(`Error invoking remote method '${call.channel}': ${o.error?.string ?? o.error?.message ?? 'error'}`), durationMs });
    } else if (o.kind === 'listener-call') {
      writer.append({ t, type: 'send', channel: o.channel!, args: redact(codec.decodeValue(o.args), ch?.args) as unknown[] });
    } else if (o.kind === 'send') {
      const args = (codec.decodeValue(o.args) as unknown[]) ?? [];
      const payload = ch?.payload;
      writer.append({ t, type: 'event', channel: o.channel!, args: payload ? [redact(args[0], payload), ...redact(args.slice(1), undefined) as unknown[]] : (redact(args, undefined) as unknown[]) });
    }
  };

  const drain = async (): Promise<boolean> => {
    try {
      for (;;) {
        const r = (await launched.app.evaluate((_e, c) => (globalThis as unknown as { __conform: { drain(c: number): unknown } }).__conform.drain(c), cursor)) as { cursor: number; items: Observation[]; more: boolean };
        for (const o of r.items) handle(o);
        cursor = r.cursor;
        if (!r.more) return true;
      }
    } catch {
      return false; // the app is gone
    }
  };

  let stopping = false;
  let crashed = false;
  let exited = false;
  const proc = launched.app.process();
  proc.once('exit', (code, signal) => {
    exited = true;
    crashed = code !== 0 || signal !== null;
  });
  const loop = (async () => {
    while (!stopping && !exited) {
      if (!(await drain())) break;
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 10));
    }
  })();
  let finished: Promise<{ entries: number; crashed: boolean }> | undefined;
  const finish = () =>
    (finished ??= (async () => {
      stopping = true;
      await loop;
      if (!exited) await drain();
      await launched.close();
      process.off('exit', scrubOnExit);
      scrubCassette(writer.file, secrets);
      if (pending.size > 0) log(`conform record: ${pending.size} call(s) had not been answered when the app stopped; they are not in the cassette`);
      return { entries: writer.count, crashed };
    })());
  const done = new Promise<{ entries: number; crashed: boolean }>((resolveDone) => {
    proc.once('exit', () => void finish().then(resolveDone));
  });
  return { launched, writer, done, stop: finish };
}

/** What a `--drive` script gets: the app's first window and the Electron app, as Playwright gives them. */
export interface DriveContext {
  page: import('playwright-core').Page;
  app: LaunchedApp['app'];
  log: (line: string) => void;
}

export class DriveScriptError extends Error {}

/**
 * Run a user's Playwright script against the recorded app's first window (`conform record
 * --drive <script>`), so a cassette holds a real session instead of start-up traffic only. The
 * script is an ES module (or TypeScript through tsx) whose default export is
 * `async ({ page, app, log }) => { ... }`.
 */
export async function driveRecording(rec: Recording, script: string, log: (line: string) => void = () => {}): Promise<void> {
  const file = resolve(script);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    throw new DriveScriptError(`cannot load the drive script ${script}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof mod.default !== 'function') throw new DriveScriptError(`the drive script ${script} must export a default async function ({ page, app, log }) => { ... }`);
  const page = await rec.launched.app.firstWindow({ timeout: 60_000 });
  await page.waitForLoadState('domcontentloaded');
  try {
    await (mod.default as (ctx: DriveContext) => Promise<void>)({ page, app: rec.launched.app, log });
  } catch (err) {
    throw new DriveScriptError(`the drive script ${script} failed: ${(err as Error).message.split('\n')[0]} (everything recorded until then is in the cassette)`);
  }
}
