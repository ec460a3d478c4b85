// Stateful scenario for script-manager: create a script, run it, read its live log, stop it,
// delete it; every call and event is checked against the pack on the way.
import { expect } from 'vitest';
import { conformTest } from '../fixture.ts';

const test = conformTest('script-manager');

test('a script is created, runs, logs, stops and is deleted', { timeout: 60_000 }, async ({ conform }) => {
  const script = (await conform.call('scripts:create', { name: 'scenario-ticker', command: 'node', args: ['-e', "setInterval(()=>console.log('tick'),100)"] })) as { id: string };
  expect(script.id).toEqual(expect.any(String));
  expect(((await conform.call('scripts:list')) as { id: string }[]).map((s) => s.id)).toContain(script.id);

  await conform.call('process:start', script.id);
  await conform.waitForEvent('process:status:event', (p) => p.scriptId === script.id && p.status === 'running', 30_000);
  await conform.waitForEvent('process:log:event', (p) => p.scriptId === script.id && /tick/.test(p.text), 30_000);
  const snapshot = (await conform.call('process:snapshot', script.id)) as { status: string; pid?: number };
  expect(snapshot.status).toBe('running');
  expect(snapshot.pid).toEqual(expect.any(Number));

  await conform.call('process:stop', script.id);
  await conform.waitForEvent('process:status:event', (p) => p.scriptId === script.id && p.status === 'stopped', 30_000);
  expect(await conform.call('process:readLog', script.id)).toMatch(/tick/);

  await conform.call('scripts:delete', script.id);
  expect(((await conform.call('scripts:list')) as { id: string }[]).map((s) => s.id)).not.toContain(script.id);
  // unknown ids are rejected with the documented Electron error shape
  expect(await conform.callRejecting('process:start', script.id)).toMatch(/^Error invoking remote method 'process:start': /);
});
