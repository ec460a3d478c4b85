// Writes a draft pack to a folder as YAML (contract.yaml, types.yaml, and one schema file per
// imported source: zod.yaml, <name>.yaml).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Draft } from './draft.ts';

export function writeDraft(draft: Draft, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, 'contract.yaml')];
  const { params, returns, payloads } = draft.coverage;
  const open = [...new Set([...params.unspecified, ...returns.unspecified, ...payloads.unspecified])];
  const header = [
    '# Draft written by `conform extract`. Review the x-unspecified entries, the error contracts and the notes.',
    `# Coverage: ${draft.coverage.line}.`,
    ...(open.length ? [`# Unspecified (${open.length}): ${open.join(', ')}`] : []),
  ].join('\n');
  writeFileSync(files[0]!, header + '\n' + stringify(draft.contract, { lineWidth: 0 }));
  if (draft.types) {
    files.push(join(dir, 'types.yaml'));
    writeFileSync(files.at(-1)!, '# Generated from the --types files by ts-json-schema-generator (draft-07 moved to 2020-12).\n' + stringify(draft.types, { lineWidth: 0 }));
  }
  for (const f of draft.schemaFiles) {
    files.push(join(dir, f.file));
    writeFileSync(files.at(-1)!, `# Imported by conform extract: ${f.source}.\n` + stringify({ $defs: f.defs }, { lineWidth: 0 }));
  }
  return files;
}
