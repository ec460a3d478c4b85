// Benchmark of the contract loader: loading each pack (parse, meta-schema, schema checks with
// ajv, model) against a baseline measured in the same run: parsing the same YAML files with the
// `yaml` package alone, the floor any loader with source positions pays.
// Then throughput on a large pack: a valid synthetic 5 MB pack (18k $defs) against the largest
// shipped pack (cosmosh, 75 channels) as baseline, each loaded in a fresh process: MB/s and peak RSS.
// Run: npx tsx bench/loader.ts   (one measurement: npx tsx bench/loader.ts --child <pack dir>)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { DEFAULT_PACKS_DIR, listPackNames, loadPackSync } from '../specs/loader.ts';
import { writeLargePack } from './large-pack.ts';

if (process.argv[2] === '--child') {
  // One load in this fresh process: wall time and the process's peak RSS.
  const dir = process.argv[3]!;
  const t = performance.now();
  const pack = loadPackSync(dir);
  const ms = performance.now() - t;
  const bytes = readdirSync(dir).filter((f) => f.endsWith('.yaml')).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  console.log(JSON.stringify({ ms, bytes, channels: pack.channels.length, rssMB: process.resourceUsage().maxRSS / 1024 }));
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

console.log('\nthroughput, each load in a fresh process:');
const tmp = mkdtempSync(join(tmpdir(), 'conform-bench-loader-'));
try {
  const large = join(tmp, 'large');
  writeLargePack(large, 18_000, 100);
  const self = fileURLToPath(import.meta.url);
  const measure = (dir: string) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, '--child', dir], { encoding: 'utf8' }).trim().split('\n').pop()!) as { ms: number; bytes: number; channels: number; rssMB: number };
  const base = measure(join(DEFAULT_PACKS_DIR, 'cosmosh'));
  const big = measure(large);
  const mbps = (m: typeof base) => m.bytes / 1e6 / (m.ms / 1000);
  console.log(`pack                 MB   channels   load s    MB/s   peak RSS MB`);
  for (const [name, m] of [['cosmosh (baseline)', base], ['synthetic 18k $defs', big]] as const) {
    console.log(`${name.padEnd(20)} ${(m.bytes / 1e6).toFixed(2).padStart(5)}  ${String(m.channels).padStart(8)}  ${(m.ms / 1000).toFixed(2).padStart(7)}  ${mbps(m).toFixed(2).padStart(6)}  ${m.rssMB.toFixed(0).padStart(12)}`);
  }
  console.log(`large pack: ${(mbps(big) / mbps(base)).toFixed(2)}x the baseline's MB/s, ${(big.rssMB / base.rssMB).toFixed(1)}x its peak RSS`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
