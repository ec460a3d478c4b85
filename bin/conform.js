#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx's loader, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../runner/cli/main.ts');
process.exit(await main(process.argv.slice(2)));
