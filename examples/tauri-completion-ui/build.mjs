// Bundles src/main.js with @tauri-apps/api into dist/app.js (esbuild, which tsx already brings).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
await build({
  entryPoints: [`${here}src/main.js`],
  bundle: true,
  format: 'iife',
  target: 'es2022',
  outfile: `${here}dist/app.js`,
  logLevel: 'warning',
});
