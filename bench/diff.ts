// Benchmark of `conform diff`: time to diff two generated 1,000-channel packs (target <= 1 s),
// against baselines measured in the same run: loading both packs, and diffing a pack with itself.
// Run: npm run bench:diff
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadPackSync } from '../specs/loader.ts';
import { diffPacks } from '../specs/diff/engine.ts';

const CHANNELS = 1000;
const RUNS = 5;

/** A pack of `n` channels over 50 shared types; `variant` changes a tenth of the channels. */
function generate(n: number, variant: boolean): { contract: object; types: object } {
  const defs: Record<string, unknown> = {};
  for (let t = 0; t < 50; t++) {
    defs[`T${t}`] = {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        name: { type: 'string', minLength: 1, maxLength: variant && t % 10 === 0 ? 64 : 128 },
        kind: { enum: variant && t % 7 === 0 ? ['a', 'b', 'c', 'd'] : ['a', 'b', 'c'] },
        tags: { type: 'array', items: { type: 'string' } },
        // a recursive tree and a reference into another family of types, as real packs have
        children: { type: 'array', items: { $ref: `#/$defs/T${t}` } },
        ...(t < 25 ? { owner: { $ref: `#/$defs/T${t + 25}` } } : {}),
        meta: { anyOf: [{ type: 'null' }, { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } }] },
      },
    };
  }
  const channels: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const changed = variant && i % 10 === 0;
    const t = `types.yaml#/$defs/T${i % 50}`;
    if (i % 5 === 4) {
      channels[`area${i % 20}:event${i}`] = { kind: 'event', bridge: `window.api.on${i}`, payload: { $ref: t } };
      continue;
    }
    const params: unknown[] = [{ name: 'id', schema: { type: 'string', minLength: changed ? 2 : 1 } }, { name: 'input', schema: { $ref: t } }];
    if (changed && i % 20 === 0) params.push({ name: 'extra', schema: { type: 'boolean' }, optional: true });
    channels[`area${i % 20}:call${i}`] = {
      kind: 'invoke',
      bridge: changed && i % 30 === 0 ? `window.api.renamed${i}` : `window.api.call${i}`,
      params,
      returns: changed ? { anyOf: [{ $ref: t }, { type: 'null' }] } : { $ref: t },
      errors: changed && i % 40 === 0 ? { style: 'result-union', error: { type: 'object', properties: { ok: { const: false } } }, discriminator: { ok: false } } : { style: 'rejection' },
      budgetMs: changed ? 250 : 500,
    };
  }
  const contract = { conform: 1, app: 'bench', transport: 'electron', bridge: { roots: ['window.api'] }, channels };
  return { contract, types: { $defs: defs } };
}

function write(dir: string, p: { contract: object; types: object }): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'contract.yaml'), stringify(p.contract));
  writeFileSync(join(dir, 'types.yaml'), stringify(p.types));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function time<T>(f: () => T): [number, T] {
  const t0 = performance.now();
  const r = f();
  return [performance.now() - t0, r];
}

const root = mkdtempSync(join(tmpdir(), 'conform-bench-diff-'));
try {
  write(join(root, 'old', 'bench'), generate(CHANNELS, false));
  write(join(root, 'new', 'bench'), generate(CHANNELS, true));
  const load: number[] = [];
  const self: number[] = [];
  const diff: number[] = [];
  let changes = 0;
  for (let r = 0; r < RUNS; r++) {
    // fresh packs each run: the engine keeps per-pack caches, which a CLI run never reuses
    const [tl, [a, b]] = time(() => [loadPackSync(join(root, 'old', 'bench')), loadPackSync(join(root, 'new', 'bench'))] as const);
    load.push(tl);
    const [ts, rs] = time(() => diffPacks(a, a));
    if (rs.changes.length) throw new Error('a pack diffed with itself must have no changes');
    self.push(ts);
    const [td, rd] = time(() => diffPacks(a, b));
    diff.push(td);
    changes = rd.changes.length;
  }
  const L = median(load);
  const S = median(self);
  const D = median(diff);
  console.log(`conform diff benchmark: ${CHANNELS} channels per pack, median of ${RUNS} runs`);
  console.log(`  baseline  load both packs          ${L.toFixed(1)} ms`);
  console.log(`  baseline  diff a pack with itself  ${S.toFixed(1)} ms`);
  console.log(`  diff old vs new (${changes} changes)  ${D.toFixed(1)} ms   (${(D / L).toFixed(2)}x load, ${(D / S).toFixed(2)}x self-diff)`);
  console.log(`  target <= 1000 ms: ${D <= 1000 ? 'met' : 'MISSED'}; load + diff ${(L + D).toFixed(1)} ms`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
