// Schema coverage of a run: of the results of checks that judge a value against a contract
// schema, how many met a schema stated throughout, one with x-unspecified parts, or an
// x-unspecified schema that accepts anything (verified nothing). A draft pack passes every such
// check; this says how much of that passing meant something.
import { inspectSchema } from '../../specs/generate.ts';
import type { Pack, SchemaNode } from '../../specs/model.ts';
import type { CheckResult } from './types.ts';

export interface SchemaCoverage {
  /** Passed or failed results of schema-judging checks. */
  schemaChecks: number;
  /** Judged against a schema stated throughout. */
  verified: number;
  /** Judged against a schema with x-unspecified parts: those parts were not verified. */
  partial: number;
  /** Judged against an x-unspecified schema: accepted anything, verified nothing. */
  unspecified: number;
  /** Channels with an x-unspecified params, returns or payload schema (whole or in part), pack order. */
  unspecifiedChannels: string[];
}

type Openness = 'stated' | 'partial' | 'unspecified';

/** Which schema each schema-judging check id judges against. */
const JUDGED: Record<string, 'args' | 'returns' | 'payload' | 'stream-payloads'> = {
  'params.reach-handler': 'args',
  'errors.invalid-params-shape': 'args',
  'call.valid-resolves': 'args',
  'returns.schema': 'returns',
  'returns.union-branch': 'returns',
  'event.payload-schema': 'payload',
  'stream.payload-schema': 'stream-payloads',
};

const WORST: Openness[] = ['stated', 'partial', 'unspecified'];
const worst = (xs: Openness[]): Openness => xs.reduce<Openness>((a, b) => (WORST.indexOf(b) > WORST.indexOf(a) ? b : a), 'stated');

/** How much of `node` the contract states: all of it, some (x-unspecified parts), or nothing. */
export function openness(pack: Pack, node: SchemaNode | undefined): Openness {
  if (!node) return 'stated';
  const t = inspectSchema(node, pack.schemas);
  if (t.unspecified !== undefined) return 'unspecified';
  // Positional args are a tuple of refs: every param open is as good as nothing stated (only the count is).
  if (t.unspecifiedPaths.length && node.uri.startsWith('conform:/args/')) {
    const items = (node.schema as { prefixItems?: unknown[] }).prefixItems ?? [];
    if (items.length && items.every((_, i) => t.unspecifiedPaths.includes(`/${i}`))) return 'unspecified';
  }
  return t.unspecifiedPaths.length ? 'partial' : 'stated';
}

export function schemaCoverage(pack: Pack, results: CheckResult[]): SchemaCoverage {
  const cache = new Map<string, Openness>();
  const of = (key: string, f: () => Openness) => cache.get(key) ?? (cache.set(key, f()), cache.get(key)!);
  const part = (name: string, which: 'args' | 'returns' | 'payload'): Openness =>
    of(`${name} ${which}`, () => {
      const ch = pack.byName.get(name);
      if (!ch) return 'stated';
      return openness(pack, which === 'args' ? (ch.params.style === 'none' ? undefined : ch.args) : which === 'returns' ? ch.returns : ch.payload);
    });
  const cov: SchemaCoverage = { schemaChecks: 0, verified: 0, partial: 0, unspecified: 0, unspecifiedChannels: [] };
  for (const r of results) {
    const judged = JUDGED[r.id];
    if (!judged || !r.channel || (r.status !== 'passed' && r.status !== 'failed')) continue;
    let o: Openness;
    if (judged === 'stream-payloads') {
      const stream = pack.streams.find((s) => s.name === r.stream);
      const start = stream ? pack.byName.get(stream.start) : undefined;
      // A channel-stream's messages are the start channel's payload; an event stream's are its events'.
      o = start?.kind === 'channel-stream' ? part(start.name, 'payload') : worst((stream?.events ?? []).map((e) => part(e, 'payload')));
    } else o = part(r.channel, judged);
    cov.schemaChecks++;
    if (o === 'stated') cov.verified++;
    else if (o === 'partial') cov.partial++;
    else cov.unspecified++;
  }
  cov.unspecifiedChannels = pack.channels.filter((c) => (['args', 'returns', 'payload'] as const).some((w) => part(c.name, w) !== 'stated')).map((c) => c.name);
  return cov;
}
