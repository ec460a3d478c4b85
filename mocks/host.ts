// What every mock host shares: building the engine from options, answering the bridge's host
// protocol (browser and Vite), and a sink that batches pushes into `window.__conformDispatch`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Collection, Pack } from '../specs/model.ts';
import { loadPack } from '../specs/loader.ts';
import { readCassette } from './cassette.ts';
import { controlTokenSha256, newToken } from './control.ts';
import { MockEngine } from './engine.ts';
import type { EngineSink, Outcome } from './engine.ts';
import { LISTEN_CHANNEL, UNKNOWN_CHANNEL } from './preload.ts';
import { resolveScenario } from './scenario.ts';

/** Everything a mock host needs to build its engine; JSON-serializable (handed to the Electron main process as a file). */
export interface MockConfig {
  pack: string;
  packsDir?: string;
  seed?: number;
  speed?: number;
  cassette?: string;
  tolerateTruncated?: boolean;
  scenario?: string;
  collections?: Omit<Collection, 'pos'>[];
  /** Renderer to load: URL, HTML file or folder (its index.html). */
  renderer?: string;
  preload?: string;
  /** The app's TypeScript type files (with `preload`): open returns are generated from them (mocks/type-hints.ts). */
  types?: string[];
  /** Reject calls whose params break the contract (see EngineOptions.strictParams). */
  strictParams?: boolean;
  /** Start the loopback control endpoint. */
  control?: boolean;
  /** SHA-256 of the control token (the Electron mock's main process never gets the token itself). */
  controlTokenSha256?: string;
  /** Consumer verification: write reports to this folder when the mock stops. */
  verifyOut?: string;
  reporters?: string[];
  /** Which runtime the Electron host runs on (for reports). */
  runtime?: 'electron' | 'standin';
}

/** The Electron mock's main script (mocks/main/main.cjs). */
const MOCK_MAIN = fileURLToPath(new URL('./main/main.cjs', import.meta.url));

/**
 * The Electron mock as an app to launch: its main script and the argument that hands it `cfg`
 * (written to a temp file, which `remove()` deletes). With the control endpoint on, the token is
 * made here and main gets only its hash; `controlToken` is for the caller, `controlTokenFile`
 * holds it (0600, in the same 0700 temp folder) for `conform mock ctl --token-file`.
 */
export function electronMockApp(cfg: MockConfig): { main: string; args: string[]; remove(): void; controlToken?: string; controlTokenFile?: string } {
  const dir = mkdtempSync(join(tmpdir(), 'conform-mock-'));
  const file = join(dir, 'config.json');
  const controlToken = cfg.control === false ? undefined : newToken();
  writeFileSync(file, JSON.stringify({ ...cfg, ...(controlToken ? { controlTokenSha256: controlTokenSha256(controlToken) } : {}) }), { mode: 0o600 });
  let controlTokenFile: string | undefined;
  if (controlToken) writeFileSync((controlTokenFile = join(dir, 'control-token')), controlToken, { mode: 0o600 });
  return { main: MOCK_MAIN, args: [`--conform-mock-config=${file}`], remove: () => rmSync(dir, { recursive: true, force: true }), controlToken, controlTokenFile };
}

export async function createEngine(cfg: MockConfig, log: (line: string) => void = () => {}): Promise<{ pack: Pack; engine: MockEngine }> {
  const pack = await loadPack(cfg.pack, cfg.packsDir ? { packsDir: cfg.packsDir } : {});
  const cassette = cfg.cassette ? readCassette(cfg.cassette, { tolerateTruncatedTail: cfg.tolerateTruncated }) : undefined;
  if (cassette?.truncatedLine) log(`conform mock: ${cfg.cassette}:${cassette.truncatedLine}: dropped the truncated last line`);
  if (cassette?.header.pack && cassette.header.pack !== pack.name) {
    log(`conform mock: ${cfg.cassette} was recorded with pack ${cassette.header.pack}, not ${pack.name}: only calls that match by channel and args are replayed`);
  }
  const scenario = cfg.scenario ? resolveScenario(cfg.scenario, pack) : undefined;
  const collections = (cfg.collections ?? []).map((c) => ({ ...c, pos: { file: '(mock options)', line: 1, col: 1 } }));
  // Imported on demand: the TypeScript compiler is heavy and only --types needs it.
  const typeHints = cfg.types?.length && cfg.preload ? await (await import('./type-hints.ts')).loadTypeHints(cfg.preload, cfg.types, log) : undefined;
  const engine = new MockEngine(pack, { seed: cfg.seed, speed: cfg.speed, cassette, scenario, collections, strictParams: cfg.strictParams, typeHints, log });
  return { pack, engine };
}

export interface HostMessage {
  op: 'invoke' | 'send' | 'listen';
  channel: string;
  args?: unknown;
}

/** The engine whose pack has `channel` (several Tauri packs can be mocked together), else the first. */
export function pickEngine(engines: MockEngine | MockEngine[], channel: string): MockEngine {
  const list = Array.isArray(engines) ? engines : [engines];
  return list.find((e) => e.pack.byName.has(channel)) ?? list[0]!;
}

/** Answer one message of the bridge's host protocol. */
export async function answerHostMessage(engines: MockEngine | MockEngine[], msg: HostMessage): Promise<Outcome> {
  const routeBy = (msg.channel === UNKNOWN_CHANNEL || msg.channel === LISTEN_CHANNEL) && Array.isArray(msg.args) ? String(msg.args[0]) : msg.channel;
  const engine = pickEngine(engines, routeBy);
  if (msg.op === 'listen') {
    engine.listen(msg.channel);
    return { ok: true, value: null };
  }
  const args = msg.args ?? [];
  if (msg.channel === UNKNOWN_CHANNEL && Array.isArray(args)) return engine.unknown(String(args[0]), msg.op === 'send' ? 'send' : 'invoke', args[1]);
  if (msg.channel === LISTEN_CHANNEL && Array.isArray(args)) {
    engine.listen(String(args[0]));
    return { ok: true, value: null };
  }
  if (msg.op === 'send') {
    engine.send(msg.channel, Array.isArray(args) ? args : [args]);
    return { ok: true, value: null };
  }
  try {
    return await engine.call(msg.channel, args);
  } catch (err) {
    return { ok: false, error: `Error: conform mock: ${(err as Error).message}` };
  }
}

export type DispatchItem =
  | { type: 'event'; channel: string; args: unknown[] }
  | { type: 'channel'; id: number; message: { index: number; message?: unknown; end?: true } };

/**
 * A sink that hands pushes to `deliver` in batches, in order: one delivery at a time, everything
 * that queued meanwhile goes in the next batch.
 */
export function batchingSink(deliver: (batch: DispatchItem[]) => Promise<unknown>, onError: (err: Error) => void): EngineSink & { idle(): Promise<void> } {
  let queue: DispatchItem[] = [];
  let running: Promise<void> | undefined;
  const pump = async () => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await deliver(batch);
      } catch (err) {
        onError(err as Error);
      }
    }
    running = undefined;
  };
  const push = (item: DispatchItem) => {
    queue.push(item);
    running ??= pump();
  };
  return {
    event: (channel, args) => push({ type: 'event', channel, args }),
    channelMessage: (id, message) => push({ type: 'channel', id, message }),
    idle: async () => {
      while (running) await running;
    },
  };
}
