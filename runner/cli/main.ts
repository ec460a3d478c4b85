// Entry point of the `conform` command. Each command lives in its own module with a
// `register(program)` function; this file only wires them and maps errors to exit codes.
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { isUserError, oneParagraph } from './errors.ts';
import { register as registerSpec } from './spec.ts';
import { register as registerDiff } from './diff.ts';
import { register as registerMock } from './mock.ts';
import { register as registerRecord } from './record.ts';
import { register as registerExtract } from './extract.ts';
import { register as registerDrift } from './drift.ts';
import { register as registerRun } from './run.ts';
import { register as registerMergeReports } from './merge-reports.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('conform')
    .description('Check that an Electron or Tauri app keeps its IPC contract.')
    .version(pkg.version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerSpec(program);
  registerDiff(program);
  registerMock(program);
  registerRecord(program);
  registerExtract(program);
  registerDrift(program);
  registerRun(program);
  registerMergeReports(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
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
