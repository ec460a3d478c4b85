// `conform/vitest`: a vitest `test` with a `conform` fixture: the app of conform.config.* (or of
// the options) launched and checked against its pack, stopped after each test, also on failure.
import { test as base } from 'vitest';
import { launchConform, type ConformApp, type ConformOptions } from './driver.ts';

export { ContractViolation, launchConform, type ConformApp, type ConformOptions } from './driver.ts';

export function conformTest(opts: ConformOptions = {}) {
  return base.extend<{ conform: ConformApp }>({
    // eslint-disable-next-line no-empty-pattern
    conform: async ({}, use) => {
      const launched = await launchConform(opts);
      try {
        await use(launched.conform);
      } finally {
        await launched.close();
      }
    },
  });
}
