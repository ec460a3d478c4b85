// `conform diff <old> <new>`: compare two versions of a contract pack and say what breaks for whom.
import { writePrivateFile } from '../runner/private-file.ts';
import type { Command } from 'commander';
import { diffPacks, failsOn } from '../specs/diff/engine.ts';
import { FORMATS, render } from '../reports/diff/render.ts';
import type { ReportFormat } from '../reports/diff/render.ts';
import { loadSide } from '../specs/diff/source.ts';
import type { Severity } from '../specs/diff/types.ts';
import { UsageError } from './errors.ts';

const FAIL_ON: Severity[] = ['breaking', 'warning', 'info'];

export function register(program: Command): void {
  program
    .command('diff <old> <new>')
    .description('Report contract changes between two packs (folder, pack name, or <git ref>:<path>); exit 1 when a change at or above --fail-on exists')
    .option('--format <format>', `report format: ${FORMATS.join(' | ')}`, 'md')
    .option('--fail-on <severity>', 'lowest severity that fails the run: breaking | warning | info', 'breaking')
    .option('--out <file>', 'write the report to a file instead of stdout')
    .action((oldArg: string, newArg: string, opts: { format: string; failOn: string; out?: string }) => {
      if (!FORMATS.includes(opts.format as ReportFormat)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${opts.format}")`);
      if (!FAIL_ON.includes(opts.failOn as Severity)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')} (got "${opts.failOn}")`);
      const a = loadSide(oldArg);
      const b = loadSide(newArg);
      const report = diffPacks(a.pack, b.pack, { old: a.source, new: b.source });
      const text = render(report, opts.format as ReportFormat);
      if (opts.out) writePrivateFile(opts.out, text);
      else process.stdout.write(text);
      process.exitCode = failsOn(report, opts.failOn as Severity) ? 1 : 0;
    });
}
