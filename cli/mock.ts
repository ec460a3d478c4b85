// `conform mock <pack>`: run a renderer against the contract alone (mocks/). Electron packs run in
// the mock main process (real Electron or the stand-in) with the generated preload; `--browser`
// (and every Tauri pack) runs the renderer in plain Chromium with the bridge injected.
// `conform mock ctl <url> <command>` drives a running mock's control endpoint; the token comes from
// CONFORM_MOCK_TOKEN or --token-file (an argument would show it to every local user in `ps`).
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SecretSet } from '../specs/redact.ts';
import { CassetteError, cassetteSecrets, readCassette } from '../mocks/cassette.ts';
import { controlAnnouncement, startControlServer, writeControlTokenFile } from '../mocks/control.ts';
import { serveRendererEarly, type EarlyServer } from '../mocks/serve.ts';
import { createEngine, electronMockApp, type MockConfig } from '../mocks/host.ts';
import { judgedCalls, writeVerifyReports } from '../mocks/verify.ts';
import { loadPack } from '../specs/loader.ts';
import { resolveScenario } from '../mocks/scenario.ts';
import { launchApp } from '../runner/runtime.ts';
import { UsageError } from './errors.ts';

interface MockOptions {
  renderer?: string;
  preload?: string;
  types?: string[];
  cassette?: string;
  tolerateTruncated?: boolean;
  scenario?: string;
  seed: string;
  speed: string;
  browser?: boolean;
  headed?: boolean;
  open?: boolean;
  duration?: string;
  verify?: boolean;
  out: string;
  reporter: string;
  electron?: string;
  control: boolean;
  strictParams?: boolean;
}

function number(name: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`${name} must be a number >= ${min} (got "${raw}")`);
  return n;
}

/** Checks what can be checked before starting anything, so mistakes get one clear paragraph. */
async function preflight(packName: string, o: MockOptions): Promise<void> {
  const pack = await loadPack(packName);
  if (o.cassette) {
    try {
      readCassette(o.cassette, { tolerateTruncatedTail: o.tolerateTruncated });
    } catch (err) {
      if (err instanceof CassetteError) throw new UsageError(err.message);
      throw err;
    }
  }
  if (o.scenario) resolveScenario(o.scenario, pack);
  if (o.preload && !existsSync(o.preload)) throw new UsageError(`--preload ${o.preload} does not exist`);
  if (o.types?.length && !o.preload) throw new UsageError("--types needs --preload: the mock reads the return types the preload's methods declare (as conform extract does)");
  for (const f of o.types ?? []) if (!existsSync(f)) throw new UsageError(`--types ${f} does not exist`);
  if (o.renderer && !/^[a-z][a-z0-9+.-]*:/i.test(o.renderer) && !existsSync(o.renderer)) {
    throw new UsageError(`--renderer ${o.renderer} is neither a URL nor an existing file or folder`);
  }
}

async function runElectron(cfg: MockConfig, electron: string | undefined, durationMs?: number): Promise<void> {
  const mock = electronMockApp(cfg);
  // Ctrl-C may end this process through Playwright's own SIGINT handler (exit 130): clean up on exit too.
  process.once('exit', mock.remove);
  try {
    const launched = await launchApp({ main: mock.main, args: mock.args, electron, timeoutMs: 60_000 });
    process.stderr.write(`conform mock: ${cfg.pack} on ${launched.runtime.reason}\n`);
    const proc = launched.app.process();
    proc.stdout?.on('data', (d: Buffer) => {
      // Main prints the control URL only (it never has the token); the token is announced here.
      const text = String(d).replace(/^conform mock: control (\S+)\n/m, (_m, url: string) => {
        announceControl(url, mock.controlToken!, mock.controlTokenFile!);
        return '';
      });
      if (text) process.stdout.write(text);
    });
    // A cassette's error texts are echoed by main (Electron's "Error occurred in handler" lines):
    // they pass the same redaction as everything written out.
    const secrets = cfg.cassette ? cassetteSecrets(readCassette(cfg.cassette, { tolerateTruncatedTail: cfg.tolerateTruncated }), await loadPack(cfg.pack)) : new SecretSet();
    proc.stderr?.on('data', (d: Buffer) => {
      const text = String(d);
      // The debug endpoints' own lines are noise for a developer.
      if (!/Debugger (listening|ending|attached)|DevTools listening|For help, see: https:\/\/nodejs.org/.test(text)) process.stderr.write(secrets.scrub(text));
    });
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    const stop = () => void launched.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const timer = durationMs ? setTimeout(stop, durationMs) : undefined;
    await exited;
    if (timer) clearTimeout(timer);
    await launched.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  } finally {
    mock.remove();
    process.off('exit', mock.remove);
  }
}

