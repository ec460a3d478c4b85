// The suites fixture fails a scenario step that breaks the contract, naming channel and check id.
import { expect, test as vitestTest } from 'vitest';
import { launchConform } from '../../suites/driver.ts';
import { ContractViolation, conformTest } from '../../suites/fixture.ts';

const test = conformTest('script-manager', { env: { CONFORM_FAULTS: 'sm-list-returns-map,sm-error-thrown-as-object' } });

test('a contract break in a scenario step throws ContractViolation with channel and check id', { timeout: 60_000 }, async ({ conform }) => {
  const err = await conform.call('scripts:list').then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ContractViolation);
  expect((err as ContractViolation).message).toMatch(/^scripts:list returns\.schema: .*must be array/);
  const stop = await conform.callRejecting('process:stop', 'no-such-id').then(() => null, (e: unknown) => e);
  expect((stop as ContractViolation).failures.map((f) => [f.channel, f.id])).toEqual([['process:stop', 'errors.documented-shape']]);
  // a clean channel of the same app still passes
  expect(await conform.call('process:ping')).toBe('pong');
});

// expectQuiet judges a window on main's clock: a ticker left running by its stop call fails the
// step; events about anything else in the same window do not.
vitestTest('expectQuiet fails a stop that leaves its stream running, and only for what the match picks', { timeout: 120_000 }, async () => {
  const { conform, close } = await launchConform({ config: false, app: 'test/runner/apps/ticker', pack: 'test/runner/packs/ticker', env: { TICKER_LEAK: '1' } });
  try {
    const id = (await conform.call('tk:start')) as string;
    await conform.waitForEvent('tk:tick', (p) => p.id === id, 30_000);
    await conform.call('tk:stop', id);
    const err = await conform.expectQuiet('tk:stop', ['tk:tick'], (p) => p.id === id, { settleMs: 100, windowMs: 300 }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ContractViolation);
    expect((err as ContractViolation).failures.map((f) => [f.channel, f.id])).toEqual([['tk:stop', 'stream.quiet-after-cleanup']]);
    expect((err as ContractViolation).message).toMatch(/tk:tick event\(s\) in the 300 ms after tk:stop/);
    await conform.expectQuiet('tk:stop', ['tk:tick'], (p) => p.id === 'no-such-ticker', { settleMs: 100, windowMs: 300 });
  } finally {
    await close();
  }
});
