// Entry point of the `conform` command. Each command lives in its own module with a
// `register(program)` function; this file only wires them and maps errors to exit codes.
import { Command, CommanderError, Help } from 'commander';
import { readFileSync } from 'node:fs';
import { isUserError, oneParagraph } from './errors.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Every command's module, loaded only when needed: the command being run, or all for full help. */
const COMMANDS: Record<string, () => Promise<{ register(program: Command): void }>> = {
  spec: () => import('./spec.ts'),
  diff: () => import('./diff.ts'),
  mock: () => import('./mock.ts'),
  record: () => import('./record.ts'),
  extract: () => import('./extract.ts'),
  drift: () => import('./drift.ts'),
  run: () => import('./run.ts'),
  'merge-reports': () => import('./merge-reports.ts'),
  init: () => import('./init.ts'),
};

/** Written by the build next to the compiled CLI: each command's help line, so `conform --help` loads no command. */
export const MANIFEST_FILE = 'commands.json';
interface ManifestEntry { name: string; term: string; description: string }

function readManifest(): ManifestEntry[] | undefined {
  try {
    return JSON.parse(readFileSync(new URL(`./${MANIFEST_FILE}`, import.meta.url), 'utf8')) as ManifestEntry[];
  } catch {
    return undefined; // a clone runs the sources, which have no manifest
  }
}

function rootProgram(): Command {
  return new Command('conform')
    .description('Check that an Electron or Tauri app keeps its IPC contract.')
    .version(pkg.version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}

/** The whole program, every command registered (for help, tests and the build's manifest). */
export async function buildProgram(): Promise<Command> {
  const program = rootProgram();
  for (const load of Object.values(COMMANDS)) (await load()).register(program);
  return program;
}

/** The help line of every command, as the build stores it. */
export async function commandManifest(): Promise<ManifestEntry[]> {
  const program = await buildProgram();
  const help = program.createHelp();
  return program.commands.map((c) => ({ name: c.name(), term: help.subcommandTerm(c), description: help.subcommandDescription(c) }));
}

/**
 * The program for `argv`: only the named command's module when argv starts with one; for the
 * root help or version, placeholder commands from the build's manifest when there is one.
 */
async function programFor(argv: string[]): Promise<Command> {
  const load = argv[0] ? COMMANDS[argv[0]] : undefined;
  if (load) {
    const program = rootProgram();
    (await load()).register(program);
    return program;
  }
  const manifest = argv.length === 0 || ['--help', '-h', '--version', '-V'].includes(argv[0]!) ? readManifest() : undefined;
  if (!manifest) return buildProgram();
  const program = rootProgram();
  for (const m of manifest) program.command(m.name).description(m.description);
  const terms = new Map(manifest.map((m) => [m.name, m.term]));
  const standard = new Help();
  program.configureHelp({ subcommandTerm: (c) => terms.get(c.name()) ?? standard.subcommandTerm(c) });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const program = await programFor(argv);
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are "errors" in commander's exitOverride mode; usage errors exit 2.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (isUserError(err)) {
      process.stderr.write(`conform: ${oneParagraph(err.message)}\n`);
      return err.exitCode;
    }
    const e = err as Error;
    process.stderr.write(`conform: internal error: ${oneParagraph(e?.message ?? String(err))}` +
      (process.env.CONFORM_DEBUG ? `\n${e?.stack ?? ''}\n` : ' (set CONFORM_DEBUG=1 to see the stack)\n'));
    return 3;
  }
}

// Run when executed directly (bin/conform.js imports this file through tsx).
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