/**
 * The Electron mock loads a file renderer from file://, where `/assets/app.js` means the file
 * system's root: a Vite build with the default base renders blank. Say so instead of staying silent.
 */
function warnAbsoluteAssets(renderer: string | undefined): void {
  if (!renderer || /^[a-z][a-z0-9+.-]*:/i.test(renderer)) return;
  const html = statSync(renderer).isDirectory() ? join(renderer, 'index.html') : renderer;
  if (!existsSync(html)) return;
  const abs = /\s(?:src|href)=["']\/(?!\/)([^"']+)["']/i.exec(readFileSync(html, 'utf8'));
  if (abs) process.stderr.write(`conform mock: ${html} loads /${abs[1]} by an absolute path, which file:// resolves from the file system's root; use --browser (served over HTTP from the renderer's folder) or build with base: './'\n`);
}

/** The renderer's URL, as soon as it is known (the first line a developer needs). */
function announce(url: string, cfg: Pick<MockConfig, 'preload'>, open: boolean): void {
  process.stdout.write(`conform mock: renderer at ${url}${cfg.preload ? ` (bridge from ${cfg.preload})` : ''}\n`);
  if (open) openInSystemBrowser(url);
}

/** Open `url` in the system browser; a missing opener is one line, never a failure. */
function openInSystemBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
  child.once('error', () => process.stderr.write(`conform mock: could not run ${opener}; open ${url} yourself\n`));
  child.unref();
}

