// Benchmark of the value generator and the stream grammar on their hot paths, against baselines
// measured in the same run: ajv validating the very values generated (the cost every check pays
// anyway) and a JSON round-trip clone of them.
// Run: npx tsx bench/generate.ts
import { generateInvalid, generateValid } from '../specs/generate.ts';
import { compileGrammar } from '../specs/grammar.ts';
import { listPackNames, loadPackSync } from '../specs/loader.ts';
import type { SchemaNode, SchemaStore } from '../specs/model.ts';

function time<T>(fn: () => T): { ms: number; out: T } {
  const t = performance.now();
  const out = fn();
  return { ms: performance.now() - t, out };
}

const targets: { node: SchemaNode; store: SchemaStore }[] = [];
for (const name of listPackNames()) {
  const pack = loadPackSync(name);
  for (const ch of pack.channels) {
    targets.push({ node: ch.args, store: pack.schemas });
    if (ch.returns) targets.push({ node: ch.returns, store: pack.schemas });
    if (ch.payload) targets.push({ node: ch.payload, store: pack.schemas });
  }
}

const SEEDS = 10;
// Warm-up: first calls compile ajv validators and build the generator's views.
for (const t of targets) {
  const vs = generateValid(t.node, t.store, { seed: 0, count: 1 });
  t.store.validate(t.node, vs[0]);
}

const valid = time(() => {
  const all: { t: (typeof targets)[number]; v: unknown }[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) for (const t of targets) for (const v of generateValid(t.node, t.store, { seed, count: 5 })) all.push({ t, v });
  return all;
});
const invalid = time(() => {
  let n = 0;
  for (let seed = 1; seed <= SEEDS; seed++) for (const t of targets) n += generateInvalid(t.node, t.store, { seed }).length;
  return n;
});
const validate = time(() => {
  for (const { t, v } of valid.out) t.store.validate(t.node, v);
});
const clone = time(() => {
  for (const { v } of valid.out) if (v !== undefined) JSON.parse(JSON.stringify(v));
});

const calls = SEEDS * targets.length;
const perValue = (ms: number, n: number) => ((ms * 1000) / n).toFixed(1);
console.log(`schemas: ${targets.length} channel args/returns/payloads over ${listPackNames().length} packs, ${SEEDS} seeds`);
console.log(`generateValid:   ${valid.ms.toFixed(0)} ms for ${calls} calls / ${valid.out.length} values = ${perValue(valid.ms, valid.out.length)} µs per value`);
console.log(`generateInvalid: ${invalid.ms.toFixed(0)} ms for ${calls} calls / ${invalid.out} values = ${perValue(invalid.ms, invalid.out)} µs per value`);
console.log(`baseline ajv validate of the valid values: ${validate.ms.toFixed(0)} ms = ${perValue(validate.ms, valid.out.length)} µs per value`);
console.log(`baseline JSON clone of the valid values:   ${clone.ms.toFixed(0)} ms = ${perValue(clone.ms, valid.out.length)} µs per value`);
console.log(`ratio generateValid / ajv validate: ${(valid.ms / validate.ms).toFixed(1)}x`);

// Grammar: compile once, then feed events.
const source = 'ollama:chat-token* (ollama:chat-done | ollama:chat-error | ollama:chat-aborted)';
const compile = time(() => {
  for (let i = 0; i < 1000; i++) compileGrammar(source);
});
const grammar = compileGrammar(source);
const events = [...Array(98).fill('ollama:chat-token'), 'ollama:chat-done'];
const EVENTS = 1_000_000;
const feed = time(() => {
  let accepted = 0;
  for (let i = 0; i < EVENTS / events.length; i++) {
    const m = grammar.start();
    for (const e of events) m.feed(e);
    if (m.end().ok) accepted++;
  }
  return accepted;
});
const set = new Set(grammar.alphabet);
const baseline = time(() => {
  let known = 0;
  for (let i = 0; i < EVENTS / events.length; i++) for (const e of events) if (set.has(e)) known++;
  return known;
});
console.log(`compileGrammar: ${(compile.ms / 1000).toFixed(3)} ms per compile (${grammar.stateCount} states)`);
console.log(`matcher.feed: ${((feed.ms * 1e6) / EVENTS).toFixed(0)} ns per event; baseline Set.has per event: ${((baseline.ms * 1e6) / EVENTS).toFixed(0)} ns; ratio ${(feed.ms / baseline.ms).toFixed(1)}x`);
