// Shared launch-and-observe helpers of the reference-app tests: start an app (optionally with
// faults and Conform's instrumentation hook), stop it, and settle bridge calls inside its renderer.
import { fileURLToPath } from 'node:url';
import type { ElectronApplication, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchApp, type LaunchedApp } from '../../runner/runtime.ts';

const INSTRUMENT = fileURLToPath(new URL('../../runner/instrument/index.cjs', import.meta.url));

export interface Started {
  launched: LaunchedApp;
  page: Page;
}

export interface ExampleApp {
  /** Launch; `instrument` loads Conform's observation hook into main first (as `conform run` does). */
  start(faults?: string, instrument?: boolean): Promise<Started>;
  stop(s: Started | undefined): Promise<void>;
  /** Launch with one fault, run `body`, always stop the app. */
  withFault<T>(id: string, body: (s: Started) => Promise<T>, instrument?: boolean): Promise<T>;
  /** Stop every app still running (for afterAll). */
  stopAll(): Promise<void>;
}

export function exampleApp(opts: { main: string; env: Record<string, string>; ready: () => boolean }): ExampleApp {
  const live = new Set<LaunchedApp>();
  const app: ExampleApp = {
    async start(faults = '', instrument = false) {
      const launched = await launchApp({ main: opts.main, require: instrument ? [INSTRUMENT] : [], env: { CONFORM_FAULTS: faults, ...opts.env } });
      live.add(launched);
      const page = await launched.app.firstWindow();
      await page.waitForFunction(opts.ready, undefined, { timeout: 30_000 });
      return { launched, page };
    },
    async stop(s) {
      if (!s) return;
      live.delete(s.launched);
      await s.launched.close();
    },
    async withFault(id, body, instrument = false) {
      const s = await app.start(id, instrument);
      try {
        return await body(s);
      } finally {
        await app.stop(s);
      }
    },
    async stopAll() {
      await Promise.all([...live].map((l) => l.close()));
      live.clear();
    },
  };
  return app;
}

export type Settled = { ok?: boolean; value?: any; error?: string; pending?: boolean };

/** How long a call that should answer gets (generous: answers take milliseconds, but a loaded 2-core machine stalls). */
export const SETTLE_MS = 15_000;
/** How long a call that should hang is watched: nothing ever settles it, so a short look cannot mislead. */
export const HANG_WATCH_MS = 1_500;

/**
 * Settle a renderer-side expression within `ms`: { ok, value } | { ok: false, error } | { pending: true }.
 * Passed as source text: Playwright evaluates it over CDP, which the page's CSP (no eval) does not block.
 */
export async function settle(page: Page, expr: string, ms = SETTLE_MS): Promise<Settled> {
  return page.evaluate(`(async () => {
    const p = Promise.resolve().then(() => ${expr});
    return await Promise.race([
      p.then((value) => ({ ok: true, value }), (e) => ({ ok: false, error: String(e && e.message || e) })),
      new Promise((r) => setTimeout(() => r({ pending: true }), ${ms})),
    ]);
  })()`);
}

/** Uncaught exceptions and unhandled rejections main reported to the instrumentation hook. */
export async function mainCrashes(app: ElectronApplication): Promise<any[]> {
  return app.evaluate(() =>
    (globalThis as any).__conform.drain(0, 100000).items.filter((o: any) => o.kind === 'unhandled-rejection' || o.kind === 'uncaught-exception'),
  );
}

/**
 * Settle `expr`, then read main's crashes. No waiting window: where a crash is expected it may come
 * after the answer (fire-and-forget work), so it is awaited (polled from the hook); where none is
 * expected the app leaves no unawaited work to fail, so the list is read at once.
 */
export async function settleThenCrashes(s: Started, expr: string, crashExpected: boolean): Promise<{ settled: Settled; crashes: any[] }> {
  const settled = await settle(s.page, expr);
  if (crashExpected) await expect.poll(async () => (await mainCrashes(s.launched.app)).length, { timeout: 30_000 }).toBeGreaterThan(0);
  return { settled, crashes: await mainCrashes(s.launched.app) };
}
