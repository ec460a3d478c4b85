// A @playwright/test suite as the app's own repo would write it: conform/playwright launches the
// app from conform.config.mjs on Conform's runtime; each contract step is a Playwright step.
import { test, expect, ContractViolation } from 'conform/playwright';

test('adding a note updates the window and keeps the contract', async ({ conform, appWindow }) => {
  await conform.call('notes:add', { title: 'from playwright' });
  await expect(appWindow.locator('#count')).toHaveText('1');
  expect(await conform.callRejecting('notes:add', {})).toMatch(/title required$/);
  await conform.expectQuiet('notes:add', ['notes:changed'], () => true, { settleMs: 100, windowMs: 300 });
});

test.describe('with a contract fault', () => {
  test.use({ conformOptions: { env: { NOTES_FAULT: 'list-map' } } });
  test('the breaking step fails with the check id', async ({ conform }) => {
    await conform.call('notes:add', { title: 'y' });
    const err = await conform.call('notes:list').catch((e) => e);
    expect(err).toBeInstanceOf(ContractViolation);
    expect(err.message).toContain('returns.schema');
  });
});
