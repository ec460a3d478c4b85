// Stateful scenario for script-manager: process:killTree must end the whole tree of a script,
// grandchildren included, so its log stream stops.
import { conformTest } from '../fixture.ts';

const test = conformTest('script-manager');

// A script whose child starts a grandchild sharing its stdout: only a tree kill silences it.
const SPAWNS_GRANDCHILD = "require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => console.log(\"grandchild tick\"), 100)'], { stdio: 'inherit' }); setInterval(() => {}, 1000);";

test('killTree stops the script and its grandchildren', { timeout: 60_000 }, async ({ conform }) => {
  const script = (await conform.call('scripts:create', { name: 'tree', command: 'node', args: ['-e', SPAWNS_GRANDCHILD] })) as { id: string };
  await conform.call('process:start', script.id);
  await conform.waitForEvent('process:log:event', (p) => p.scriptId === script.id && /grandchild tick/.test(p.text), 30_000);
  await conform.call('process:killTree', script.id);
  await conform.expectQuiet('process:killTree', ['process:log:event'], (p) => p.scriptId === script.id);
  await conform.call('scripts:delete', script.id);
});
