// Startup of the installed CLI (compiled dist/, as `npm pack` ships it) against `node -e 0`
// measured in the same run: `conform --help` (target: within 4x) and `spec lint` of the
// 75-channel cosmosh pack (target: within 1 s). The clone's tsx start is shown for contrast.
// Run: npm run bench:startup (builds dist/ first; removes it after unless it was there).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'conform.js');
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const hadDist = existsSync(join(root, 'dist'));
if (!hadDist) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });

// The child's own CPU time (user + system), printed at its exit: close to its wall time on a
// quiet machine, and far less disturbed than wall time when other jobs share the cores.
const CPU_AT_EXIT = "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('\\ncpu-us ' + (u.user + u.system)); })";

function ms(args, env = {}) {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(CPU_AT_EXIT)}`, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const cpu = Number(/cpu-us (\d+)/.exec(String(r.stderr))?.[1]) / 1000;
  return { wall, cpu };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cases = {
  'node -e 0': () => ms(['-e', '0']),
  'conform --help (dist)': () => ms([bin, '--help'], { CONFORM_DIST: '1' }),
  'conform spec lint cosmosh (dist)': () => ms([bin, 'spec', 'lint', 'cosmosh'], { CONFORM_DIST: '1' }),
  'conform --help (clone, tsx)': () => ms([bin, '--help']),
};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
// Interleaved rounds, so a load spike on a shared machine hits every case alike.
for (let i = 0; i < ROUNDS; i++) for (const [k, run] of Object.entries(cases)) times[k].push(run());
const m = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, { wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) }]));

const base = m['node -e 0'];
console.log(`median of ${ROUNDS} interleaved runs; cpu = the process's own user+system time`);
console.log(`${'case'.padEnd(36)} ${'wall ms'.padStart(8)} ${'ratio'.padStart(7)} ${'cpu ms'.padStart(8)} ${'ratio'.padStart(7)}`);
for (const [k, v] of Object.entries(m)) {
  console.log(`${k.padEnd(36)} ${v.wall.toFixed(0).padStart(8)} ${(v.wall / base.wall).toFixed(1).padStart(6)}x ${v.cpu.toFixed(0).padStart(8)} ${(v.cpu / base.cpu).toFixed(1).padStart(6)}x`);
}
const help = m['conform --help (dist)'];
const lint = m['conform spec lint cosmosh (dist)'];
const verdict = (ok) => (ok ? 'met' : 'NOT met');
console.log(`--help: ${(help.wall / base.wall).toFixed(2)}x node -e 0 wall, ${(help.cpu / base.cpu).toFixed(2)}x cpu (target <= 4x): ${verdict(help.wall <= 4 * base.wall)}`);
console.log(`spec lint cosmosh: ${(lint.wall / 1000).toFixed(2)} s wall = ${(lint.wall / base.wall).toFixed(1)}x node -e 0, ${(lint.cpu / 1000).toFixed(2)} s cpu (target <= 1 s): ${verdict(lint.wall <= 1000)}`);
if (lint.wall > 1000 && lint.cpu <= 1000) console.log('  (wall over, cpu under: the machine is loaded; the target holds on a quiet one when cpu <= 1 s)');
if (!hadDist) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--clean']);
