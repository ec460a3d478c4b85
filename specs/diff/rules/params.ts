// Param-list rules: how the arguments of a callable channel line up between the two versions.
// Positional params (Electron) match by name, then by position (a rename); named params (Tauri)
// are the top-level properties of the argument object. Params flow into main: anything an
// existing caller does that the new contract refuses breaks the renderer.
import type { Channel, Pack, Params } from '../../model.ts';
import { normalize } from '../normalize.ts';
import type { NodeRef } from '../normalize.ts';
import type { ChannelPair, ChannelRule, Finding } from '../types.ts';

export interface ParamView {
  name: string;
  index: number;
  optional: boolean;
  node: NodeRef;
}

/** Params of a channel as a list: positional params in order, named params sorted by name. */
export function paramList(ch: Channel, pack: Pack): ParamView[] {
  const p: Params = ch.params;
  if (p.style === 'positional') return p.list.map((x, i) => ({ name: x.name, index: i, optional: x.optional, node: { uri: x.schema.uri, schema: x.schema.schema } }));
  if (p.style === 'named') {
    const n = normalize({ uri: p.schema.uri, schema: p.schema.schema }, pack.schemas);
    return [...n.properties.keys()].sort().map((k, i) => ({ name: k, index: i, optional: !n.required.has(k), node: n.properties.get(k)! }));
  }
  return [];
}

export interface ParamMatch {
  pairs: { old: ParamView; new: ParamView; renamed: boolean }[];
  removed: ParamView[];
  added: ParamView[];
  reordered: boolean;
}

const matchCache = new WeakMap<Channel, WeakMap<Channel, ParamMatch>>();

export function matchParams(pair: ChannelPair): ParamMatch {
  let inner = matchCache.get(pair.oldChannel);
  const hit = inner?.get(pair.newChannel);
  if (hit) return hit;
  const a = paramList(pair.oldChannel, pair.old);
  const b = paramList(pair.newChannel, pair.new);
  const positional = pair.oldChannel.params.style === 'positional' && pair.newChannel.params.style === 'positional';
  const byName = new Map(b.map((p) => [p.name, p]));
  const pairs: ParamMatch['pairs'] = [];
  const usedB = new Set<string>();
  const leftA: ParamView[] = [];
  for (const p of a) {
    const q = byName.get(p.name);
    if (q) {
      pairs.push({ old: p, new: q, renamed: false });
      usedB.add(q.name);
    } else leftA.push(p);
  }
  const leftB = b.filter((q) => !usedB.has(q.name));
  const removed: ParamView[] = [];
  for (const p of leftA) {
    // Only positional params can be renamed: Tauri argument names are the wire format.
    const q = positional ? leftB.find((x) => x.index === p.index) : undefined;
    if (q) {
      pairs.push({ old: p, new: q, renamed: true });
      leftB.splice(leftB.indexOf(q), 1);
    } else removed.push(p);
  }
  const named = pairs.filter((x) => !x.renamed).sort((x, y) => x.new.index - y.new.index);
  const reordered = positional && named.some((x, i) => i > 0 && named[i - 1]!.old.index > x.old.index);
  const m = { pairs, removed, added: leftB, reordered };
  if (!inner) matchCache.set(pair.oldChannel, (inner = new WeakMap()));
  inner.set(pair.newChannel, m);
  return m;
}

/**
 * Param lists are comparable when both sides use the same style or one side takes none (an empty
 * list). Positional vs named only happens with a kind change (Electron vs Tauri), which the
 * kind-changed rule reports on its own.
 */
export const sameStyle = (p: ChannelPair) => {
  const a = p.oldChannel.params.style;
  const b = p.newChannel.params.style;
  return a === b || a === 'none' || b === 'none';
};
const where = (p: ParamView) => `params[${p.index}] ${p.name}`;

