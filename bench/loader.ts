// Benchmark of the contract loader: loading each pack (parse, meta-schema, schema checks with
// ajv, model) against a baseline measured in the same run: parsing the same YAML files with the
// `yaml` package and positions, what a loader that places everything up front pays (Conform's
// loader reads files without anchors with js-yaml and parses positions only when one is needed;
// a pack that includes another also loads that one, so its ratio is high).
// Then throughput on large packs (bench/large-pack.ts), each case in a fresh process: a valid ~5 MB
// pack of 31k small $defs (issue 13's case), and two 1000-channel packs loaded together, against
// the largest shipped pack (cosmosh, 75 channels) as baseline: load s, MB/s, peak RSS, ratios.
// Run: npx tsx bench/loader.ts   (one measurement: npx tsx bench/loader.ts --child <pack dir>...)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { DEFAULT_PACKS_DIR, listPackNames, loadPackSync } from '../specs/loader.ts';
import { writeChannelsPack, writeManyDefsPack } from './large-pack.ts';

interface Measured {
  ms: number;
  /** CPU time of the load (user + system): steadier than wall time on a shared machine. */
  cpuMs: number;
  bytes: number;
  channels: number;
  rssMB: number;
  /** Wall time of the whole child process, measured by the parent. */
  wallMs?: number;
}

if (process.argv[2] === '--child') {
  // The packs loaded one after the other in this fresh process, as `conform spec lint a b` does:
  // load time and the process's peak RSS.
  const dirs = process.argv.slice(3);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const packs = dirs.map((dir) => loadPackSync(dir));
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const bytes = dirs.reduce((sum, dir) => sum + readdirSync(dir).filter((f) => f.endsWith('.yaml')).reduce((n, f) => n + statSync(join(dir, f)).size, 0), 0);
  const out: Measured = { ms, cpuMs: (used.user + used.system) / 1000, bytes, channels: packs.reduce((n, p) => n + p.channels.length, 0), rssMB: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(out));
  process.exit(0);
}

const ROUNDS = 10;

function perRound(fn: () => void): number {
  fn(); // warm-up
  const t = performance.now();
  for (let i = 0; i < ROUNDS; i++) fn();
  return (performance.now() - t) / ROUNDS;
}

console.log(`pack               files  channels   load ms  yaml-parse ms  ratio   validate us/call`);
for (const name of listPackNames()) {
  const dir = join(DEFAULT_PACKS_DIR, name);
  const texts = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(dir, f), 'utf8'));
  const load = perRound(() => loadPackSync(name));
  const parse = perRound(() => {
    for (const text of texts) parseDocument(text, { lineCounter: new LineCounter() }).toJS();
  });
  const pack = loadPackSync(name);
  // Validation after load: every channel's args against an empty argument list, compiled once.
  const nodes = pack.channels.map((c) => c.args);
  for (const n of nodes) pack.schemas.validate(n, []);
  const calls = 20_000;
  const t = performance.now();
  for (let i = 0; i < calls; i++) pack.schemas.validate(nodes[i % nodes.length]!, []);
  const us = ((performance.now() - t) * 1000) / calls;
  console.log(
    `${name.padEnd(18)} ${String(texts.length).padStart(5)}  ${String(pack.channels.length).padStart(8)}  ${load.toFixed(1).padStart(8)}  ${parse
      .toFixed(1)
      .padStart(13)}  ${(load / parse).toFixed(1).padStart(5)}x  ${us.toFixed(2).padStart(17)}`,
  );
}

console.log('\nthroughput, each case in a fresh process (load time in the process; peak RSS of the process):');
const tmp = mkdtempSync(join(tmpdir(), 'conform-bench-loader-'));
try {
  const manyDefs = join(tmp, 'many-defs');
  writeManyDefsPack(manyDefs, 31_000, 300);
  const packsA = join(tmp, 'wide-a');
  const packsB = join(tmp, 'wide-b');
  writeChannelsPack(packsA, 'wide', 1000);
  writeChannelsPack(packsB, 'wide', 1000);
  const self = fileURLToPath(import.meta.url);
  const measure = (...dirs: string[]): Measured => {
    const t = performance.now();
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', ...dirs], { encoding: 'utf8', maxBuffer: 1 << 24 });
    return { ...(JSON.parse(out.trim().split('\n').pop()!) as Measured), wallMs: performance.now() - t };
  };
  const cases: [string, Measured][] = [
    ['cosmosh (baseline)', measure(join(DEFAULT_PACKS_DIR, 'cosmosh'))],
    ['31k small $defs', measure(manyDefs)],
    ['two 1000-channel', measure(packsA, packsB)],
  ];
  const base = cases[0]![1];
  const mbps = (m: Measured) => m.bytes / 1e6 / (m.ms / 1000);
  console.log('case                    MB   channels   load s   load CPU s   process s    MB/s   peak RSS MB   MB/s vs base   RSS vs base');
  for (const [name, m] of cases) {
    console.log(
      `${name.padEnd(20)} ${(m.bytes / 1e6).toFixed(2).padStart(5)}  ${String(m.channels).padStart(8)}  ${(m.ms / 1000).toFixed(2).padStart(7)}  ${(m.cpuMs / 1000).toFixed(2).padStart(11)}  ${(m.wallMs! / 1000)
        .toFixed(2)
        .padStart(10)}  ${mbps(m).toFixed(2).padStart(6)}  ${m.rssMB.toFixed(0).padStart(12)}  ${`${(mbps(m) / mbps(base)).toFixed(2)}x`.padStart(13)}  ${`${(m.rssMB / base.rssMB).toFixed(1)}x`.padStart(12)}`,
    );
  }
  console.log(`load s: loading in the process (CPU s: its CPU time); process s: the whole fresh process, node and tsx start included; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
