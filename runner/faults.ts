// `npm run faults`: switch on each fault of examples/faults.json (CONFORM_FAULTS=<id>), run the
// app's pack against it, and say whether the report named the fault's channel with a failing
// check of the fault's kind. Prints one line per fault, then `detected N/M`.
//
// By default each fault run is focused on the channels that can show it (the fault's channel,
// the stream it belongs to), then widened to the whole pack, then to the app's scenarios in
// suites/<app> when the narrower run did not show it; `--full` starts with the whole pack.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pack } from '../specs/model.ts';
import { loadPack } from '../specs/loader.ts';
import type { ReportCheck } from '../reports/run/model.ts';
import { RunInterrupted, runConformance } from './run.ts';
import { tauriDoubleMissing, tauriRuntimeMissing } from './tauri/prerequisites.ts';

/** Fault category -> the check ids that must fail for it. The README's check table mirrors this. */
export const CATEGORY_CHECKS: Record<string, string[]> = {
  'wrong-return-type': ['returns.schema', 'returns.union-branch'],
  'missing-required-field': ['returns.schema', 'returns.union-branch', 'event.payload-schema', 'stream.payload-schema'],
  'undocumented-extra-field': ['drift.undocumented-field', 'returns.schema', 'returns.union-branch', 'event.payload-schema', 'stream.payload-schema'],
  'params-reshaped': ['params.reach-handler'],
  'handler-missing': ['handler.registered'],
  'undocumented-channel': ['drift.undocumented-channel'],
  'event-payload-invalid': ['event.payload-schema', 'stream.payload-schema'],
  'events-out-of-order': ['stream.ordering', 'stream.channel-order'],
  'terminal-event-missing': ['stream.terminates', 'stream.ordering'],
  'events-after-terminal': ['stream.no-event-after-terminal', 'stream.ordering'],
  'rejection-instead-of-union': ['errors.documented-shape', 'errors.invalid-params-shape'],
  'union-instead-of-rejection': ['errors.invalid-params-shape', 'returns.schema'],
  'error-message-format': ['errors.documented-shape'],
  'handler-crash': ['app.survives', 'call.valid-resolves', 'fixture.prerequisite'],
  'error-instead-of-value': ['call.valid-resolves'],
  'handler-hang': ['call.settles'],
  'slow-response': ['latency.budget'],
  'bridge-method-missing': ['bridge.exists'],
  'stream-not-ending-on-abort': ['stream.abort', 'stream.quiet-after-cleanup'],
  'window-posture': ['window.posture', 'security.navigation', 'security.window-open', 'security.csp', 'security.generic-bridge'],
  'generic-bridge': ['security.generic-bridge'],
  'path-guard': ['security.path-guard'],
  'url-guard': ['security.url-guard'],
  'size-guard': ['security.size-guard'],
  'secret-echo': ['security.secret-echo'],
  'correlation-wrong': ['stream.correlation'],
};

