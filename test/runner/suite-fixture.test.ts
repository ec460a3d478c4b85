// The suites fixture fails a scenario step that breaks the contract, naming channel and check id.
import { expect } from 'vitest';
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
