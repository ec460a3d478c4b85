// The Electron side of the mock: registers a handler for every invoke channel and a listener for
// every send channel of the pack, delivers the engine's events with webContents.send, opens the
// renderer with the generated (or given) preload, and runs the control endpoint.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Electron from 'electron';
import { startControlServer, type ControlServer } from '../control.ts';
import { toThrowable } from '../engine.ts';
import { createEngine, type MockConfig } from '../host.ts';
import { generatePreload, LISTEN_CHANNEL, UNKNOWN_CHANNEL } from '../preload.ts';
import { writeVerifyReports } from '../verify.ts';

type ElectronModule = typeof Electron;

/** `file`, `folder` (its index.html) or URL -> what BrowserWindow loads. */
export function rendererTarget(renderer: string | undefined): { url?: string; file?: string } {
  if (!renderer) return { url: 'about:blank' };
  if (/^[a-z][a-z0-9+.-]*:/i.test(renderer) && !/^[a-z]:[\\/]/i.test(renderer)) return { url: renderer };
  const p = resolve(renderer);
  if (existsSync(p) && statSync(p).isDirectory()) return { file: join(p, 'index.html') };
  return { file: p };
}

/** A page of the renderer the mock was given: same dev-server origin, or a file in the renderer's folder. */
export function isRendererPage(target: { url?: string; file?: string }, url: string): boolean {
  let to: URL;
  try {
    to = new URL(url);
  } catch {
    return false;
  }
  if (target.file) return to.protocol === 'file:' && fileURLToPath(to).startsWith(dirname(resolve(target.file)) + sep);
  if (!target.url) return false;
  const from = new URL(target.url);
  return /^https?:$/.test(from.protocol) && to.origin === from.origin;
}

export async function startElectronMock(electron: ElectronModule, configFile: string): Promise<void> {
  const cfg = JSON.parse(readFileSync(configFile, 'utf8')) as MockConfig;
  const { app, BrowserWindow, ipcMain } = electron;
  // Lines logged while a call is answered are written after it, a tick's lines in one write: each
  // write to main's stderr (a pipe the launcher reads) wakes its reader, ~0.1-0.25 ms of handler
  // time per line on a loaded machine (39 "left open" warnings in a cosmosh run).
  const pending: string[] = [];
  const flushLog = () => {
    if (pending.length > 0) process.stderr.write(pending.splice(0).join(''));
  };
  const log = (line: string) => {
    if (pending.push(line + '\n') === 1) setImmediate(flushLog);
  };
  process.on('exit', flushLog); // also when start-up fails after a warning
  const { pack, engine } = await createEngine(cfg, log);
  if (pack.transport !== 'electron') throw new Error(`pack ${pack.name} is a Tauri pack: mock it with --browser (a Tauri frontend runs in a plain browser with __TAURI_INTERNALS__ injected)`);

  const windows = () => BrowserWindow.getAllWindows().filter((w) => !w.isDestroyed());
  engine.attach({
    event: (channel, args) => {
      for (const w of windows()) w.webContents.send(channel, ...args);
    },
  });
  for (const ch of pack.channels) {
    if (ch.kind === 'invoke') {
      ipcMain.handle(ch.name, async (_e, ...args: unknown[]) => {
        const out = await engine.call(ch.name, args);
        if (!out.ok) throw toThrowable(out.error);
        return out.value;
      });
    } else if (ch.kind === 'send') {
      ipcMain.on(ch.name, (_e, ...args: unknown[]) => engine.send(ch.name, args));
    }
  }
  ipcMain.on(LISTEN_CHANNEL, (_e, channel: unknown) => engine.listen(String(channel)));
  ipcMain.handle(UNKNOWN_CHANNEL, (_e, channel: unknown, args: unknown) => {
    const out = engine.unknown(String(channel), 'invoke', args);
    // A scenario's `extra:` may answer a channel the pack lacks.
    if (out.ok) return out.value;
    throw toThrowable(out.error);
  });
  ipcMain.on(UNKNOWN_CHANNEL, (_e, channel: unknown, args: unknown) => engine.unknown(String(channel), 'send', args));

  let control: ControlServer | undefined;
  if (cfg.control !== false) {
    control = await startControlServer(engine, { onQuit: () => app.quit(), tokenSha256: cfg.controlTokenSha256 });
    // One line the CLI reads (it holds the token): where to send `conform mock ctl` commands.
    process.stdout.write(`conform mock: control ${control.url}${control.token ? ` token ${control.token}` : ''}\n`);
  }

  let preloadPath = cfg.preload ? resolve(cfg.preload) : undefined;
  let tempDir: string | undefined;
  if (!preloadPath) {
    tempDir = mkdtempSync(join(tmpdir(), 'conform-mock-'));
    preloadPath = join(tempDir, `${pack.name}.preload.cjs`);
    writeFileSync(preloadPath, generatePreload(pack));
  }
  (globalThis as Record<string, unknown>).__conformMock = {
    engine,
    pack: pack.name,
    control: control ? { url: control.url } : undefined,
    calls: () => engine.calls,
  };

  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    engine.close();
    if (cfg.verifyOut) {
      try {
        const files = writeVerifyReports(pack, engine.calls, { outDir: cfg.verifyOut, reporters: cfg.reporters, runtime: cfg.runtime ?? "standin" });
        log(`conform mock: verification report written: ${files.join(', ')}`);
      } catch (err) {
        log(`conform mock: could not write the verification report: ${(err as Error).message}`);
      }
    }
    void control?.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    flushLog();
  };
  app.on('will-quit', finish);
  process.on('exit', finish);

  await app.whenReady();
  const win = new BrowserWindow({
    width: 1100,
    height: 760,
    webPreferences: { preload: preloadPath, contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  app.on('window-all-closed', () => app.quit());
  const target = rendererTarget(cfg.renderer);
  // The mock main process keeps Electron's security checklist like the app it stands for should:
  // no new windows, no navigation away from the renderer it was given.
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event, url) => {
    if (!isRendererPage(target, url)) event.preventDefault();
  });
  if (target.file) await win.loadFile(target.file);
  else await win.loadURL(target.url!);
}
