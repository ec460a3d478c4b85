// `conform mock --browser`: the renderer in plain Chromium (no Electron). A file or folder renderer
// is served over HTTP on 127.0.0.1 (mocks/serve.ts) so absolute asset paths work and the printed URL
// opens in any browser. The bridge (the pack's generated one, the app's own preload run against an
// `ipcRenderer` shim, or Tauri's __TAURI_INTERNALS__) goes in before the page's scripts, in the top
// frame only; in Conform's Chromium calls reach the engine through `page.exposeBinding`, in other
// browsers through the served endpoints (mocks/endpoints.ts). Navigation away from the renderer
// and pop-ups are blocked, as the Electron mock's window does.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { findChromium } from '../runner/runtime.ts';
import type { EngineSink, MockEngine } from './engine.ts';
import { rendererEndpoints } from './endpoints.ts';
import { answerHostMessage, batchingSink, type HostMessage } from './host.ts';
import { rendererTarget } from './main/electron-host.ts';
import { generateBrowserBridge } from './preload.ts';
import { serveRenderer, type EarlyServer, type RendererServer } from './serve.ts';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Module scripts and CSS load from file:// as they do in Electron.
  '--allow-file-access-from-files',
];

export interface BrowserMock {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The renderer's URL: served by the mock for files/folders, the dev server's for a URL. */
  url: string;
  /** Resolves when every pushed event/message has been handed to the page. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserMockOptions {
  renderer?: string;
  /** The app's own preload (Electron packs): run in the page instead of the bridge generated from the pack. */
  preload?: string;
  headless?: boolean;
  log?: (line: string) => void;
  /** Called with the renderer's URL as soon as it is served, before Chromium starts. */
  onServing?: (url: string) => void;
  /** A server already serving the renderer (mocks/serve.ts serveRendererEarly), so its URL could be printed before the engine loaded. */
  served?: EarlyServer;
  /** Called with the page before it loads the renderer (console listeners, routes). */
  onPage?: (page: Page) => void;
}

/** Fan one engine sink out to several (Conform's page and pages opened over the served URL). */
function fanOut(...sinks: EngineSink[]): EngineSink {
  return {
    event: (channel, args) => sinks.forEach((s) => s.event(channel, args)),
    channelMessage: (id, message) => sinks.forEach((s) => s.channelMessage?.(id, message)),
  };
}

/**
 * A display for `--headed`: the current one, or a private Xvfb when none is set and Xvfb exists.
 * Returns undefined (and the caller runs headless) when neither is available.
 */
export async function headedDisplay(log: (line: string) => void): Promise<{ env: Record<string, string>; pid?: number; stop(): Promise<void> } | undefined> {
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return { env: {}, stop: async () => {} };
  const xvfb = ['/usr/bin/Xvfb', '/usr/local/bin/Xvfb'].find((p) => existsSync(p));
  if (!xvfb) {
    log('conform mock: --headed needs a display (DISPLAY is not set and Xvfb is not installed); running headless, open the URL above in a browser instead');
    return undefined;
  }
  // -displayfd: Xvfb picks a free display number and writes it to fd 3 when it is ready.
  const proc: ChildProcess = spawn(xvfb, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x800x24'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const display = await new Promise<string | undefined>((ok) => {
    let text = '';
    proc.stdio[3]!.on('data', (d: Buffer) => {
      text += String(d);
      if (text.includes('\n')) ok(text.trim());
    });
    proc.once('exit', () => ok(undefined));
    setTimeout(() => ok(undefined), 10_000).unref();
  });
  if (!display) {
    proc.kill();
    log('conform mock: --headed needs a display (DISPLAY is not set and Xvfb did not start); running headless');
    return undefined;
  }
  log(`conform mock: no DISPLAY; started Xvfb on :${display} (view it with a VNC server or take screenshots)`);
  const exited = new Promise<void>((ok) => (proc.exitCode !== null ? ok() : proc.once('exit', () => ok())));
  return {
    env: { DISPLAY: `:${display}` },
    pid: proc.pid,
    stop: async () => {
      proc.kill();
      await exited;
    },
  };
}

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return /^https?:$/.test(u.protocol) ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

