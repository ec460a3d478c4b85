// The vitest fixture for the scenarios of Conform's own reference apps (suites/<app>): the
// conform/vitest fixture pointed at examples/<app> and the pack of the same name, with no config.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { conformTest as configuredTest } from './vitest.ts';

export { ContractViolation, type ConformApp } from './driver.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A vitest `test` whose `conform` fixture is the app of `examples/<app>` checked against pack `<pack>`. */
export function conformTest(app: string, opts: { pack?: string; env?: Record<string, string> } = {}) {
  return configuredTest({ config: false, app: join(root, 'examples', app), pack: opts.pack ?? app, env: opts.env });
}
