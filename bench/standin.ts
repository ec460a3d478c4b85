// Benchmark of the Electron stand-in (npm run bench:standin): launch-to-bridge-ready and invoke
// round trips inside the renderer, each printed next to a baseline measured in the same run (the
// cost of an empty Playwright `page.evaluate`), so numbers from loaded machines stay comparable.
// Targets: bridge ready median <= 700 ms; >= 2000 sequential invoke round trips/s in the renderer.
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { findChromium, launchApp } from '../runner/runtime.ts';

const main = resolve(import.meta.dirname, '../test/fixtures/apps/basic/main.cjs');
const LAUNCHES = Number(process.env.BENCH_LAUNCHES ?? 7);
const INVOKES = Number(process.env.BENCH_INVOKES ?? 3000);
const EVALS = 300;

/** Bridge ready = `window.api` visible to Playwright. Polled with page.evaluate every 5 ms, because
 * waitForFunction's rAF polling adds its own setup and frame latency to what is measured. */
async function waitForBridge(page: import('playwright-core').Page): Promise<void> {
  for (;;) {
    if (await page.evaluate(() => !!(window as any).api).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function measureLaunches() {
  const launch: number[] = [];
  const bridge: number[] = [];
  const close: number[] = [];
  let runtimeReason = '';
  for (let i = 0; i < LAUNCHES; i++) {
    const t0 = performance.now();
    const app = await launchApp({ main });
    const t1 = performance.now();
    try {
      const page = await app.app.firstWindow();
      await waitForBridge(page);
      const t2 = performance.now();
      launch.push(t1 - t0);
      bridge.push(t2 - t0);
      runtimeReason = app.runtime.reason;
    } finally {
      const t3 = performance.now();
      await app.close();
      close.push(performance.now() - t3);
    }
  }
  return { launch, bridge, close, runtimeReason };
}

/** Floor for any Chromium-based launch, same run: Playwright launches the same Chromium and loads the
 * fixture's page (no main process, no preload). */
async function measurePlainChromium() {
  const times: number[] = [];
  const page = pathToFileURL(resolve(import.meta.dirname, '../test/fixtures/apps/basic/index.html')).href;
  for (let i = 0; i < LAUNCHES; i++) {
    const t0 = performance.now();
    const browser = await chromium.launch({ executablePath: findChromium().path, args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'] });
    try {
      const p = await browser.newPage();
      await p.goto(page, { waitUntil: 'load' }).catch(() => {}); // the page's own script fails without the bridge: irrelevant here
      times.push(performance.now() - t0);
    } finally {
      await browser.close();
    }
  }
  return times;
}

async function measureIpc() {
  const app = await launchApp({ main });
  try {
    const page = await app.app.firstWindow();
    await waitForBridge(page);
    // Warm up both paths so JIT and first-use costs are out of the numbers.
    for (let i = 0; i < 50; i++) await page.evaluate(() => 0);
    await page.evaluate(async () => { for (let i = 0; i < 200; i++) await (window as any).api.invoke('echo-first', i); });

    const e0 = performance.now();
    for (let i = 0; i < EVALS; i++) await page.evaluate(() => 0);
    const emptyEvaluateMs = (performance.now() - e0) / EVALS;

    const sequentialMs = await page.evaluate(async (n) => {
      const api = (window as any).api;
      const t = performance.now();
      for (let i = 0; i < n; i++) await api.invoke('echo-first', i);
      return performance.now() - t;
    }, INVOKES);

    const concurrentMs = await page.evaluate(async (n) => {
      const api = (window as any).api;
      const t = performance.now();
      await Promise.all(Array.from({ length: n }, (_, i) => api.invoke('echo-first', i)));
      return performance.now() - t;
    }, INVOKES);

    const d0 = performance.now();
    for (let i = 0; i < EVALS; i++) await page.evaluate((v) => (window as any).api.invoke('echo-first', v), i);
    const perEvaluateInvokeMs = (performance.now() - d0) / EVALS;

    return { emptyEvaluateMs, sequentialMs, concurrentMs, perEvaluateInvokeMs };
  } finally {
    await app.close();
  }
}

const l = await measureLaunches();
const plain = await measurePlainChromium();
const ipc = await measureIpc();
const seqPerInvoke = ipc.sequentialMs / INVOKES;
const seqRate = 1000 / seqPerInvoke;
const concRate = INVOKES / (ipc.concurrentMs / 1000);
const bridgeMedian = median(l.bridge);

console.log(`runtime: ${l.runtimeReason}`);
console.log(`launches: ${LAUNCHES}, invokes per run: ${INVOKES}`);
console.log('');
console.log('metric                                   value        baseline ratio');
console.log(`launchApp resolved (median)              ${fmt(median(l.launch)).padStart(8)} ms`);
console.log(`plain Chromium launch + page load (baseline) ${fmt(median(plain)).padStart(5)} ms   1.00`);
console.log(`bridge ready from launch (median)        ${fmt(bridgeMedian).padStart(8)} ms   ${fmt(bridgeMedian / median(plain), 2)} x plain Chromium; target <= 700 ms: ${bridgeMedian <= 700 ? 'met' : 'NOT met'}`);
console.log(`close (median)                           ${fmt(median(l.close)).padStart(8)} ms`);
console.log(`empty page.evaluate (baseline)           ${fmt(ipc.emptyEvaluateMs, 3).padStart(8)} ms   1.00`);
console.log(`invoke in renderer, sequential           ${fmt(seqPerInvoke, 3).padStart(8)} ms   ${fmt(seqPerInvoke / ipc.emptyEvaluateMs, 2)} x empty evaluate`);
console.log(`  = round trips per second               ${fmt(seqRate, 0).padStart(8)} /s   target >= 2000/s: ${seqRate >= 2000 ? 'met' : 'NOT met'}`);
console.log(`invoke in renderer, ${INVOKES} concurrent     ${fmt(concRate, 0).padStart(8)} /s`);
console.log(`invoke driven by its own page.evaluate   ${fmt(ipc.perEvaluateInvokeMs, 3).padStart(8)} ms   ${fmt(ipc.perEvaluateInvokeMs / ipc.emptyEvaluateMs, 2)} x empty evaluate`);
console.log('');
console.log(JSON.stringify({
  bench: 'standin', launches: LAUNCHES, invokes: INVOKES,
  launchMedianMs: median(l.launch), bridgeReadyMedianMs: bridgeMedian, plainChromiumMedianMs: median(plain), closeMedianMs: median(l.close),
  bridgeReadyAllMs: l.bridge.map((x) => Math.round(x)),
  emptyEvaluateMs: ipc.emptyEvaluateMs, invokeSequentialMs: seqPerInvoke, invokeSequentialPerSec: seqRate,
  invokeConcurrentPerSec: concRate, invokePerEvaluateMs: ipc.perEvaluateInvokeMs,
}));