export async function startBrowserMock(engines: MockEngine | MockEngine[], opts: BrowserMockOptions = {}): Promise<BrowserMock> {
  const log = opts.log ?? (() => {});
  const all = Array.isArray(engines) ? engines : [engines];
  const engine = all[0]!;
  if (all.length > 1 && all.some((e) => e.pack.transport !== 'tauri')) throw new Error('only Tauri packs can be mocked together (their bridge does not depend on the pack)');
  if (opts.preload && engine.pack.transport !== 'electron') throw new Error(`--preload is for Electron packs; ${engine.pack.name} is a ${engine.pack.transport} pack`);
  const preload = opts.preload ? { source: readFileSync(opts.preload, 'utf8'), file: opts.preload } : undefined;
  const endpoints = rendererEndpoints(all, { preload, log });
  const target = rendererTarget(opts.renderer);
  let server: RendererServer | undefined;
  let browser: Browser | undefined;
  let display: Awaited<ReturnType<typeof headedDisplay>>;
  let closed = false;
  let closing: Promise<void> | undefined;
  // Every caller waits for the whole shutdown (the CLI exits right after), Xvfb included.
  const close = () =>
    (closing ??= (async () => {
      closed = true;
      for (const e of all) e.close();
      await browser?.close().catch(() => {});
      await server?.close();
      await display?.stop();
    })());
  try {
    if (opts.served) {
      server = opts.served.server;
      opts.served.provide(endpoints);
    } else if (target.file) server = await serveRenderer(opts.renderer!, endpoints, { log });
    const url = server?.url ?? target.url!;
    opts.onServing?.(url);
    let headless = opts.headless ?? true;
    if (!headless) {
      display = await headedDisplay(log);
      headless = !display;
    }
    // Playwright gives every launch a fresh temporary profile (and removes it on close).
    browser = await chromium.launch({ executablePath: findChromium().path, headless, args: CHROMIUM_FLAGS, env: { ...process.env, ...display?.env } as Record<string, string> });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.exposeBinding('__conformHost', (source, msg: HostMessage) =>
      // The bridge is the renderer's: a frame of another origin must not reach the mock.
      source.frame === page.mainFrame() ? answerHostMessage(all, msg) : { ok: false, error: 'Error: conform mock: the bridge answers the top frame only' },
    );
    await page.addInitScript({ content: generateBrowserBridge(engine.pack, '(m) => window.__conformHost(m)', preload) });
    const allowed = originOf(url);
    if (allowed) {
      await page.route('**/*', (route) => {
        const req = route.request();
        if (req.isNavigationRequest() && req.frame() === page.mainFrame() && originOf(req.url()) !== allowed) {
          log(`conform mock: blocked navigation away from the renderer to ${req.url()}`);
          // ERR_ABORTED leaves the current page in place (a blocked-by-client error would replace it).
          return route.abort('aborted');
        }
        return route.fallback();
      });
    }
    context.on('page', (popup) => {
      if (popup === page) return;
      log(`conform mock: blocked a pop-up window (${popup.url() || 'window.open'})`);
      void popup.close();
    });
    const sink = batchingSink(
      (batch) => page.evaluate((b) => (window as unknown as { __conformDispatch?: (x: unknown) => void }).__conformDispatch?.(b), batch),
      (err) => {
        if (!closed) log(`conform mock: could not deliver to the page: ${err.message.split('\n')[0]}`);
      },
    );
    const both = fanOut(sink, endpoints.sink);
    for (const e of all) e.attach(both);
    opts.onPage?.(page);
    await page.goto(url);
    return { browser, context, page, url, idle: () => Promise.all([sink.idle(), endpoints.sink.idle()]).then(() => {}), close };
  } catch (err) {
    await close();
    throw err;
  }
}