async function runBrowser(cfg: MockConfig, packs: string[], o: { headed: boolean; open: boolean; durationMs?: number; served?: EarlyServer }): Promise<void> {
  const startedAt = performance.now();
  const log = (line: string) => process.stderr.write(line + '\n');
  const { startBrowserMock } = await import('../mocks/browser.ts');
  const built = [];
  try {
    for (const p of packs) built.push(await createEngine({ ...cfg, pack: p }, log));
  } catch (err) {
    o.served?.fail(err as Error);
    await o.served?.server.close();
    throw err;
  }
  const engine = built.map((b) => b.engine);
  const pack = built[0]!.pack;
  let mock: Awaited<ReturnType<typeof startBrowserMock>> | undefined;
  let stopping = false;
  const stop = () => {
    stopping = true;
    void mock?.close();
  };
  const control = cfg.control === false ? undefined : await startControlServer(engine, { onQuit: stop });
  const tokenFile = control ? writeControlTokenFile(control.token!) : undefined;
  const removeTokenDir = () => tokenFile?.remove();
  process.once('exit', removeTokenDir);
  if (control) announceControl(control.url, control.token!, tokenFile!.file);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    mock = await startBrowserMock(engine, {
      renderer: cfg.renderer,
      preload: cfg.preload,
      headless: !o.headed,
      log,
      served: o.served,
      onServing: (url) => {
        if (!o.served) announce(url, cfg, o.open);
        log(`conform mock: starting Chromium${o.headed ? '' : ' (headless)'}...`);
      },
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  if (stopping) await mock.close();
  const closed = new Promise<void>((r) => (mock.browser.isConnected() ? mock.browser.once('disconnected', () => r()) : r()));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  log(`conform mock: ${packs.join(' + ')} (${pack.transport}) page loaded in ${((performance.now() - startedAt) / 1000).toFixed(1)} s; ${o.durationMs ? `stopping after ${o.durationMs} ms` : 'Ctrl-C to stop'}`);
  const timer = o.durationMs ? setTimeout(stop, o.durationMs) : undefined;
  await closed;
  if (timer) clearTimeout(timer);
  await mock.close();
  await control?.close();
  removeTokenDir();
  process.off('exit', removeTokenDir);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (cfg.verifyOut) {
    const calls = engine.flatMap((e) => e.calls);
    const files = writeVerifyReports(pack, calls, { outDir: cfg.verifyOut, reporters: cfg.reporters, seed: cfg.seed });
    process.stderr.write(`conform mock: verification judged ${judgedCalls(calls)} bridge call(s); report written: ${files.join(', ')}\n`);
  }
}

/**
 * Where `conform mock ctl` commands go. The token is shown on a terminal only: CI logs keep
 * stdout, so there the line names the 0600 file holding it (removed when the mock stops).
 */
function announceControl(url: string, token: string, tokenFile: string): void {
  process.stdout.write(`${controlAnnouncement(url, token, tokenFile, !!process.stdout.isTTY)}\n`);
}

/** The control token for `mock ctl`: --token-file, else CONFORM_MOCK_TOKEN. */
export function ctlToken(opts: { tokenFile?: string }): string {
  if (opts.tokenFile) {
    try {
      return readFileSync(opts.tokenFile, 'utf8').trim();
    } catch (err) {
      throw new UsageError(`--token-file ${opts.tokenFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (the mock prints the file it wrote its token to, and removes it when it stops)`);
    }
  }
  const env = process.env.CONFORM_MOCK_TOKEN;
  if (env) return env.trim();
  throw new UsageError('mock ctl needs the control token: --token-file <file> (the file the mock printed) or CONFORM_MOCK_TOKEN=<token>');
}

/** Exit 1 when the verification report has failures (like `conform run`). */
function verifyExitCode(outDir: string): number {
  const file = join(outDir, 'conform-report.json');
  if (!existsSync(file)) return 0;
  const r = JSON.parse(readFileSync(file, 'utf8')) as { summary?: { failed?: number } };
  if ((r.summary?.failed ?? 0) > 0) {
    process.stderr.write(`conform mock: verification failed: ${r.summary!.failed} finding(s); see ${file}\n`);
    return 1;
  }
  return 0;
}

const CTL_USAGE =
  'commands: status | calls | quit | scenario <name|file> | emit <event> [payload-json] | fault <channel> (error <message> | latency <ms> | stream <normal|error|abort> | result <json>)... | clear [channel] | speed <factor>';

export async function ctl(url: string, token: string, command: string, args: string[]): Promise<unknown> {
  let path = `/${command}`;
  let body: Record<string, unknown> | undefined;
  const json = (raw: string, what: string) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new UsageError(`${what} must be JSON (got ${raw})`);
    }
  };
  switch (command) {
    case 'status':
    case 'calls':
      break;
    case 'quit':
      body = {};
      break;
    case 'scenario':
      if (!args[0]) throw new UsageError(`scenario needs a name or file; ${CTL_USAGE}`);
      body = { name: /[/\\]/.test(args[0]) ? resolve(args[0]) : args[0] };
      break;
    case 'emit':
      if (!args[0]) throw new UsageError(`emit needs an event name; ${CTL_USAGE}`);
      body = { event: args[0], ...(args[1] !== undefined ? { payload: json(args[1], 'the payload') } : {}) };
      break;
    case 'fault': {
      if (!args[0] || args.length < 3 || args.length % 2 === 0) throw new UsageError(`fault needs a channel and key/value pairs; ${CTL_USAGE}`);
      body = { channel: args[0] };
      for (let i = 1; i < args.length; i += 2) {
        const [k, v] = [args[i]!, args[i + 1]!];
        if (k === 'error') body.error = v;
        else if (k === 'latency') body.latencyMs = number('latency', v, 0);
        else if (k === 'stream') body.stream = v;
        else if (k === 'result') body.result = json(v, 'result');
        else throw new UsageError(`unknown fault key "${k}"; ${CTL_USAGE}`);
      }
      break;
    }
    case 'clear':
      body = args[0] ? { channel: args[0] } : {};
      break;
    case 'speed':
      body = { speed: number('speed', args[0] ?? '', 0) };
      break;
    default:
      throw new UsageError(`unknown ctl command "${command}"; ${CTL_USAGE}`);
  }
  let res: Response;
  try {
    res = await fetch(new URL(path, url), {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (err) {
    throw new UsageError(`cannot reach the mock's control endpoint at ${url}: ${(err as Error).message} (is the mock running? use the URL and token it printed)`);
  }
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new UsageError(`mock ctl ${command}: ${String(answer.error ?? res.statusText)}`);
  path = '';
  return answer;
}

/** `conform mock <pack>` once the arguments are read: checks, then the Electron or browser mock. */
async function mockAction(packs: string[], o: MockOptions, served: EarlyServer | undefined): Promise<void> {
  for (const p of packs) await preflight(p, o);
  const pack = await loadPack(packs[0]!);
  if (packs.length > 1) {
    for (const p of packs) if ((await loadPack(p)).transport !== 'tauri') throw new UsageError(`only Tauri packs can be mocked together; ${p} is an Electron pack`);
  }
  const cfg: MockConfig = {
    pack: packs[0]!,
    seed: number('--seed', o.seed, 0),
    speed: number('--speed', o.speed, 0),
    cassette: o.cassette ? resolve(o.cassette) : undefined,
    tolerateTruncated: o.tolerateTruncated,
    scenario: o.scenario && /[/\\]|\.(ya?ml|json)$/i.test(o.scenario) ? resolve(o.scenario) : o.scenario,
    renderer: o.renderer && !/^[a-z][a-z0-9+.-]*:/i.test(o.renderer) ? resolve(o.renderer) : o.renderer,
    preload: o.preload ? resolve(o.preload) : undefined,
    types: o.types?.map((f) => resolve(f)),
    control: o.control,
    strictParams: o.strictParams,
    verifyOut: o.verify ? resolve(o.out) : undefined,
    reporters: o.reporter.split(',').map((s) => s.trim()).filter((s) => s && s !== 'list'),
  };
  const durationMs = o.duration === undefined ? undefined : number('--duration', o.duration, 1);
  if (o.browser || pack.transport === 'tauri') {
    if (o.preload && pack.transport !== 'electron') throw new UsageError(`--preload is for Electron packs; ${pack.name} is a ${pack.transport} pack (its bridge is __TAURI_INTERNALS__)`);
    await runBrowser(cfg, packs, { headed: !!o.headed, open: !!o.open, durationMs, served });
  } else {
    if (o.open || o.headed) throw new UsageError('--open and --headed apply to --browser (the Electron mock shows its own window)');
    warnAbsoluteAssets(cfg.renderer);
    await runElectron(cfg, o.electron, durationMs);
  }
  if (cfg.verifyOut) process.exitCode = verifyExitCode(cfg.verifyOut);
}

export function register(program: Command): void {
  const mock = program
    .command('mock')
    .description('Run a renderer against a mock of the pack (no backend): every channel answered from scenario, cassette, collections or generated values')
    .argument('<pack>', 'pack name or folder; several Tauri packs joined with commas are mocked together (--browser)')
    .option('--renderer <url|file|folder>', 'what to load: a dev server URL, an HTML file, or a folder with index.html')
    .option('--preload <file>', "your app's own preload instead of the one generated from the pack (Electron packs; with --browser it runs in the page against an ipcRenderer that talks to the mock)")
    .option('--types <file...>', "the app's TypeScript type files (with --preload): returns the contract leaves open are generated from the types the preload declares")
    .option('--cassette <file>', 'answer from and replay streams of this recording')
    .option('--tolerate-truncated', 'drop a cut-off last line of the cassette instead of failing')
    .option('--scenario <name|file>', 'scenario: default, errors, slow, stream-errors, stream-aborts, or a YAML/JSON file')
    .option('--seed <n>', 'seed of generated values and synthesized streams', '1')
    .option('--speed <factor>', 'replay/synthesis speed: 1 = recorded timing, 0 = no delays', '1')
    .option('--browser', 'serve the renderer in plain Chromium with the bridge injected (no Electron; always used for Tauri packs)')
    .option('--headed', 'with --browser: show the browser window (starts Xvfb when there is no display)')
    .option('--open', 'with --browser: also open the renderer URL in the system browser')
    .option('--duration <ms>', 'stop the mock after this many milliseconds (then --verify writes its report)')
    .option('--verify', 'consumer verification: check every call the renderer makes and write a report when the mock stops')
    .option('--out <dir>', 'where --verify writes its report', 'conform-mock-report')
    .option('--reporter <list>', 'report formats for --verify: json,junit,md,html', 'json,md')
    .option('--electron <path>', 'Electron binary (default: real Electron if installed, else the stand-in)')
    .option('--no-control', 'do not start the loopback control endpoint')
    .option('--strict-params', "reject calls whose params break the contract, with the channel's documented error")
    .action(async (packArg: string, o: MockOptions) => {
      const packs = packArg.split(',').map((p) => (p.includes('/') ? resolve(p) : p));
      // With --browser and a file/folder renderer the URL is known before anything loads: print it first.
      let served: EarlyServer | undefined;
      if (o.browser && o.renderer && !/^[a-z][a-z0-9+.-]*:/i.test(o.renderer) && existsSync(o.renderer)) {
        served = await serveRendererEarly(resolve(o.renderer));
        announce(served.server.url, { preload: o.preload }, !!o.open);
        process.stderr.write('conform mock: loading the pack...\n');
      }
      try {
        await mockAction(packs, o, served);
      } catch (err) {
        served?.fail(err as Error);
        await served?.server.close();
        throw err;
      }
    });

  mock
    .command('ctl')
    .description(`Control a running mock: ${CTL_USAGE}`)
    .argument('<url>', 'control URL the mock printed')
    .argument('<command>')
    .argument('[args...]')
    .option('--token-file <file>', 'file holding the token (the mock prints it); default: CONFORM_MOCK_TOKEN')
    .action(async (url: string, command: string, args: string[], o: { tokenFile?: string }) => {
      const answer = await ctl(url, ctlToken(o), command, args);
      process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    });
}
