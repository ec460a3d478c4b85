// Pack rules: what exists on each side (channels, streams, bridge roots) and pack-wide settings.
// Channels match by name; a removed and an added channel with the same kind and bridge path are
// one renamed channel.
import type { Channel, Pack, WindowPosture } from '../../model.ts';
import type { Finding, PackPair, PackRule } from '../types.ts';

export interface ChannelMatch {
  pairs: [Channel, Channel][];
  removed: Channel[];
  added: Channel[];
  renamed: [Channel, Channel][];
}

const matchCache = new WeakMap<Pack, WeakMap<Pack, ChannelMatch>>();

export function matchChannels(p: PackPair): ChannelMatch {
  let inner = matchCache.get(p.old);
  const hit = inner?.get(p.new);
  if (hit) return hit;
  const pairs: [Channel, Channel][] = [];
  const removed: Channel[] = [];
  for (const c of p.old.channels) {
    const d = p.new.byName.get(c.name);
    if (d) pairs.push([c, d]);
    else removed.push(c);
  }
  let added = p.new.channels.filter((c) => !p.old.byName.has(c.name));
  const renamed: [Channel, Channel][] = [];
  const addedByBridge = new Map(added.filter((c) => c.bridge).map((c) => [`${c.kind} ${c.bridge}`, c]));
  for (const c of [...removed]) {
    const d = c.bridge ? addedByBridge.get(`${c.kind} ${c.bridge}`) : undefined;
    if (d) {
      renamed.push([c, d]);
      addedByBridge.delete(`${c.kind} ${c.bridge}`);
      removed.splice(removed.indexOf(c), 1);
      added = added.filter((x) => x !== d);
    }
  }
  const m = { pairs, removed, added, renamed };
  if (!inner) matchCache.set(p.old, (inner = new WeakMap()));
  inner.set(p.new, m);
  return m;
}

type PackFinding = Finding & { channel?: string; stream?: string };

export const channelRemoved: PackRule = {
  id: 'channel-removed',
  family: 'pack',
  summary: 'a channel was removed',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: calls to it fail (no handler) or its listeners never fire',
  check: (p) => matchChannels(p).removed.map((c): PackFinding => ({ channel: c.name, message: `${c.kind} channel ${c.name} removed${c.bridge ? ` (bridge ${c.bridge})` : ''}` })),
};

export const channelAdded: PackRule = {
  id: 'channel-added',
  family: 'pack',
  summary: 'a channel was added',
  severity: 'info',
  who: 'main',
  what: 'main: must handle (or emit) it; existing renderers are unaffected',
  check: (p) => matchChannels(p).added.map((c): PackFinding => ({ channel: c.name, message: `${c.kind} channel ${c.name} added${c.bridge ? ` (bridge ${c.bridge})` : ''}` })),
};

export const channelRenamed: PackRule = {
  id: 'channel-renamed',
  family: 'pack',
  summary: 'a channel changed its IPC name but kept its kind and bridge path',
  severity: 'breaking',
  who: 'both',
  what: 'both: preload and main must switch to the new name together; code using the raw channel name breaks',
  check: (p) => matchChannels(p).renamed.map(([a, b]): PackFinding => ({ channel: b.name, message: `channel ${a.name} renamed to ${b.name} (bridge ${b.bridge})`, before: a.name, after: b.name })),
};

export const streamRemoved: PackRule = {
  id: 'stream-removed',
  family: 'pack',
  summary: 'a stream was removed',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: the ordering, end and correlation promises it relied on are gone',
  check: (p) => p.old.streams.filter((s) => !p.new.streams.some((t) => t.name === s.name)).map((s): PackFinding => ({ stream: s.name, message: `stream ${s.name} removed` })),
};

export const streamAdded: PackRule = {
  id: 'stream-added',
  family: 'pack',
  summary: 'a stream was added',
  severity: 'info',
  who: 'main',
  what: 'main: its events must follow the new stream rules',
  check: (p) => p.new.streams.filter((s) => !p.old.streams.some((t) => t.name === s.name)).map((s): PackFinding => ({ stream: s.name, message: `stream ${s.name} added` })),
};

export const transportChanged: PackRule = {
  id: 'transport-changed',
  family: 'pack',
  summary: 'the transport changed (electron / tauri)',
  severity: 'breaking',
  who: 'both',
  what: 'both: every call and event crosses a different bridge',
  check: (p) => (p.old.transport !== p.new.transport ? [{ message: `transport changed from ${p.old.transport} to ${p.new.transport}`, before: p.old.transport, after: p.new.transport }] : []),
};

export const bridgeRootRemoved: PackRule = {
  id: 'bridge-root-removed',
  family: 'pack',
  summary: 'a bridge root (window.api...) was removed',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: code reaching the old root gets undefined',
  check: (p) => p.old.roots.filter((r) => !p.new.roots.includes(r)).map((r) => ({ location: 'bridge.roots', message: `bridge root ${r} removed`, before: r })),
};

export const bridgeRootAdded: PackRule = {
  id: 'bridge-root-added',
  family: 'pack',
  summary: 'a bridge root was added',
  severity: 'info',
  who: 'none',
  what: 'none: a new object on window',
  check: (p) => p.new.roots.filter((r) => !p.old.roots.includes(r)).map((r) => ({ location: 'bridge.roots', message: `bridge root ${r} added`, after: r })),
};

/** Value of each posture flag that is the safe one. */
const SAFE: Required<WindowPosture> = { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, allowRunningInsecureContent: false, csp: true };

function postureDeltas(p: PackPair, weaker: boolean): PackFinding[] {
  const out: PackFinding[] = [];
  for (const k of Object.keys(SAFE) as (keyof WindowPosture)[]) {
    const a = p.old.window?.[k];
    const b = p.new.window?.[k];
    if (a === b) continue;
    // A promise of the safe value that is dropped or flipped is a weakening.
    const isWeaker = a === SAFE[k];
    if (isWeaker === weaker) out.push({ location: `window.${k}`, message: `window.${k} ${a ?? 'unstated'} -> ${b ?? 'unstated'}`, before: a === undefined ? undefined : String(a), after: b === undefined ? undefined : String(b) });
  }
  return out;
}

export const windowPostureWeakened: PackRule = {
  id: 'window-posture-weakened',
  family: 'security',
  summary: 'a window security promise (contextIsolation, sandbox, nodeIntegration, webSecurity, CSP...) was dropped or flipped to the unsafe value',
  severity: 'breaking',
  who: 'main',
  what: 'main: renderer windows are no longer held to the safe setting; a compromised page can do more',
  check: (p) => postureDeltas(p, true),
};

export const windowPostureStrengthened: PackRule = {
  id: 'window-posture-strengthened',
  family: 'security',
  summary: 'a window security promise was added',
  severity: 'info',
  who: 'main',
  what: 'main: windows must now use the safe setting',
  check: (p) => postureDeltas(p, false),
};

export const PACK_RULES: PackRule[] = [
  channelRemoved, channelAdded, channelRenamed, streamRemoved, streamAdded, transportChanged,
  bridgeRootRemoved, bridgeRootAdded, windowPostureWeakened, windowPostureStrengthened,
];
