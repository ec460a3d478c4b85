// Stateful scenario for cosmosh-lite: create an SSH server through the backend proxy, find it in
// the list, read its credentials through the dedicated channel, delete it.
import { expect } from 'vitest';
import { conformTest } from '../fixture.ts';

const test = conformTest('cosmosh-lite');

test('a server is created, listed, its credentials read, and deleted', { timeout: 60_000 }, async ({ conform }) => {
  const created = (await conform.call('backend:ssh-create-server', {
    name: 'scenario-server', host: '127.0.0.1', port: 22, username: 'conform', authType: 'password', password: 'scenario-password',
  })) as { data: { item: { id: string } } };
  const id = created.data.item.id;
  expect(id).toEqual(expect.any(String));
  const list = await conform.call('backend:ssh-list-servers');
  expect(JSON.stringify(list)).toContain(id);
  const creds = await conform.call('backend:ssh-get-server-credentials', id);
  expect(JSON.stringify(creds)).toContain('scenario-password');
  await conform.call('backend:ssh-delete-server', id);
  expect(JSON.stringify(await conform.call('backend:ssh-list-servers'))).not.toContain(id);
});

test('a menu click reaches the renderer as a bare app:menu-action string', { timeout: 60_000 }, async ({ conform }) => {
  // The app's debug trigger takes the same path as a click on the "New Tab" menu item.
  const sent = await conform.session.app.evaluate(() => (globalThis as unknown as { cosmoshLite: { sendMenuAction(a: string): boolean } }).cosmoshLite.sendMenuAction('new-tab'));
  expect(sent).toBe(true);
  // waitForEvent checks the payload against the pack (event.payload-schema) before matching it.
  expect(await conform.waitForEvent('app:menu-action', (p) => p === 'new-tab')).toBe('new-tab');
});
