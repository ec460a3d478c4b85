// What the app's own source says about its channels, read statically (nothing of the app runs for
// it): the preload's bridge methods and the channels they invoke or subscribe to (specs/extract's
// analysis), and the channels main's source sends on. Events sent only on rare paths (a restart
// after a crash, a platform-only warning) never fire during a run, but their names are here.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Channel, Pack } from '../../specs/model.ts';
import { analyzePreload } from '../../specs/extract/analyze.ts';
import type { SourceChannels } from '../checks/observations.ts';

const SOURCE_EXT = /\.(c|m)?(j|t)s$/;
const MAX_FILES = 400;
const MAX_BYTES = 1_000_000;

/** Source files of the app folder (node_modules, dot folders and build output aside), bounded. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 5 || out.length >= MAX_FILES) return;
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      if (n === 'node_modules' || n.startsWith('.')) continue;
      const p = join(d, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p, depth + 1);
      else if (SOURCE_EXT.test(n) && st.size <= MAX_BYTES && out.length < MAX_FILES) out.push(p);
    }
  };
  walk(dir, 0);
  return out;
}

// `win.webContents.send('ch', ...)`, `event.sender.send('ch')`, `contents.send("ch")`: a literal channel name.
const MAIN_SEND = /\b(webContents|sender|contents)\s*\.\s*send\(\s*(['"`])([^'"`$\s]+)\2/g;

/**
 * Read the app's preload(s) and main sources. `preloads`: preload paths the windows declared;
 * when none is known, files named `preload.*` in the app folder.
 */
export function readSourceChannels(appPath: string, preloads: string[]): SourceChannels | undefined {
  const dir = existsSync(appPath) && statSync(appPath).isDirectory() ? appPath : dirname(appPath);
  const files = sourceFiles(dir);
  const pre = preloads.filter((p) => existsSync(p));
  if (pre.length === 0) pre.push(...files.filter((f) => /(^|\/)preload\.(c|m)?(j|t)s$/.test(f)));
  const out: SourceChannels = { files: [], bridgeChannels: {}, subscribed: [], mainSends: [] };
  for (const file of pre) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    out.files.push(relative(dir, file) || file);
    const a = analyzePreload(file, text);
    for (const f of a.channels) {
      if ((f.method === 'invoke' || f.method === 'send' || f.method === 'sendSync') && f.bridge) out.bridgeChannels[f.bridge] ??= f.channel;
      if (f.method === 'on' || f.method === 'once' || f.method === 'addListener') {
        if (!out.subscribed.some((s) => s.channel === f.channel)) out.subscribed.push({ channel: f.channel, how: `ipcRenderer.${f.method} at ${relative(dir, file)}:${f.pos.line}` });
      }
    }
  }
  if (out.files.length === 0) return undefined;
  const preSet = new Set(pre);
  for (const file of files) {
    if (preSet.has(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(MAIN_SEND)) {
      const line = text.slice(0, m.index).split('\n').length;
      if (!out.mainSends.some((s) => s.channel === m[3])) out.mainSends.push({ channel: m[3]!, how: `${m[1]}.send at ${relative(dir, file)}:${line}` });
    }
  }
  return out;
}

/**
 * Channels whose pack gives no bridge path (the document names none) that a preload bridge method
 * invokes or sends on: channel -> the bridge path found.
 */
export function bridgesFromSource(pack: Pack, source: SourceChannels | undefined): Record<string, string> {
  const found: Record<string, string> = {};
  if (!source) return found;
  const taken = new Set(pack.channels.map((c) => c.bridge).filter(Boolean));
  for (const [path, channel] of Object.entries(source.bridgeChannels)) {
    const ch = pack.byName.get(channel);
    if (ch && !ch.bridge && (ch.kind === 'invoke' || ch.kind === 'send') && !taken.has(path) && !found[channel]) found[channel] = path;
  }
  return found;
}

/** A copy of the pack whose channels carry the bridge paths found (the loaded pack is left alone). */
export function withBridges(pack: Pack, found: Record<string, string>): Pack {
  if (Object.keys(found).length === 0) return pack;
  const channels: Channel[] = pack.channels.map((c) => (found[c.name] ? { ...c, bridge: found[c.name]! } : c));
  return { ...pack, channels, byName: new Map(channels.map((c) => [c.name, c])) };
}
