// `conform record --drive <script>`: a user's Playwright script drives the app's window while
// the recorder writes the cassette, so the cassette holds the calls the script caused (here a tag
// created through examples/cosmosh-lite's form), not only start-up traffic.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readCassette } from '../../mocks/cassette.ts';
import { runCli } from './helpers.ts';

const SCRIPT = fileURLToPath(new URL('./fixtures/drive-cosmosh.mjs', import.meta.url));

describe('conform record --drive', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conform-record-drive-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the calls the drive script made and stops when it returns', async () => {
    const out = join(dir, 'session.jsonl');
    const run = runCli(['record', '--app', 'examples/cosmosh-lite', '--pack', 'cosmosh-lite', '--out', out, '--drive', SCRIPT]);
    child = run.child;
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('conform record: [drive] tag created');
    const cassette = readCassette(out);
    const created = cassette.entries.filter((e) => e.type === 'invoke' && e.channel === 'backend:ssh-create-tag');
    expect(created.map((e) => e.args)).toEqual([[{ name: 'from-drive' }]]);
    // The list the page reloaded after the script's click is in the cassette too, after the create.
    const lists = cassette.entries.filter((e) => e.channel === 'backend:ssh-list-tags');
    expect(lists.some((e) => e.seq > created[0]!.seq && JSON.stringify(e).includes('from-drive'))).toBe(true);
  }, 120_000);
});
