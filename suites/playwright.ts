// `conform/playwright`: a @playwright/test fixture. `conform` is the app of conform.config.* (or of
// `test.use({ conformOptions })`) launched on Conform's own runtime (real Electron when installed,
// else the stand-in with the system Chromium, so no Playwright browser download is needed) and
// stopped after each test. Every call is one `test.step`, judged by the check catalog, so
// Playwright's traces, retries and HTML report show each contract step.
import { test as base, expect } from '@playwright/test';
import type { ElectronApplication, Page } from 'playwright-core';
import { launchConform, type ConformApp, type ConformOptions } from './driver.ts';

export { expect };
export { ContractViolation, type ConformApp, type ConformOptions } from './driver.ts';

export interface ConformFixtures {
  /** Launch options over conform.config.*; set with `test.use({ conformOptions: { ... } })`. */
  conformOptions: ConformOptions;
  /** The launched app with contract-checked steps. */
  conform: ConformApp;
  /** The app's first window, for UI steps next to the contract steps. */
  appWindow: Page;
  /** The Electron application handle (main process evaluation, windows). */
  electronApp: ElectronApplication;
}

/** Each helper of `app` as a named Playwright step. */
function stepped(app: ConformApp): ConformApp {
  const step = <T>(title: string, body: () => Promise<T>) => base.step(title, body, { box: true });
  return {
    get pack() { return app.pack; },
    get session() { return app.session; },
    call: (channel, ...args) => step(`conform.call ${channel}`, () => app.call(channel, ...args)),
    callRejecting: (channel, ...args) => step(`conform.callRejecting ${channel}`, () => app.callRejecting(channel, ...args)),
    waitForEvent: (channel, match, timeoutMs) => step(`conform.waitForEvent ${channel}`, () => app.waitForEvent(channel, match, timeoutMs)),
    events: (channel) => app.events(channel),
    expectQuiet: (after, channels, match, opts) => step(`conform.expectQuiet after ${after}`, () => app.expectQuiet(after, channels, match, opts)),
  };
}

export const test = base.extend<ConformFixtures>({
  conformOptions: [{}, { option: true }],
  conform: async ({ conformOptions }, use) => {
    const launched = await launchConform(conformOptions);
    try {
      await use(stepped(launched.conform));
    } finally {
      await launched.close();
    }
  },
  appWindow: async ({ conform }, use) => {
    await use(conform.session.page);
  },
  electronApp: async ({ conform }, use) => {
    await use(conform.session.app);
  },
});
