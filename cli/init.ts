// `conform init`: in an existing Electron app's folder, draft a pack from its preload, write
// conform.config.mjs and a CI workflow, and print the next steps. Existing files are kept
// unless --force.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { findConfigFile } from '../config/index.ts';
import { configSource, findApp, WORKFLOW } from '../config/init.ts';

interface InitOptions { main?: string; preload?: string; pack: string; force?: boolean }

export function register(program: Command): void {
  program
    .command('init')
    .description("Set up Conform in an Electron app's folder: draft a pack from its preload, write conform.config.mjs and a CI workflow")
    .option('--main <file>', "the app's main script (default: package.json \"main\")")
    .option('--preload <file>', 'the preload (default: the one main gives its BrowserWindow)')
    .option('--pack <folder>', 'where to write the drafted pack', 'contract')
    .option('--force', 'overwrite files that exist')
    .action(async (o: InitOptions) => {
      const dir = process.cwd();
      const app = findApp(dir, o);
      const out = (line: string) => process.stdout.write(`${line}\n`);
      for (const n of app.notes) out(`found ${n}`);
      const written: string[] = [];
      const kept: string[] = [];
      const write = (file: string, text: string) => {
        if (existsSync(file) && !o.force) return void kept.push(relative(dir, file));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
        written.push(relative(dir, file));
      };

      const packDir = resolve(dir, o.pack);
      let unspecified = 0;
      if (existsSync(join(packDir, 'contract.yaml')) && !o.force) kept.push(relative(dir, join(packDir, 'contract.yaml')));
      else {
        // Loaded here: the TypeScript compiler it uses takes half a second to load.
        const { draftPack } = await import('../specs/extract/draft.ts');
        const { writeDraft } = await import('../specs/extract/write.ts');
        const draft = draftPack({ preload: app.preload, name: app.name });
        for (const w of draft.warnings) process.stderr.write(`conform init: warning: ${w}\n`);
        written.push(...writeDraft(draft, packDir).map((f) => relative(dir, f)));
        unspecified = JSON.stringify(draft.contract).match(/x-unspecified/g)?.length ?? 0;
        out(`drafted ${draft.found.length} channels from ${relative(dir, app.preload)}`);
      }
      const existingConfig = findConfigFile(dir);
      if (existingConfig && !o.force) kept.push(relative(dir, existingConfig));
      else write(join(dir, 'conform.config.mjs'), configSource(app, packDir));
      write(join(dir, '.github', 'workflows', 'conform.yml'), WORKFLOW);

      if (written.length) out(`wrote ${written.join(', ')}`);
      if (kept.length) out(`kept ${kept.join(', ')} (exists; --force overwrites)`);
      out('\nNext steps:');
      out(`  1. Review ${relative(dir, join(packDir, 'contract.yaml'))}: ${unspecified ? `fill in the ${unspecified} x-unspecified params and returns, ` : ''}state each channel's error contract (Electron rejects with "Error: Error invoking remote method '<channel>': <message>").`);
      out('  2. Run `npx conform run`: it launches the app, checks every channel and writes conform-report/.');
      out('  3. Commit the pack, conform.config.mjs and .github/workflows/conform.yml: CI then runs the check on every push.');
    });
}
