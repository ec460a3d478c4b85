// Writes a draft pack to a folder as YAML (contract.yaml, types.yaml).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Draft } from './draft.ts';

export function writeDraft(draft: Draft, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, 'contract.yaml')];
  const header = '# Draft written by `conform extract`. Review the x-unspecified entries, the error contracts and the notes.\n';
  writeFileSync(files[0]!, header + stringify(draft.contract, { lineWidth: 0 }));
  if (draft.types) {
    files.push(join(dir, 'types.yaml'));
    writeFileSync(files[1]!, '# Generated from the --types files by ts-json-schema-generator (draft-07 moved to 2020-12).\n' + stringify(draft.types, { lineWidth: 0 }));
  }
  return files;
}
