// Benchmark of the contract loader: loading each pack (parse, meta-schema, schema checks with
// ajv, model) against a baseline measured in the same run: parsing the same YAML files with the
// `yaml` package alone, the floor any loader with source positions pays.
// Run: npx tsx bench/loader.ts
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { DEFAULT_PACKS_DIR, listPackNames, loadPackSync } from '../specs/loader.ts';

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
