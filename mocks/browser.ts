// `conform mock --browser`: the renderer in plain Chromium (no Electron). The bridge generated from
// the pack (Electron methods over an ipcRenderer shim, or Tauri's __TAURI_INTERNALS__) is injected
// before the page's scripts; calls reach the mock engine in this Node process through
// `page.exposeBinding`, and the engine's pushes go back through `window.__conformDispatch`.
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { findChromium } from '../runner/runtime.ts';
import type { MockEngine } from './engine.ts';
import { answerHostMessage, batchingSink, type HostMessage } from './host.ts';
import { rendererTarget } from './main/electron-host.ts';
import { generateBrowserBridge } from './preload.ts';

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
  /** Resolves when every pushed event/message has been handed to the page. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startBrowserMock(engines: MockEngine | MockEngine[], opts: { renderer?: string; headless?: boolean; log?: (line: string) => void }): Promise<BrowserMock> {
  const log = opts.log ?? (() => {});
  const all = Array.isArray(engines) ? engines : [engines];
  const engine = all[0]!;
  if (all.length > 1 && all.some((e) => e.pack.transport !== 'tauri')) throw new Error('only Tauri packs can be mocked together (their bridge does not depend on the pack)');
  // Playwright gives every launch a fresh temporary profile (and removes it on close).
  const browser = await chromium.launch({ executablePath: findChromium().path, headless: opts.headless ?? true, args: CHROMIUM_FLAGS });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const e of all) e.close();
    await browser.close().catch(() => {});
  };
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.exposeBinding('__conformHost', (_source, msg: HostMessage) => answerHostMessage(all, msg));
    await page.addInitScript({ content: generateBrowserBridge(engine.pack, '(m) => window.__conformHost(m)') });
    const sink = batchingSink(
      (batch) => page.evaluate((b) => (window as unknown as { __conformDispatch?: (x: unknown) => void }).__conformDispatch?.(b), batch),
      (err) => {
        if (!closed) log(`conform mock: could not deliver to the page: ${err.message.split('\n')[0]}`);
      },
    );
    for (const e of all) e.attach(sink);
    const target = rendererTarget(opts.renderer);
    await page.goto(target.file ? pathToFileURL(target.file).href : target.url!);
    return { browser, context, page, idle: () => sink.idle(), close };
  } catch (err) {
    await close();
    throw err;
  }
}