export const paramAdded: ChannelRule = {
  id: 'param-added',
  family: 'params',
  summary: 'a required param was added',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: existing callers do not pass it and are rejected (or shift the positional args)',
  check: (p) => (sameStyle(p) ? matchParams(p).added.filter((x) => !x.optional).map((x) => ({ location: where(x), message: `required param '${x.name}' added at position ${x.index}` })) : []),
};

export const paramAddedOptional: ChannelRule = {
  id: 'param-added-optional',
  family: 'params',
  summary: 'an optional param was added',
  severity: 'info',
  who: 'main',
  what: 'main: the handler must work without it; existing callers are unaffected',
  condition: 'breaking when a positional optional param is inserted before existing params (their positions shift)',
  check: (p) => {
    if (!sameStyle(p)) return [];
    const m = matchParams(p);
    const lastOld = Math.max(-1, ...m.pairs.map((x) => x.new.index));
    return m.added.filter((x) => x.optional).map((x): Finding => {
      const shifts = p.newChannel.params.style === 'positional' && x.index < lastOld;
      return { location: where(x), message: `optional param '${x.name}' added${shifts ? ` at position ${x.index}, before existing params` : ''}`, severity: shifts ? 'breaking' : undefined, who: shifts ? 'renderer' : undefined, what: shifts ? 'renderer: existing callers pass their args at the old positions' : undefined };
    });
  },
};

export const paramRemoved: ChannelRule = {
  id: 'param-removed',
  family: 'params',
  summary: 'a param was removed',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: existing callers still pass it; main ignores or rejects it, and later positional args shift',
  check: (p) => (sameStyle(p) ? matchParams(p).removed.map((x) => ({ location: where(x), message: `param '${x.name}' removed` })) : []),
};

export const paramReordered: ChannelRule = {
  id: 'param-reordered',
  family: 'params',
  summary: 'positional params changed order',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: existing callers pass arguments in the old order',
  check: (p) => {
    if (!sameStyle(p)) return [];
    const m = matchParams(p);
    if (!m.reordered) return [];
    const before = m.pairs.filter((x) => !x.renamed).sort((x, y) => x.old.index - y.old.index).map((x) => x.old.name).join(', ');
    const after = m.pairs.filter((x) => !x.renamed).sort((x, y) => x.new.index - y.new.index).map((x) => x.new.name).join(', ');
    return [{ location: 'params', message: `params reordered: (${before}) -> (${after})`, before, after }];
  },
};

export const paramRenamed: ChannelRule = {
  id: 'param-renamed',
  family: 'params',
  summary: 'a positional param was renamed in place',
  severity: 'info',
  who: 'none',
  what: 'none: positional names are documentation; the position is what crosses IPC',
  check: (p) => (sameStyle(p) ? matchParams(p).pairs.filter((x) => x.renamed).map((x) => ({ location: where(x.new), message: `param ${x.old.index} renamed from '${x.old.name}' to '${x.new.name}'`, before: x.old.name, after: x.new.name })) : []),
};

export const paramMadeRequired: ChannelRule = {
  id: 'param-made-required',
  family: 'params',
  summary: 'an optional param became required',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: existing callers that omit it are rejected',
  check: (p) => (sameStyle(p) ? matchParams(p).pairs.filter((x) => x.old.optional && !x.new.optional).map((x) => ({ location: where(x.new), message: `param '${x.new.name}' made required` })) : []),
};

export const paramMadeOptional: ChannelRule = {
  id: 'param-made-optional',
  family: 'params',
  summary: 'a required param became optional',
  severity: 'info',
  who: 'main',
  what: 'main: the handler must cope with it missing; existing callers are unaffected',
  check: (p) => (sameStyle(p) ? matchParams(p).pairs.filter((x) => !x.old.optional && x.new.optional).map((x) => ({ location: where(x.new), message: `param '${x.new.name}' made optional` })) : []),
};

export const PARAM_RULES: ChannelRule[] = [paramAdded, paramAddedOptional, paramRemoved, paramReordered, paramRenamed, paramMadeRequired, paramMadeOptional];
