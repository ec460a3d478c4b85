// `conform merge-reports <dirs...>`: the shard JSON reports of one run merged into one set of
// reports (same verdicts as an unsharded run), gated as a whole by --baseline / --waivers.
import type { Command } from 'commander';
import { ListReporter } from '../reports/run/list.ts';
import { REPORTER_NAMES } from '../reports/run/index.ts';
import { gateReport } from '../runner/gate/gate.ts';
import { loadGate } from '../runner/gate/files.ts';
import { mergeReports, readShardReport } from '../runner/shard/merge.ts';
import { exitCodeOf } from '../reports/run/model.ts';
import { failOnOption, reporterList, updateBaseline, writeReports } from './run.ts';

interface MergeCliOptions {
  reporter: string;
  out: string;
  failOn?: string;
  baseline?: string;
  updateBaseline?: string;
  waivers?: string;
}

export function register(program: Command): void {
  program
    .command('merge-reports')
    .description('Merge the JSON reports of `conform run --shard i/n` shards into one report (exit 1 when a finding fails the run)')
    .argument('<dirs...>', 'shard report folders (each with conform-report.json) or the JSON files')
    .option('--reporter <list>', `comma-separated reporters: ${REPORTER_NAMES.join(', ')}`, 'list,json,junit,html,md')
    .option('--out <dir>', 'folder for the merged report files', 'conform-report')
    .option('--fail-on <severity>', 'lowest finding severity that fails the merged run (exit 1): error | warning; blocked checks always fail it', 'error')
    .option('--baseline <file>', 'fail only on findings not in this baseline; report fixed ones')
    .option('--update-baseline <file>', "record the merged run's findings as the baseline (they then pass as baselined)")
    .option('--waivers <file>', 'YAML/JSON list of { check, channel?, reason, expires? }')
    .action((dirs: string[], o: MergeCliOptions) => {
      const reporters = reporterList(o.reporter);
      const failOn = failOnOption(o.failOn);
      const gate = loadGate({ baseline: o.baseline, waivers: o.waivers });
      const merged = mergeReports(dirs.map(readShardReport));
      const report = gateReport(merged, updateBaseline(merged, gate, o.updateBaseline));
      if (reporters.includes('list')) new ListReporter(process.stdout).finish(report);
      writeReports(report, reporters, o.out);
      process.exitCode = exitCodeOf(report, failOn);
    });
}
