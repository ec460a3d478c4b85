// The reference apps' own renderers under `conform mock --browser --preload <their preload>`:
// script-manager's UI goes through a whole run (start -> running with log lines -> stop -> stopped,
// the log pane showing what readLog returns), ollama-chat's lists models and streams a readable
// answer; neither page throws.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startBrowserMock } from '../../mocks/browser.ts';
import { createEngine } from '../../mocks/host.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

async function open(pack: string, html: string, preload: string) {
  const { engine } = await createEngine({ pack, seed: 1, speed: 1 });
  const errors: string[] = [];
  const mock = await startBrowserMock(engine, {
    renderer: `${EXAMPLES}${html}`,
    preload: `${EXAMPLES}${preload}`,
    onPage: (page) => {
      page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
      page.on('console', (m) => m.type() === 'error' && errors.push(`console.error: ${m.text()}`));
    },
  });
  return { engine, mock, errors };
}

describe('reference renderers under --browser --preload', () => {
  it('script-manager: start shows running and log lines, stop shows stopped; the log pane is what readLog returns', async () => {
    const { mock, errors } = await open('script-manager', 'script-manager/renderer/index.html', 'script-manager/preload.js');
    try {
      const page = mock.page;
      await page.waitForSelector('tr[data-id]', { timeout: 30_000 });
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

  it('ollama-chat: models listed, a chat answer streams in as text', async () => {
    const { mock, errors } = await open('ollama-chat', 'ollama-chat/index.html', 'ollama-chat/preload.js');
    try {
      const page = mock.page;
      await page.waitForFunction(() => document.querySelectorAll('#models option, #models li').length > 0, undefined, { timeout: 30_000 });
      await page.fill('textarea', 'Hello there');
      await page.click('button:has-text("Send")');
      await page.waitForFunction(() => Array.from(document.querySelectorAll('#transcript *')).some((e) => e.children.length === 0 && /^(\S+ )+\S*$/.test(e.textContent ?? '') && e.textContent !== 'Hello there'), undefined, { timeout: 15_000 });
      expect(await page.textContent('#transcript')).not.toContain('[object Object]');
      expect(errors).toEqual([]);
    } finally {
      await mock.close();
    }
  }, 90_000);
});
