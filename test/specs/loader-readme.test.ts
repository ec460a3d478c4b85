// specs/README.md's complete example is the fixture pack: the blocks must stay identical to the
// files under test/fixtures/packs, and the blocks themselves must load.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPackFromSources } from '../../specs/loader.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** YAML blocks of the README whose first line is `# <pack>/<file>.yaml`. */
function exampleBlocks(): Map<string, string> {
  const readme = readFileSync(`${ROOT}specs/README.md`, 'utf8');
  const blocks = new Map<string, string>();
  for (const m of readme.matchAll(/```yaml\n(# ([\w-]+\/[\w-]+\.yaml)\n[\s\S]*?)```/g)) blocks.set(m[2]!, m[1]!);
  return blocks;
}

describe('specs/README.md example', () => {
  const blocks = exampleBlocks();

  it('has the four files of the example, identical to test/fixtures/packs', () => {
    expect([...blocks.keys()].sort()).toEqual(['auth/contract.yaml', 'auth/types.yaml', 'notes/contract.yaml', 'notes/types.yaml']);
    for (const [file, text] of blocks) {
      expect(text, `${file} in specs/README.md differs from test/fixtures/packs/${file}`).toBe(
        readFileSync(`${ROOT}test/fixtures/packs/${file}`, 'utf8'),
      );
    }
  });

  it('loads from the README text itself', async () => {
    const filesOf = (pack: string) => {
      const out: Record<string, string> = {};
      for (const [file, text] of blocks) if (file.startsWith(`${pack}/`)) out[file.slice(pack.length + 1)] = text;
      return Object.keys(out).length ? out : undefined;
    };
    const pack = await loadPackFromSources('notes', filesOf('notes')!, {
      packsDir: '/nonexistent',
      sourcesOf: filesOf,
      displayDir: (p) => `specs/README.md:${p}`,
    });
    expect(pack.channels).toHaveLength(10);
    expect(pack.byName.get('auth:whoami')!.definedIn).toBe('auth');
    expect(pack.streams.map((s) => s.grammar)).toEqual(['sync:progress* (sync:done | sync:failed)']);
  });
});