export interface Fault {
  id: string;
  app: string;
  channel: string;
  category: string;
  description?: string;
  /** The pack that catches it, when not named after the app (the Tauri double serves two packs). */
  pack?: string;
  /** The program to run inside examples/<app>, when the app is not an Electron app folder. */
  entry?: string;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** Pack and app of a reference app (the pack is named after the app unless the fault names one). */
export function targetOf(fault: Fault): { pack: string; app: string } {
  return { pack: fault.pack ?? fault.app, app: `${root}examples/${fault.app}${fault.entry ? `/${fault.entry}` : ''}` };
}

/** The Tauri double's faults (examples/tauri-double), when this machine can run them. */
export const TAURI_DOUBLE_FAULTS = `${root}examples/tauri-double/faults.json`;

/** Channels a focused run needs to show a fault on `channel`. */
export function focusChannels(pack: Pack, channel: string): string[] {
  const out = new Set<string>();
  const ch = pack.byName.get(channel);
  if (ch && ch.kind !== 'event') out.add(channel);
  for (const s of pack.streams) {
    if (s.start === channel || s.events.includes(channel) || s.abort?.call === channel) out.add(s.start);
  }
  // Events outside any stream, undocumented channels and window posture show up in any run:
  // drive the first callable channel so the app is launched and observed.
  if (out.size === 0) {
    const first = pack.channels.find((c) => (c.kind === 'invoke' || c.kind === 'send') && c.bridge);
    if (first) out.add(first.name);
  }
  return [...out];
}

/** Does a failing check name the fault's channel (directly, or through the stream it is part of)? */
export function namesChannel(pack: Pack, check: ReportCheck, channel: string): boolean {
  if (check.channel === channel) return true;
  if (channel === 'window' && check.channel === null && (check.id === 'window.posture' || check.id.startsWith('security.'))) return true;
  if (check.stream) {
    const s = pack.streams.find((x) => x.name === check.stream);
    if (s && (s.start === channel || s.events.includes(channel) || s.abort?.call === channel)) return true;
  }
  return false;
}

export interface FaultVerdict {
  fault: Fault;
  detected: boolean;
  matching: ReportCheck[];
  otherFailures: ReportCheck[];
  error?: string;
  durationMs: number;
}

type FaultRunOptions = { full?: boolean; seed?: number; signal?: AbortSignal };
type Scope = 'focused' | 'full' | 'suite';

/**
 * Focused run first; when it does not show the fault, the whole pack (other channels may set the
 * state it needs); then the app's hand-written scenarios (suites/<app>), which reach what no
 * generated call can trigger (a menu click, for instance).
 */
export async function runFault(fault: Fault, opts: FaultRunOptions = {}): Promise<FaultVerdict & { scope: Scope }> {
  let spent = 0;
  let last: FaultVerdict | undefined;
  for (const scope of (opts.full ? ['full', 'suite'] : ['focused', 'full', 'suite']) as Scope[]) {
    const v = scope === 'suite' ? await runFaultSuite(fault) : await runFaultOnce(fault, { ...opts, full: scope === 'full' });
    spent += v.durationMs;
    if (v.detected || (v.error && scope !== 'suite')) return { ...v, durationMs: spent, scope };
    if (scope !== 'suite' || !last) last = v;
  }
  return { ...last!, durationMs: spent, scope: 'suite' };
}

/** Run suites/<app> with the fault on; a scenario's ContractViolation names `<channel> <check id>:`. */
async function runFaultSuite(fault: Fault): Promise<FaultVerdict> {
  const t0 = Date.now();
  const dir = `${root}suites/${fault.app}`;
  const expected = CATEGORY_CHECKS[fault.category] ?? [];
  if (!existsSync(dir)) return { fault, detected: false, matching: [], otherFailures: [], durationMs: 0 };
  const out = join(mkdtempSync(join(tmpdir(), 'conform-faults-')), 'vitest.json');
  try {
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', `suites/${fault.app}`, '--reporter=json', `--outputFile=${out}`],
        { cwd: root, stdio: 'ignore', env: { ...process.env, CONFORM_FAULTS: fault.id } });
      child.once('exit', () => resolve());
    });
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { testResults: { assertionResults: { failureMessages: string[] }[] }[] };
    const violations: ReportCheck[] = [];
    for (const file of doc.testResults) {
      for (const a of file.assertionResults) {
        for (const msg of a.failureMessages) {
          for (const m of msg.matchAll(/ContractViolation: (\S+) (\S+): ([^\n]*)/g)) {
            violations.push({ id: m[2]!, channel: m[1]!, status: 'failed', message: `scenario: ${m[3]}` });
          }
        }
      }
    }
    const matching = violations.filter((c) => expected.includes(c.id) && c.channel === fault.channel);
    return { fault, detected: matching.length > 0, matching, otherFailures: violations.filter((c) => !matching.includes(c)), durationMs: Date.now() - t0 };
  } catch (err) {
    return { fault, detected: false, matching: [], otherFailures: [], error: `suite: ${(err as Error).message.split('\n')[0]}`, durationMs: Date.now() - t0 };
  } finally {
    rmSync(dirname(out), { recursive: true, force: true });
  }
}

