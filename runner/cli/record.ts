// `conform record --app <main> --out <cassette> [--pack <pack>]`: run the real app with the
// instrumentation hook and write its IPC traffic to a cassette as it happens (mocks/record.ts).
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { startRecording } from '../../mocks/record.ts';
import { UsageError } from './errors.ts';

export function register(program: Command): void {
  program
    .command('record')
    .description('Run an Electron app with the instrumentation hook and record every invoke, send and event to a cassette (JSON Lines, secrets redacted)')
    .requiredOption('--app <main>', "the app's main script or folder")
    .requiredOption('--out <cassette>', 'cassette file to write (.jsonl)')
    .option('--pack <pack>', 'contract pack: its x-secret fields are redacted too, and the cassette names it')
    .option('--electron <path>', 'Electron binary to use (default: real Electron if installed, else the stand-in)')
    .option('--duration <ms>', 'stop recording after this many milliseconds (default: until the app exits or Ctrl-C)')
    .action(async (opts: { app: string; out: string; pack?: string; electron?: string; duration?: string }) => {
      if (!existsSync(opts.app)) throw new UsageError(`--app ${opts.app} does not exist; give the app's main script or its folder`);
      const duration = opts.duration === undefined ? undefined : Number(opts.duration);
      if (duration !== undefined && !(duration > 0)) throw new UsageError(`--duration must be a positive number of milliseconds (got "${opts.duration}")`);
      const log = (line: string) => process.stderr.write(line + '\n');
      const rec = await startRecording({ app: opts.app, out: opts.out, pack: opts.pack, electron: opts.electron, log });
      process.stderr.write(`conform record: recording ${opts.app} on ${rec.launched.runtime.reason} to ${opts.out}; close the app or press Ctrl-C to stop\n`);
      const stop = () => void rec.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const timer = duration ? setTimeout(stop, duration) : undefined;
      // stop() closes the app, so `done` settles in every case: app closed, crashed, Ctrl-C, --duration.
      const result = await rec.done;
      if (timer) clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stderr.write(`conform record: ${result.entries} entries written to ${opts.out}${result.crashed ? ' (the app crashed; everything recorded before the crash is kept)' : ''}\n`);
    });
}
