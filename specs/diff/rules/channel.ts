// Channel rules: one channel present in both packs (matched by name, or by bridge path when renamed).
import type { ChannelPair, ChannelRule, Finding } from '../types.ts';

export const kindChanged: ChannelRule = {
  id: 'kind-changed',
  family: 'channel',
  summary: 'the channel kind changed (invoke / send / event / command / channel-stream)',
  severity: 'breaking',
  who: 'both',
  what: 'both: the renderer calls or listens differently and main registers a different handler',
  check: (p) => (p.oldChannel.kind !== p.newChannel.kind ? [{ location: 'kind', message: `kind changed from ${p.oldChannel.kind} to ${p.newChannel.kind}`, before: p.oldChannel.kind, after: p.newChannel.kind }] : []),
};

export const bridgePathRenamed: ChannelRule = {
  id: 'bridge-path-renamed',
  family: 'channel',
  summary: 'the bridge method moved to another path',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: code calling the old window path gets undefined',
  check: (p) => {
    const a = p.oldChannel.bridge;
    const b = p.newChannel.bridge;
    return a && b && a !== b ? [{ location: 'bridge', message: `bridge path renamed from ${a} to ${b}`, before: a, after: b }] : [];
  },
};

export const bridgePathRemoved: ChannelRule = {
  id: 'bridge-path-removed',
  family: 'channel',
  summary: 'the channel lost its bridge method',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: code calling the bridge method gets undefined',
  check: (p) => (p.oldChannel.bridge && !p.newChannel.bridge ? [{ location: 'bridge', message: `bridge path ${p.oldChannel.bridge} removed`, before: p.oldChannel.bridge }] : []),
};

export const bridgePathAdded: ChannelRule = {
  id: 'bridge-path-added',
  family: 'channel',
  summary: 'the channel gained a bridge method',
  severity: 'info',
  who: 'none',
  what: 'none: a new way to reach an existing channel',
  check: (p) => (!p.oldChannel.bridge && p.newChannel.bridge ? [{ location: 'bridge', message: `bridge path ${p.newChannel.bridge} added`, after: p.newChannel.bridge }] : []),
};

const returnsValue = (c: ChannelPair['oldChannel']) => c.returns !== undefined && !c.returnsVoid;

export const returnValueRemoved: ChannelRule = {
  id: 'return-value-removed',
  family: 'channel',
  summary: 'a call that resolved to a value now resolves to undefined (void)',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: callers reading the result get undefined',
  check: (p) => (returnsValue(p.oldChannel) && p.newChannel.returnsVoid ? [{ location: 'returns', message: 'return value removed (now void)', after: 'void' }] : []),
};

export const returnValueAdded: ChannelRule = {
  id: 'return-value-added',
  family: 'channel',
  summary: 'a void call now resolves to a value',
  severity: 'info',
  who: 'main',
  what: 'main: the handler must return the value; callers that ignored the result are unaffected',
  check: (p) => (p.oldChannel.returnsVoid && returnsValue(p.newChannel) ? [{ location: 'returns', message: 'return value added (was void)', before: 'void' }] : []),
};

export const payloadRemoved: ChannelRule = {
  id: 'payload-schema-removed',
  family: 'channel',
  summary: 'an event or stream message lost its payload schema',
  severity: 'warning',
  who: 'renderer',
  what: 'renderer: listeners can no longer rely on any payload shape',
  check: (p) => (p.oldChannel.payload && !p.newChannel.payload ? [{ location: 'payload', message: 'payload schema removed' }] : []),
};

export const payloadAdded: ChannelRule = {
  id: 'payload-schema-added',
  family: 'channel',
  summary: 'an event or stream message gained a payload schema',
  severity: 'info',
  who: 'main',
  what: 'main: the emitted payload must now match the schema',
  check: (p) => (!p.oldChannel.payload && p.newChannel.payload ? [{ location: 'payload', message: 'payload schema added' }] : []),
};

/** Shared by channel and stream budgets: a latency promise made tighter, laxer, added or dropped. */
export function budgetFindings(label: string, a: number | undefined, b: number | undefined, want: 'tightened' | 'loosened' | 'added' | 'removed', location: string): Finding[] {
  if (a === b) return [];
  const kind = a === undefined ? 'added' : b === undefined ? 'removed' : b < a ? 'tightened' : 'loosened';
  return kind === want ? [{ location, message: `${label} ${kind}: ${a ?? '-'} ms -> ${b ?? '-'} ms`, before: a?.toString(), after: b?.toString() }] : [];
}

export const budgetTightened: ChannelRule = {
  id: 'budget-tightened',
  family: 'channel',
  summary: 'a latency budget got shorter (budgetMs; stream firstEventMs/totalMs)',
  severity: 'warning',
  who: 'main',
  what: 'main: must answer faster; a handler that met the old budget may now miss it',
  check: (p) => budgetFindings('budgetMs', p.oldChannel.budgetMs, p.newChannel.budgetMs, 'tightened', 'budgetMs'),
};

export const budgetLoosened: ChannelRule = {
  id: 'budget-loosened',
  family: 'channel',
  summary: 'a latency budget got longer',
  severity: 'warning',
  who: 'renderer',
  what: 'renderer: may wait longer than before; UI timeouts tuned to the old budget may fire',
  check: (p) => budgetFindings('budgetMs', p.oldChannel.budgetMs, p.newChannel.budgetMs, 'loosened', 'budgetMs'),
};

export const budgetAdded: ChannelRule = {
  id: 'budget-added',
  family: 'channel',
  summary: 'a latency budget was added',
  severity: 'info',
  who: 'main',
  what: 'main: is now held to a latency budget',
  check: (p) => budgetFindings('budgetMs', p.oldChannel.budgetMs, p.newChannel.budgetMs, 'added', 'budgetMs'),
};

export const budgetRemoved: ChannelRule = {
  id: 'budget-removed',
  family: 'channel',
  summary: 'a latency budget was removed',
  severity: 'warning',
  who: 'renderer',
  what: 'renderer: no latency promise any more; calls may take arbitrarily long',
  check: (p) => budgetFindings('budgetMs', p.oldChannel.budgetMs, p.newChannel.budgetMs, 'removed', 'budgetMs'),
};

export const CHANNEL_RULES: ChannelRule[] = [
  kindChanged, bridgePathRenamed, bridgePathRemoved, bridgePathAdded, returnValueRemoved, returnValueAdded,
  payloadRemoved, payloadAdded, budgetTightened, budgetLoosened, budgetAdded, budgetRemoved,
];
