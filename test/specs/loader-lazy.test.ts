// What keeps a large valid pack fast (issue 13): no schema is compiled and no YAML positions are
// parsed while loading one; both happen when needed (a value validated, an error placed).
import { describe, expect, it, vi } from 'vitest';
import { parseDocument } from 'yaml';
import { loadPackFromSourcesSync } from '../../specs/loader.ts';
import { ContractError } from '../../specs/model.ts';
import type { ConformSchemaStore } from '../../specs/schema-store.ts';

vi.mock('yaml', async (importOriginal) => {
  const real = await importOriginal<typeof import('yaml')>();
  return { ...real, parseDocument: vi.fn(real.parseDocument) };
});

const HEAD = 'conform: 1\napp: p\ntransport: electron\nbridge:\n  roots: [window.api]\n';
const TYPES = '$defs:\n  Item:\n    type: object\n    required: [id]\n    properties:\n      id: { type: string, examples: [i-1] }\n      n: { type: integer, minimum: 0 }\n    examples: [{ id: i-1, n: 2 }]\n';
const channels = (returns: string) => `channels:\n  a:\n    kind: invoke\n    bridge: window.api.a\n    params:\n      - { name: id, schema: { type: string } }\n    returns: ${returns}\n`;

describe('loader: nothing compiled, no positions parsed for a valid pack', () => {
  it('loads a valid pack without parsing positions or compiling; both happen on demand', () => {
    vi.mocked(parseDocument).mockClear();
    const pack = loadPackFromSourcesSync('p', { 'contract.yaml': `${HEAD}${channels('{ $ref: "types.yaml#/$defs/Item" }')}`, 'types.yaml': TYPES });
    expect(parseDocument).not.toHaveBeenCalled();
    const store = pack.schemas as ConformSchemaStore;
    const compile = vi.spyOn(store.ajv, 'getSchema');
    const a = pack.byName.get('a')!;
    expect(compile).not.toHaveBeenCalled();
    // A valid value is judged by the interpreter (tiered validation): still nothing compiled.
    expect(store.validate(a.returns!, { id: 'x' }).valid).toBe(true);
    expect(compile).not.toHaveBeenCalled();
    // An invalid one is compiled now: its issues are ajv's.
    expect(store.validate(a.returns!, { n: 1 }).issues.length).toBeGreaterThan(0);
    expect(compile).toHaveBeenCalled();
    expect(a.pos).toEqual({ file: 'p/contract.yaml', line: 7, col: 3 }); // placed now
    expect(parseDocument).toHaveBeenCalledTimes(1);
  });

  it('places an error found in a file read without positions', () => {
    vi.mocked(parseDocument).mockClear();
    let err: unknown;
    try {
      loadPackFromSourcesSync('p', { 'contract.yaml': `${HEAD}${channels('{ $ref: "types.yaml#/$defs/Item" }')}`, 'types.yaml': TYPES.replace('[{ id: i-1, n: 2 }]', '[{ id: i-1, n: -2 }]') });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ContractError);
    expect((err as Error).message).toMatch(/^p\/types\.yaml:8:16: \$defs\.Item\.examples\[0\]: example is not valid for its schema: \/n must be >= 0/);
    expect(parseDocument).toHaveBeenCalledTimes(1); // types.yaml only, for the place
  });
});
