// The diff engine: matches channels and streams of two packs, runs every rule of the catalog on
// them, and returns a stable, sorted report. Rules judge; this file only pairs things up.
import type { Channel, Pack } from '../model.ts';
import { compareSchemas } from './compare.ts';
import type { SchemaDelta } from './compare.ts';
import { normalize } from './normalize.ts';
import { CHANNEL_RULES, ERROR_RULES, PACK_RULES, PARAM_RULES, STREAM_RULES } from './rules/index.ts';
import { matchChannels } from './rules/pack.ts';
import { matchParams, sameStyle } from './rules/params.ts';
import { additionalPropertiesClosed, additionalPropertiesOpened } from './rules/schema.ts';
import { kindChanged } from './rules/channel.ts';
import { locationFlow, severityRank } from './types.ts';
import type { Change, ChannelPair, DiffReport, Finding, RuleInfo, SchemaLocation, Severity } from './types.ts';

function toChange(rule: RuleInfo, f: Finding, subject: { channel?: string; stream?: string }): Change {
  const c: Change = {
    rule: rule.id,
    severity: f.severity ?? rule.severity,
    ...subject,
    location: f.location,
    path: f.path || undefined,
    message: f.message,
    breaks: { who: f.who ?? rule.who, what: f.what ?? rule.what },
    before: f.before,
    after: f.after,
  };
  for (const k of Object.keys(c) as (keyof Change)[]) if (c[k] === undefined) delete c[k];
  return c;
}

function deltaToChange(d: SchemaDelta, loc: SchemaLocation, channel: string, location: string): Change {
  const flow = locationFlow[loc];
  return toChange(
    { ...d.rule, id: `${loc}-${d.rule.id}`, severity: d.rule.severity[flow], who: d.rule.who[flow], what: d.rule.what[flow] },
    { ...d.hit, location, path: d.path },
    { channel },
  );
}

function schemaChanges(p: ChannelPair): Change[] {
  const out: Change[] = [];
  const a = p.oldChannel;
  const b = p.newChannel;
  const name = b.name;
  const cmp = (x: { uri: string; schema: unknown }, y: { uri: string; schema: unknown }, loc: SchemaLocation, location: string) => {
    for (const d of compareSchemas(x as never, p.old.schemas, y as never, p.new.schemas, locationFlow[loc])) out.push(deltaToChange(d, loc, name, location));
  };
  if (sameStyle(p)) {
    const m = matchParams(p);
    for (const pr of m.pairs) {
      const location = b.params.style === 'positional' ? `params[${pr.new.index}] ${pr.new.name}` : `params.${pr.new.name}`;
      cmp(pr.old.node, pr.new.node, 'param', location);
    }
    if (a.params.style === 'named' && b.params.style === 'named') {
      // The argument object itself: closing it to extra names breaks callers passing them.
      const na = normalize(a.params.schema, p.old.schemas);
      const nb = normalize(b.params.schema, p.new.schemas);
      for (const r of [additionalPropertiesClosed, additionalPropertiesOpened]) {
        for (const hit of r.check(na, nb, 'in')) out.push(deltaToChange({ rule: r, hit, path: '' }, 'param', name, 'params'));
      }
    }
  }
  if (a.returns && b.returns && !a.returnsVoid && !b.returnsVoid) cmp(a.returns, b.returns, 'return', 'returns');
  if (a.payload && b.payload) cmp(a.payload, b.payload, 'payload', 'payload');
  if (a.errors.style === 'result-union' && b.errors.style === 'result-union') cmp(a.errors.error, b.errors.error, 'error-branch', 'errors.error');
  return out;
}

export function diffChannels(p: ChannelPair): Change[] {
  const out: Change[] = [];
  const subject = { channel: p.newChannel.name };
  for (const f of kindChanged.check(p)) out.push(toChange(kindChanged, f, subject));
  // A different kind makes every other comparison noise: the kind change is the finding.
  if (out.length) return out;
  for (const rule of [...CHANNEL_RULES, ...PARAM_RULES, ...ERROR_RULES]) {
    if (rule === kindChanged) continue;
    for (const f of rule.check(p)) out.push(toChange(rule, f, subject));
  }
  out.push(...schemaChanges(p));
  return out;
}

export function compareChanges(x: Change, y: Change): number {
  const key = (c: Change) => [c.channel ?? c.stream ?? '', c.stream ? 1 : 0, c.location ?? '', c.path ?? '', c.rule, c.message];
  const r = severityRank[y.severity] - severityRank[x.severity];
  if (r) return r;
  const kx = key(x);
  const ky = key(y);
  for (let i = 0; i < kx.length; i++) {
    if (kx[i]! < ky[i]!) return -1;
    if (kx[i]! > ky[i]!) return 1;
  }
  return 0;
}

export function diffPacks(oldPack: Pack, newPack: Pack, sources?: { old?: string; new?: string }): DiffReport {
  const pp = { old: oldPack, new: newPack };
  const changes: Change[] = [];
  for (const rule of PACK_RULES) {
    for (const f of rule.check(pp)) changes.push(toChange(rule, f, { channel: f.channel, stream: f.stream }));
  }
  const m = matchChannels(pp);
  const pairs: [Channel, Channel][] = [...m.pairs, ...m.renamed];
  for (const [a, b] of pairs) changes.push(...diffChannels({ ...pp, oldChannel: a, newChannel: b }));
  for (const s of oldPack.streams) {
    const t = newPack.streams.find((x) => x.name === s.name);
    if (!t) continue;
    for (const rule of STREAM_RULES) for (const f of rule.check({ ...pp, oldStream: s, newStream: t })) changes.push(toChange(rule, f, { stream: s.name }));
  }
  changes.sort(compareChanges);
  const summary: Record<Severity, number> = { breaking: 0, warning: 0, info: 0 };
  for (const c of changes) summary[c.severity]++;
  return {
    format: 'conform-diff/1',
    old: { pack: oldPack.name, source: sources?.old ?? oldPack.dir },
    new: { pack: newPack.name, source: sources?.new ?? newPack.dir },
    summary,
    changes,
  };
}

/** Exit status for `--fail-on`: true when a change at or above the threshold exists. */
export function failsOn(report: DiffReport, threshold: Severity): boolean {
  return report.changes.some((c) => severityRank[c.severity] >= severityRank[threshold]);
}
