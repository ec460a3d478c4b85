// `conform extract --preload <file> [--types <file...>] [--zod <module>] [--schema <file...>]
// [--out <pack folder>]`: draft a contract pack from an Electron preload and the schemas the team
// already has, and say how much of it states real schemas.
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { draftPack } from '../specs/extract/draft.ts';
import type { Draft } from '../specs/extract/draft.ts';
import { SchemaImportError, importJsonSchemaFile, importZodModule } from '../specs/extract/imports.ts';
import type { SchemaFile } from '../specs/extract/imports.ts';
import { writeDraft } from '../specs/extract/write.ts';
import { UsageError } from './errors.ts';

interface ExtractOptions {
  preload: string;
  types?: string[];
  zod?: string;
  schema?: string[];
  out?: string;
  name?: string;
}

export function register(program: Command): void {
  program
    .command('extract')
    .description('Draft a contract pack from an Electron preload (TypeScript or JavaScript)')
    .requiredOption('--preload <file>', 'the preload script')
    .option('--types <file...>', 'TypeScript files declaring the types the bridge uses (exported types become $defs; a declared Window types what the preload leaves untyped)')
    .option('--zod <module>', "a module exporting the app's Zod 4 schemas: converted with z.toJSONSchema into zod.yaml; a type of the same name (or z.infer<typeof it>) becomes a $ref")
    .option('--schema <file...>', 'JSON Schema files from other tools (specta, typescript-json-schema...): their definitions become schema files of the pack')
    .option('--out <folder>', 'write the pack here (contract.yaml, types.yaml, schema files); default: print contract.yaml')
    .option('--name <name>', 'app/pack name (default: the --out folder name, else the preload folder name)')
    .action(async (opts: ExtractOptions) => {
      for (const f of [opts.preload, ...(opts.types ?? []), ...(opts.zod ? [opts.zod] : []), ...(opts.schema ?? [])]) if (!existsSync(f)) throw new UsageError(`no such file: ${f}`);
      const schemaFiles: SchemaFile[] = [];
      try {
        if (opts.zod) schemaFiles.push(await importZodModule(opts.zod));
        for (const f of opts.schema ?? []) schemaFiles.push(importJsonSchemaFile(f));
      } catch (err) {
        if (err instanceof SchemaImportError) throw new UsageError(err.message);
        throw err;
      }
      const draft = draftPack({ preload: opts.preload, types: opts.types, schemaFiles, name: opts.name ?? (opts.out ? basename(resolve(opts.out)) : undefined) });
      for (const w of draft.warnings) process.stderr.write(`conform extract: warning: ${w}\n`);
      if (opts.out) {
        const files = writeDraft(draft, opts.out);
        process.stdout.write(`wrote ${files.join(', ')}: ${draft.found.length} channels under ${(draft.contract.bridge as { roots: string[] }).roots.join(', ') || 'no bridge root'}\n`);
        process.stdout.write(coverageReport(draft));
      } else {
        process.stdout.write(stringify(draft.contract, { lineWidth: 0 }));
        // stdout holds the YAML: the coverage goes to stderr so the output stays a valid pack file.
        process.stderr.write(coverageReport(draft));
      }
    });
}

/** The coverage line and, per part, the channels left unspecified. */
export function coverageReport(draft: Draft): string {
  const { coverage } = draft;
  const xs = JSON.stringify([draft.contract, draft.types ?? {}, draft.schemaFiles.map((f) => f.defs)]).match(/"x-unspecified"/g)?.length ?? 0;
  const lines = [`coverage: ${coverage.line}; ${xs} x-unspecified entries to review`];
  for (const [part, c] of [['params', coverage.params], ['returns', coverage.returns], ['payloads', coverage.payloads]] as const) {
    if (c.unspecified.length) lines.push(`  unspecified ${part} (${c.unspecified.length}): ${c.unspecified.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}
