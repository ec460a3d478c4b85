// The reference apps' own renderers under `conform mock --browser --preload <their preload>`
// (plus `--types <their global.d.ts>` where the contract leaves returns open), as the README runs
// them: one launch per app, no uncaught error, and the app's main list shows at least one item.
// script-manager's UI also goes through a whole run (start -> running with log lines -> stop ->
// stopped, the log pane showing what readLog returns); ollama-chat streams a readable answer;
// cosmosh-lite shows servers, folders, tags and its audit trail with the backend connected.
import { describe, expect, it } from 'vitest';
import { openReferenceApp, REFERENCE_APPS } from './reference-apps.ts';

describe('reference renderers under --browser --preload', () => {
  it('script-manager: start shows running and log lines, stop shows stopped; the log pane is what readLog returns', async () => {
    const { mock, errors } = await openReferenceApp('script-manager');
    try {
      const page = mock.page;
      await page.waitForSelector(REFERENCE_APPS['script-manager']!.mainList, { timeout: 30_000 });
      expect(await page.locator(REFERENCE_APPS['script-manager']!.mainList).count()).toBeGreaterThanOrEqual(1);
      const row = page.locator('tr[data-id]').first();
      await row.locator('td').first().click();
      await row.getByRole('button', { name: 'Start', exact: true }).click();
      await page.waitForFunction(() => /running/.test(document.querySelector('tr[data-id]')!.textContent!) && document.querySelector('#log')!.textContent!.split('\n').filter(Boolean).length === 3, undefined, { timeout: 15_000 });
      const id = await row.getAttribute('data-id');
      const shown = await page.textContent('#log');
      const persisted = await page.evaluate((scriptId) => (window as any).api.process.readLog(scriptId), id);
      expect(persisted).toBe(shown);
      await row.getByRole('button', { name: 'Stop', exact: true }).click();
      await page.waitForFunction(() => /stopped/.test(document.querySelector('tr[data-id]')!.textContent!), undefined, { timeout: 15_000 });
      expect(errors).toEqual([]);
    } finally {
      await mock.close();
    }
  }, 90_000);

  it('ollama-chat (--types): models listed with their sizes, saved sessions shown, a pulled model listed, a chat answer streams in as text', async () => {
    const { mock, errors } = await openReferenceApp('ollama-chat');
    try {
      const page = mock.page;
      const list = REFERENCE_APPS['ollama-chat']!.mainList;
      await page.waitForFunction((sel) => document.querySelectorAll(sel).length > 0, list, { timeout: 30_000 });
      // Sizes come from the declared InstalledModel (a guessed { id, name } rendered "NaN GB").
      for (const text of await page.locator(list).allTextContents()) expect(text).toMatch(/\s·\s+\d+\.\d GB$/);
      // The persisted sessions (sessions:load, open in the contract) are the declared ChatSession[].
      await page.waitForFunction(() => {
        const items = document.querySelectorAll('#sessions li');
        return items.length > 0 && items[0]!.textContent !== 'New chat';
      }, undefined, { timeout: 15_000 });
      await expect.poll(() => page.textContent('#status')).toBe('Ollama running');
      // Pulling through the UI lists the model (ollama-desktop's mock/state.yaml `lists:`).
      const before = await page.locator(list).count();
      await page.fill('#pull-name', 'phi3:mini');
      await page.click('#pull');
      await page.waitForFunction((sel) => Array.from(document.querySelectorAll<HTMLOptionElement>(sel)).some((o) => o.value === 'phi3:mini'), list, { timeout: 15_000 });
      expect(await page.locator(list).count()).toBe(before + 1);
      await page.fill('textarea', 'Hello there');
      await page.click('button:has-text("Send")');
      await page.waitForFunction(() => Array.from(document.querySelectorAll('#transcript *')).some((e) => e.children.length === 0 && /^(\S+ )+\S*$/.test(e.textContent ?? '') && e.textContent !== 'Hello there'), undefined, { timeout: 15_000 });
      expect(await page.textContent('#transcript')).not.toContain('[object Object]');
      expect(errors).toEqual([]);
    } finally {
      await mock.close();
    }
  }, 90_000);

  it('cosmosh-lite (--types): servers, folders, tags and audit events rendered, backend connected, no error shown', async () => {
    const { mock, errors, log } = await openReferenceApp('cosmosh-lite');
    try {
      const page = mock.page;
      const list = REFERENCE_APPS['cosmosh-lite']!.mainList;
      await page.waitForFunction(() => document.querySelectorAll('#audit li').length > 0, undefined, { timeout: 30_000 });
      expect(await page.locator(list).count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator('#folders li').count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator('#tags .chip').count()).toBeGreaterThanOrEqual(1);
      // A server row reads host:port and a user, from the declared SshServer.
      expect(await page.locator(`${list} td`).nth(2).textContent()).toMatch(/^\S+:\d+$/);
      expect(await page.textContent('#backend-status')).toBe('backend: connected');
      expect(await page.textContent('#form-error')).toBe('');
      expect(log.some((l) => /backend:ssh-list-servers: .*answering from the app's types/.test(l))).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await mock.close();
    }
  }, 90_000);
});
