// A vitest suite as the app's own repo would write it: conform/vitest reads conform.config.mjs.
import { expect } from 'vitest';
import { conformTest, ContractViolation } from 'conform/vitest';

const test = conformTest();
const faulty = conformTest({ env: { NOTES_FAULT: 'list-map' } });

test('a note is added, listed and announced, every step checked against the pack', async ({ conform }) => {
  const note = await conform.call('notes:add', { title: 'first' });
  expect(note).toEqual({ id: 'n1', title: 'first' });
  expect(await conform.call('notes:list')).toEqual([note]);
  expect(await conform.waitForEvent('notes:changed', (p) => p.count === 1)).toEqual({ count: 1 });
  expect(await conform.callRejecting('notes:add', { title: '' })).toBe("Error invoking remote method 'notes:add': Error: title required");
  expect(await conform.call('backend:status')).toEqual({ ok: true });
});

faulty('a step that breaks the contract fails with the channel and check id', async ({ conform }) => {
  await conform.call('notes:add', { title: 'x' });
  const err = await conform.call('notes:list').catch((e) => e);
  expect(err).toBeInstanceOf(ContractViolation);
  expect(err.message).toMatch(/^notes:list returns\.schema: /);
});
