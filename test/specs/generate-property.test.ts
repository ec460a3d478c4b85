// THE generator property test: for every schema of every pack (channel args, returns, payloads
// and every `$defs` entry of the pack's own files), for many seeds, every valid value passes the
// pack's ajv validator and every invalid value fails it, for the reason it is labelled with.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateInvalid, generateValid, inspectSchema } from '../../specs/generate.ts';
import { listPackNames, loadPack } from '../../specs/loader.ts';
import type { Pack, SchemaNode } from '../../specs/model.ts';
import type { ConformSchemaStore } from '../../specs/schema-store.ts';
import { issuesExplain } from './generate-rules.ts';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const packNames = listPackNames();

function schemasOf(pack: Pack): { label: string; node: SchemaNode }[] {
  const out: { label: string; node: SchemaNode }[] = [];
  for (const ch of pack.channels) {
    out.push({ label: `channel ${ch.name} args`, node: ch.args });
    if (ch.returns) out.push({ label: `channel ${ch.name} returns`, node: ch.returns });
    if (ch.payload) out.push({ label: `channel ${ch.name} payload`, node: ch.payload });
  }
  const store = pack.schemas as ConformSchemaStore;
  const own = `conform:/packs/${pack.name}/`;
  for (const uri of store.fileUris().filter((u) => u.startsWith(own))) {
    const defs = (store.file(uri)?.doc as { $defs?: Record<string, unknown> } | undefined)?.$defs ?? {};
    for (const name of Object.keys(defs)) {
      out.push({ label: `${uri.slice(own.length)}#/$defs/${name}`, node: store.node(`${uri}#/$defs/${encodeURIComponent(name)}`) });
    }
  }
  return out;
}

describe('generator property over every pack', () => {
  it('finds the packs', () => {
    expect(packNames.length).toBeGreaterThanOrEqual(5);
  });

  it.each(packNames)('%s: valid values pass, invalid values fail for their labelled rule', async (name) => {
    const pack = await loadPack(name);
    const store = pack.schemas;
    const failures: string[] = [];
    let validCount = 0;
    let invalidCount = 0;
    const noBreaks: string[] = [];
    // `validate` takes "valid" from the interpreter for a schema's first uses (specs/schema-store.ts,
    // tiered validation): it must never accept what ajv rejects.
    const conform = store as ConformSchemaStore;
    let node!: SchemaNode;
    const agreeWithAjv = (label: string, seed: number, v: unknown) => {
      const byAjv = conform.validator(node)(v) as boolean;
      if (conform.validateOnce(node, v).valid !== byAjv) failures.push(`${name} ${label} seed ${seed}: the interpreter and ajv disagree on ${JSON.stringify(v)} (ajv: ${byAjv ? 'valid' : 'invalid'})`);
    };
    for (const schema of schemasOf(pack)) {
      const label = schema.label;
      node = schema.node;
      const traits = inspectSchema(node, store);
      for (const seed of SEEDS) {
        let valid: unknown[];
        let invalid: ReturnType<typeof generateInvalid>;
        try {
          valid = generateValid(node, store, { seed, count: 5 });
          invalid = generateInvalid(node, store, { seed });
        } catch (e) {
          failures.push(`${name} ${label} seed ${seed}: generator threw ${(e as Error).message}`);
          break;
        }
        // The mock generates only up to the value it answers (mocks/engine.ts, generate): the first
        // k values must be what a count of k gives.
        if (seed <= 2) {
          for (const k of [1, 2]) {
            const fewer = generateValid(node, store, { seed, count: k });
            if (!isDeepStrictEqual(fewer, valid.slice(0, k))) failures.push(`${name} ${label} seed ${seed}: count ${k} is not the first ${k} of count 5: ${JSON.stringify(fewer)}`);
          }
        }
        for (const v of valid) {
          validCount++;
          const r = store.validate(node, v);
          if (!r.valid) failures.push(`${name} ${label} seed ${seed}: VALID value rejected ${JSON.stringify(v)} -> ${JSON.stringify(r.issues)}`);
          if (seed <= 3) agreeWithAjv(label, seed, v);
        }
        for (const b of invalid) {
          invalidCount++;
          agreeWithAjv(label, seed, b.value);
          const r = store.validate(node, b.value);
          if (r.valid) failures.push(`${name} ${label} seed ${seed}: INVALID (${b.rule} at '${b.path}') accepted ${JSON.stringify(b.value)}`);
          else if (!issuesExplain(b, r.issues)) {
            failures.push(`${name} ${label} seed ${seed}: INVALID (${b.rule} at '${b.path}') fails for another reason: ${JSON.stringify(r.issues)}`);
          }
        }
        // A schema that constrains something must yield at least one invalid value.
        if (seed === 1 && invalid.length === 0 && !traits.invalidSkipped) noBreaks.push(label);
      }
    }
    expect(failures.slice(0, 20), `${failures.length} failures`).toEqual([]);
    expect(noBreaks, 'schemas with constraints but no invalid variant').toEqual([]);
    expect(validCount).toBeGreaterThan(0);
    expect(invalidCount).toBeGreaterThan(0);
    console.log(`${name}: ${validCount} valid and ${invalidCount} invalid values checked over ${SEEDS.length} seeds`);
  });
});
