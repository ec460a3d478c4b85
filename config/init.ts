// `conform init`'s work: find an Electron app's main and preload (package.json `main`, then the
// `preload:` of its BrowserWindow), and the files to write for it: a config and a CI workflow.
// The pack itself is drafted by specs/extract.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { UsageError } from '../cli/errors.ts';

export interface FoundApp {
  dir: string;
  name: string;
  /** Absolute path of the main script. */
  main: string;
  /** Absolute path of the preload. */
  preload: string;
  /** How each was found, for the user. */
  notes: string[];
}

/** Preload paths written next to `preload:` in main: `path.join(__dirname, 'p.js')`, `'p.js'`, `new URL('./p.mjs', import.meta.url)`. */
const PRELOAD_PATTERNS = [
  /preload\s*:\s*(?:path\.)?(?:join|resolve)\(\s*(?:__dirname|import\.meta\.dirname)\s*,\s*((?:['"`][^'"`]+['"`]\s*,?\s*)+)\)/g,
  /preload\s*:\s*(?:fileURLToPath\()?\s*new URL\(\s*['"`]([^'"`]+)['"`]\s*,\s*import\.meta\.url\s*\)/g,
  /preload\s*:\s*['"`]([^'"`]+)['"`]/g,
];
const PRELOAD_NAMES = ['preload.ts', 'preload.js', 'preload.cjs', 'preload.mjs', 'preload/index.ts', 'preload/index.js'];

function readPackageJson(dir: string): { name?: string; main?: string } {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) throw new UsageError(`no package.json in ${dir}: run \`conform init\` in your Electron app's folder (or pass --main and --preload)`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: string; main?: string };
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON (${(e as Error).message})`);
  }
}

/** Candidate preload paths named in `mainSource`, resolved against main's folder. */
export function preloadsNamedIn(mainSource: string, mainDir: string): string[] {
  const found: string[] = [];
  for (const re of PRELOAD_PATTERNS) {
    for (const m of mainSource.matchAll(re)) {
      const parts = [...m[1]!.matchAll(/['"`]([^'"`]+)['"`]/g)].map((p) => p[1]!);
      found.push(resolve(mainDir, ...(parts.length ? parts : [m[1]!])));
    }
  }
  return found;
}

export function findApp(dir: string, given: { main?: string; preload?: string } = {}): FoundApp {
  const pkg = readPackageJson(dir);
  const notes: string[] = [];
  const main = resolve(dir, given.main ?? pkg.main ?? 'index.js');
  if (!existsSync(main)) {
    throw new UsageError(given.main ? `--main ${given.main}: no such file`
      : `package.json "main" is ${pkg.main ?? '(not set, so index.js)'}, and ${relative(dir, main)} does not exist: build the app first (its main may be compiled) or pass --main <file>`);
  }
  notes.push(given.main ? `main: ${relative(dir, main)} (--main)` : `main: ${relative(dir, main)} (package.json "main"${pkg.main ? '' : ' default'})`);
  let preload = given.preload ? resolve(dir, given.preload) : undefined;
  if (preload && !existsSync(preload)) throw new UsageError(`--preload ${given.preload}: no such file`);
  if (preload) notes.push(`preload: ${relative(dir, preload)} (--preload)`);
  if (!preload) {
    const named = preloadsNamedIn(readFileSync(main, 'utf8'), dirname(main));
    // A compiled main may name its compiled preload; the source next to it is what extract reads best.
    preload = named.find((p) => existsSync(p));
    if (preload) notes.push(`preload: ${relative(dir, preload)} (webPreferences.preload in ${relative(dir, main)})`);
    else {
      const guesses = [dirname(main), dir, join(dir, 'src'), join(dir, 'electron')].flatMap((d) => PRELOAD_NAMES.map((n) => join(d, n)));
      preload = guesses.find((p) => existsSync(p));
      if (preload) notes.push(`preload: ${relative(dir, preload)} (by its name${named.length ? `; main names ${named.map((n) => relative(dir, n)).join(', ')}, which does not exist` : ''})`);
    }
  }
  if (!preload) throw new UsageError(`no preload found: ${relative(dir, main)} names none that exists and there is no preload.{ts,js,cjs,mjs} next to it; pass --preload <file>`);
  const name = (pkg.name ?? basename(dir)).replace(/^@[^/]+\//, '').replace(/[^a-z0-9._-]+/gi, '-').toLowerCase() || 'app';
  return { dir, name, main, preload, notes };
}

/** conform.config.mjs: plain data (no import, so it loads before anything is built), typed by JSDoc. */
export function configSource(app: FoundApp, packDir: string): string {
  const rel = (p: string) => (relative(app.dir, p).startsWith('.') ? relative(app.dir, p) : `./${relative(app.dir, p)}`);
  const pkgMain = readPackageJson(app.dir).main;
  const appRef = pkgMain && resolve(app.dir, pkgMain) === app.main ? '.' : rel(app.main);
  return `// Conform's settings for this app; \`npx conform run\` reads them, flags override them.
// Every key: the "Verify your own app" section of Conform's README.
/** @type {import('conform').ConformConfig} */
export default {
  // The app's folder (package.json "main") or its main script.
  app: '${appRef}',
  // The contract: drafted by \`conform init\` from ${rel(app.preload)}; review it.
  pack: '${rel(packDir)}',
  reporters: ['list', 'html', 'junit'],
  out: 'conform-report',
  // 'warning' also fails on drift and violated pack assumptions.
  failOn: 'error',
  seed: 1,
  launch: {
    // Extra environment for the app, e.g. a test backend's URL.
    env: {},
    timeout: 30000,
    // Commands the app needs running first (stopped after the run), e.g.:
    // servers: [{ command: 'node test/stub-backend.js', ready: { port: 4000 } }],
    servers: [],
  },
};
`;
}

export const WORKFLOW = `# Conform: checks the app's IPC contract on every push (written by \`conform init\`).
name: conform
on: [push, pull_request]
jobs:
  contract:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      # Without an Electron binary Conform runs the app on its stand-in with the system Chromium
      # (headless, no display needed).
      - run: sudo apt-get update && sudo apt-get install -y chromium
      - run: npm ci
        env:
          ELECTRON_SKIP_BINARY_DOWNLOAD: '1'
      - run: npm run build --if-present
      - run: npx conform run
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: conform-report
          path: conform-report/
`;