async function runFaultOnce(fault: Fault, opts: FaultRunOptions = {}): Promise<FaultVerdict> {
  const t0 = Date.now();
  const target = targetOf(fault);
  const expected = CATEGORY_CHECKS[fault.category];
  if (!expected) return { fault, detected: false, matching: [], otherFailures: [], error: `unknown category ${fault.category}`, durationMs: 0 };
  try {
    const pack = await loadPack(target.pack);
    const only = opts.full ? undefined : focusChannels(pack, fault.channel);
    const { report } = await runConformance({ pack: target.pack, app: target.app, seed: opts.seed ?? 1, only, env: { CONFORM_FAULTS: fault.id }, signal: opts.signal });
    // An info finding is what the app did where the contract is silent: it detects no fault.
    const failed = report.checks.filter((c) => c.status === 'failed' && c.severity !== 'info');
    const matching = failed.filter((c) => expected.includes(c.id) && namesChannel(pack, c, fault.channel));
    return { fault, detected: matching.length > 0, matching, otherFailures: failed.filter((c) => !matching.includes(c)), durationMs: Date.now() - t0 };
  } catch (err) {
    if (err instanceof RunInterrupted) throw err;
    return { fault, detected: false, matching: [], otherFailures: [], error: (err as Error).message.split('\n')[0], durationMs: Date.now() - t0 };
  }
}

export function loadFaults(file = `${root}examples/faults.json`): Fault[] {
  return JSON.parse(readFileSync(file, 'utf8')) as Fault[];
}

async function main(argv: string[]): Promise<number> {
  const full = argv.includes('--full');
  const filters = argv.filter((a) => !a.startsWith('--'));
  const tauriMissing = tauriRuntimeMissing() ?? tauriDoubleMissing();
  if (tauriMissing) process.stderr.write(`faults: the Tauri double's faults are not run: ${tauriMissing}\n`);
  // A launch failure is no check's finding (test/tauri covers it): only faults a check can catch.
  const tauriFaults = tauriMissing ? [] : loadFaults(TAURI_DOUBLE_FAULTS).filter((f) => f.category !== 'launch-failure');
  const faults = [...loadFaults(), ...tauriFaults].filter((f) => filters.length === 0 || filters.some((x) => f.id.includes(x) || f.app === x));
  let detected = 0;
  const missed: string[] = [];
  // Ctrl-C stops the app under test before exiting.
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (const f of faults) {
    let v: Awaited<ReturnType<typeof runFault>>;
    try {
      v = await runFault(f, { full, signal: controller.signal });
    } catch (err) {
      if (err instanceof RunInterrupted) {
        process.stderr.write('faults: interrupted\n');
        return 130;
      }
      throw err;
    }
    if (v.detected) detected++;
    else missed.push(f.id);
    const how = v.detected
      ? `by ${[...new Set(v.matching.map((c) => c.id))].join(', ')}: ${v.matching[0]!.message}`
      : v.error
        ? `error: ${v.error}`
        : `no failing ${CATEGORY_CHECKS[f.category]?.join(' / ') ?? '?'} on ${f.channel}${v.otherFailures.length ? ` (other failures: ${[...new Set(v.otherFailures.map((c) => `${c.id}@${c.channel ?? 'run'}`))].join(', ')})` : ''}`;
    process.stdout.write(`${v.detected ? 'DETECTED' : 'MISSED  '} ${f.id} [${f.category}] ${f.channel}: ${how.slice(0, 300)} (${v.scope} run, ${(v.durationMs / 1000).toFixed(1)} s)\n`);
  }
  process.stdout.write(`detected ${detected}/${faults.length}${missed.length ? `; missed: ${missed.join(', ')}` : ''}\n`);
  return detected === faults.length ? 0 : 1;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
