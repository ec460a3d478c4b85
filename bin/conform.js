#!/usr/bin/env node
// Launcher. In a clone (the TypeScript sources are here) it runs them through tsx's loader, so no
// build step is needed and a stale dist/ is never used; an installed package has only the
// compiled dist/ (built by `npm pack`'s prepack). CONFORM_DIST=1 forces dist/ in a clone (bench).
import { existsSync } from 'node:fs';

const source = new URL('../cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);
let cli;
if (existsSync(source) && process.env.CONFORM_DIST !== '1') {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
} else if (existsSync(compiled)) {
  cli = await import(compiled.href);
} else {
  process.stderr.write('conform: this copy has neither its sources nor its build (dist/): in a clone run `npm run build`; a package must be made with `npm pack`, which builds it.\n');
  process.exit(2);
}
process.exit(await cli.main(process.argv.slice(2)));
