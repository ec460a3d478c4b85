#!/usr/bin/env node
// Builds the installable package into dist/: tsc compiles the TypeScript (relative `.ts` imports
// rewritten to `.js`) with type declarations, then the runtime assets the code loads by path
// (stand-in and instrumentation .cjs/.mjs/.js, packs and scenarios .yaml, the meta-schema .json,
// the stand-in launcher) are copied next to it, so dist/ mirrors the source tree whatever its layout.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const config = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8'));
const SOURCE_DIRS = config.include;
const ASSET = /\.(cjs|mjs|js|json|ya?ml)$/;
const LAUNCHERS = new Set(['runner/standin/electron']);

rmSync(dist, { recursive: true, force: true });
// `--clean` (postpack): the clone runs its sources, so dist/ goes once the tarball is written.
if (process.argv.includes('--clean')) process.exit(0);
try {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
} catch {
  process.stderr.write('build: tsc failed (its errors are above)\n');
  process.exit(1);
}

function copyAssets(dir) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') copyAssets(rel);
      continue;
    }
    if (!ASSET.test(entry.name) && !LAUNCHERS.has(rel)) continue;
    const target = join(dist, rel);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(root, rel), target);
    chmodSync(target, statSync(join(root, rel)).mode);
  }
}
for (const d of SOURCE_DIRS) copyAssets(d);

// Code reads its version from `<root>/package.json` relative to itself; in dist/ that is this file.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(join(dist, 'package.json'), `${JSON.stringify({ name: `${pkg.name}-dist`, version: pkg.version, type: 'module', private: true }, null, 2)}\n`);
// `conform --help` prints the commands from this manifest instead of loading every command's code.
const cli = await import(pathToFileURL(join(dist, 'cli', 'main.js')).href);
writeFileSync(join(dist, 'cli', cli.MANIFEST_FILE), `${JSON.stringify(await cli.commandManifest(), null, 2)}\n`);
process.stderr.write(`build: ${relative(process.cwd(), dist) || 'dist'} ready\n`);
