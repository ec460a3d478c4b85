// Stateful scenario for ollama-chat: pull a model (progress events), see it listed, stream a chat
// answer token by token until chat-done, then save and reload the session.
import { expect } from 'vitest';
import { conformTest } from '../fixture.ts';

const test = conformTest('ollama-chat');

test('pull a model, chat with it, keep the session', { timeout: 60_000 }, async ({ conform }) => {
  await conform.call('ollama:pull', 'conform-fixture:latest');
  expect(conform.events('ollama:pull-progress').length).toBeGreaterThan(0);
  const models = await conform.call('ollama:list');
  expect(JSON.stringify(models)).toContain('conform-fixture');

  await conform.call('ollama:chat-stream', 'conform-fixture:latest', 'Say hello', []);
  await conform.waitForEvent('ollama:chat-done', () => true, 15_000);
  const tokens = conform.events('ollama:chat-token');
  expect(tokens.length).toBeGreaterThan(1);
  expect(conform.events('ollama:chat-error')).toEqual([]);

  const sessions = await conform.call('sessions:load');
  await conform.call('sessions:save', sessions);
  expect(await conform.call('sessions:load')).toEqual(sessions);
});
