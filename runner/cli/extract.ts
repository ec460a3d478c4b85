// `conform extract --preload <file> [--types <file...>] [--out <pack folder>]`: draft a contract
// pack from an Electron preload.
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { draftPack } from '../extract/draft.ts';
import { writeDraft } from '../extract/write.ts';
import { UsageError } from './errors.ts';

export function register(program: Command): void {
  program
    .command('extract')
    .description('Draft a contract pack from an Electron preload (TypeScript or JavaScript)')
    .requiredOption('--preload <file>', 'the preload script')
    .option('--types <file...>', 'TypeScript files declaring the types the bridge uses (exported types become $defs)')
    .option('--out <folder>', 'write the pack here (contract.yaml, types.yaml); default: print contract.yaml')
    .option('--name <name>', 'app/pack name (default: the --out folder name, else the preload folder name)')
    .action((opts: { preload: string; types?: string[]; out?: string; name?: string }) => {
      for (const f of [opts.preload, ...(opts.types ?? [])]) if (!existsSync(f)) throw new UsageError(`no such file: ${f}`);
      const draft = draftPack({ preload: opts.preload, types: opts.types, name: opts.name ?? (opts.out ? basename(resolve(opts.out)) : undefined) });
      for (const w of draft.warnings) process.stderr.write(`conform extract: warning: ${w}\n`);
      if (opts.out) {
        const files = writeDraft(draft, opts.out);
        const unspecified = JSON.stringify(draft.contract).match(/x-unspecified/g)?.length ?? 0;
        process.stdout.write(`wrote ${files.join(', ')}: ${draft.found.length} channels under ${(draft.contract.bridge as { roots: string[] }).roots.join(', ') || 'no bridge root'}; ${unspecified} x-unspecified entries to review\n`);
      } else {
        process.stdout.write(stringify(draft.contract, { lineWidth: 0 }));
      }
    });
}
