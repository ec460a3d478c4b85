// Drift: what a running app registers, sends and answers, compared with its pack. The app is
// observed elsewhere (cli/drift.ts runs it with the instrumentation hook and no generated
// calls); here the observations are only judged, by the drift rules below, into the same report
// shape as `conform diff` (format `conform-drift/1`).
import type { Channel, Pack } from '../specs/model.ts';
import { isConformChannel, type MainObservation } from './checks/observations.ts';
import { codec } from './checks/values.ts';
import { compareChanges } from '../specs/diff/engine.ts';
import type { Change, DiffReport, Finding, RuleInfo, Severity } from '../specs/diff/types.ts';

export interface DriftObservations {
  /** Records of the main-process hook, in order. */
  main: MainObservation[];
  /** Function paths found under the bridge roots in the renderer (`window.api.scripts.list`); null: no window. */
  bridge: string[] | null;
}

interface DriftContext {
  pack: Pack;
  obs: DriftObservations;
  /** channel -> registration apis seen (handle, handleOnce, on, once), unregistrations removed. */
  registered: Map<string, Set<string>>;
}

export interface DriftRule extends RuleInfo {
  check(ctx: DriftContext): (Finding & { channel?: string })[];
}

const HANDLE = new Set(['handle', 'handleOnce']);
const LISTEN = new Set(['on', 'once']);

function registrations(main: MainObservation[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const o of main) {
    if (!o.channel) continue;
    if (o.kind === 'register') {
      if (!out.has(o.channel)) out.set(o.channel, new Set());
      out.get(o.channel)!.add(o.api ?? '?');
    } else if (o.kind === 'unregister' && o.api === 'handle') {
      // removeHandler: the channel has no invoke handler any more (listeners keep theirs).
      const apis = out.get(o.channel);
      for (const a of HANDLE) apis?.delete(a);
      if (apis && apis.size === 0) out.delete(o.channel);
    }
    // Listener removals are not tracked: apps remove and re-add listeners, and a count of them
    // is not what the contract is about.
  }
  return out;
}

/** JSON pointers of the encoded value's opaque parts (redacted, truncated): schema issues there are not judged. */
function opaquePaths(v: unknown, at = '', out: string[] = []): string[] {
  if (codec.isOpaqueMarker(v)) out.push(at);
  else if (Array.isArray(v)) v.forEach((x, i) => opaquePaths(x, `${at}/${i}`, out));
  else if (v && typeof v === 'object' && !('$conform' in v)) for (const [k, x] of Object.entries(v)) opaquePaths(x, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
  return out;
}

/** Schema issues of an observed (encoded) value; messages carry paths and keywords, never the value. */
function issuesOf(pack: Pack, node: Channel['args'], encoded: unknown): string[] {
  const value = codec.decodeValue(encoded);
  const res = pack.schemas.validate(node, value);
  if (res.valid) return [];
  const skip = opaquePaths(encoded);
  return res.issues.filter((i) => !skip.some((p) => i.path === p || i.path.startsWith(p + '/'))).map((i) => `${i.path || '(root)'} ${i.message}`);
}

const callable = (c: Channel) => c.kind === 'invoke' || c.kind === 'send';

export const missingHandler: DriftRule = {
  id: 'drift-missing-handler',
  family: 'channel',
  summary: 'a documented invoke/send channel has no handler registered in main',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: calls reject with "No handler registered" (invoke) or go nowhere (send)',
  check: ({ pack, registered }) =>
    pack.channels.filter((c) => callable(c) && !registered.has(c.name)).map((c) => ({ channel: c.name, message: `${c.kind} channel ${c.name} is documented but main registered no ${c.kind === 'invoke' ? 'ipcMain.handle' : 'ipcMain.on'} for it` })),
};

export const handlerKindMismatch: DriftRule = {
  id: 'drift-handler-kind-mismatch',
  family: 'channel',
  summary: 'main registers the channel with the other API (handle vs on) than its documented kind needs',
  severity: 'breaking',
  who: 'both',
  what: 'both: invoke needs ipcMain.handle, send needs ipcMain.on; the call never reaches the handler',
  check: ({ pack, registered }) =>
    pack.channels.flatMap((c) => {
      const apis = registered.get(c.name);
      if (!callable(c) || !apis) return [];
      const ok = [...apis].some((a) => (c.kind === 'invoke' ? HANDLE : LISTEN).has(a));
      return ok ? [] : [{ channel: c.name, message: `${c.kind} channel ${c.name} is registered with ${[...apis].join(', ')}` }];
    }),
};

export const undocumentedHandler: DriftRule = {
  id: 'drift-undocumented-handler',
  family: 'channel',
  summary: 'main registers a handler for a channel the pack does not list',
  severity: 'warning',
  who: 'main',
  what: 'main: a channel in no contract is reachable from the renderer (untested attack surface), or the pack is incomplete',
  check: ({ pack, registered }) =>
    [...registered].filter(([ch, apis]) => apis.size > 0 && ch !== '*' && !isConformChannel(ch) && !pack.byName.has(ch)).map(([ch, apis]) => ({ channel: ch, message: `main registered ${[...apis].join(', ')} for ${ch}, which the pack does not list` })),
};

export const undocumentedSend: DriftRule = {
  id: 'drift-undocumented-send',
  family: 'channel',
  summary: 'main sent an event on a channel the pack does not list as an event',
  severity: 'warning',
  who: 'renderer',
  what: 'renderer: receives messages the contract does not describe',
  check: ({ pack, obs }) => {
    const seen = new Set<string>();
    const out: (Finding & { channel?: string })[] = [];
    for (const o of obs.main) {
      if (o.kind !== 'send' || !o.channel || seen.has(o.channel) || isConformChannel(o.channel)) continue;
      const ch = pack.byName.get(o.channel);
      if (ch && ch.kind === 'event') continue;
      seen.add(o.channel);
      out.push({ channel: o.channel, message: ch ? `main sent on ${o.channel}, which the pack lists as ${ch.kind}, not event` : `main sent on ${o.channel} (${o.api}), which the pack does not list` });
    }
    return out;
  },
};

export const payloadInvalid: DriftRule = {
  id: 'drift-payload-invalid',
  family: 'schema',
  summary: 'an event main sent does not match the documented payload schema',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: listeners receive a payload outside the contract',
  check: ({ pack, obs }) => {
    const out: (Finding & { channel?: string })[] = [];
    const reported = new Set<string>();
    for (const o of obs.main) {
      const ch = o.kind === 'send' && o.channel ? pack.byName.get(o.channel) : undefined;
      if (!ch || ch.kind !== 'event' || !ch.payload || reported.has(ch.name)) continue;
      const issues = issuesOf(pack, ch.payload, (o.args ?? [])[0]);
      if (!issues.length) continue;
      reported.add(ch.name);
      out.push({ channel: ch.name, location: 'payload', message: `event payload outside its schema: ${issues.slice(0, 3).join('; ')}` });
    }
    return out;
  },
};

export const returnInvalid: DriftRule = {
  id: 'drift-return-invalid',
  family: 'schema',
  summary: 'a handler answered a call (made by the app itself at start-up) with a value outside the documented return schema',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: callers receive a result outside the contract',
  check: ({ pack, obs }) => {
    const callChannel = new Map<number, string>();
    const out: (Finding & { channel?: string })[] = [];
    const reported = new Set<string>();
    for (const o of obs.main) {
      if (o.kind === 'handler-call' && o.channel && o.callId !== undefined) callChannel.set(o.callId, o.channel);
      if (o.kind !== 'handler-settle' || !o.ok || o.callId === undefined) continue;
      const ch = pack.byName.get(callChannel.get(o.callId) ?? o.channel ?? '');
      if (!ch || ch.kind !== 'invoke' || reported.has(ch.name)) continue;
      const issues = ch.returnsVoid
        ? codec.decodeValue(o.value) === undefined ? [] : ['(root) must be undefined (returns: void)']
        : ch.returns ? issuesOf(pack, ch.returns, o.value) : [];
      if (!issues.length) continue;
      reported.add(ch.name);
      out.push({ channel: ch.name, location: 'returns', message: `returned value outside its schema: ${issues.slice(0, 3).join('; ')}` });
    }
    return out;
  },
};

export const argsInvalid: DriftRule = {
  id: 'drift-args-invalid',
  family: 'schema',
  summary: 'the app itself called a channel with arguments outside the documented params',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: the app sends arguments main is not required to accept',
  check: ({ pack, obs }) => {
    const out: (Finding & { channel?: string })[] = [];
    const reported = new Set<string>();
    for (const o of obs.main) {
      const ch = (o.kind === 'handler-call' || o.kind === 'listener-call') && o.channel ? pack.byName.get(o.channel) : undefined;
      if (!ch || !callable(ch) || reported.has(ch.name)) continue;
      const args = [...(o.args ?? [])];
      while (args.length && codec.decodeValue(args[args.length - 1]) === undefined) args.pop();
      const issues = issuesOf(pack, ch.args, args);
      if (!issues.length) continue;
      reported.add(ch.name);
      out.push({ channel: ch.name, location: 'params', message: `called with arguments outside its params: ${issues.slice(0, 3).join('; ')}` });
    }
    return out;
  },
};

export const missingBridge: DriftRule = {
  id: 'drift-missing-bridge',
  family: 'channel',
  summary: 'a documented bridge method is not a function in the renderer',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: code calling the documented bridge path gets undefined',
  check: ({ pack, obs }) => {
    if (!obs.bridge) return [];
    const have = new Set(obs.bridge);
    return pack.channels.filter((c) => c.bridge && !have.has(c.bridge)).map((c) => ({ channel: c.name, location: 'bridge', message: `bridge method ${c.bridge} is missing in the renderer` }));
  },
};

export const undocumentedBridge: DriftRule = {
  id: 'drift-undocumented-bridge',
  family: 'channel',
  summary: 'the preload exposes a function the pack does not list',
  severity: 'warning',
  who: 'renderer',
  what: 'renderer: pages can reach a method no contract describes',
  check: ({ pack, obs }) => {
    if (!obs.bridge) return [];
    const documented = new Set(pack.channels.map((c) => c.bridge).filter((b): b is string => !!b));
    return obs.bridge.filter((b) => !documented.has(b)).map((b) => ({ location: 'bridge', message: `the renderer has ${b}, which the pack does not list` }));
  },
};

export const DRIFT_RULES: DriftRule[] = [missingHandler, handlerKindMismatch, undocumentedHandler, undocumentedSend, payloadInvalid, returnInvalid, argsInvalid, missingBridge, undocumentedBridge];

export function driftReport(pack: Pack, obs: DriftObservations, app: string): DiffReport {
  const ctx: DriftContext = { pack, obs, registered: registrations(obs.main) };
  const changes: Change[] = [];
  for (const rule of DRIFT_RULES) {
    for (const f of rule.check(ctx)) {
      const c: Change = { rule: rule.id, severity: f.severity ?? rule.severity, channel: f.channel, location: f.location, message: f.message, breaks: { who: f.who ?? rule.who, what: f.what ?? rule.what } };
      for (const k of Object.keys(c) as (keyof Change)[]) if (c[k] === undefined) delete c[k];
      changes.push(c);
    }
  }
  changes.sort(compareChanges);
  const summary: Record<Severity, number> = { breaking: 0, warning: 0, info: 0 };
  for (const c of changes) summary[c.severity]++;
  return { format: 'conform-drift/1', old: { pack: pack.name, source: pack.dir }, new: { pack: pack.name, source: app }, summary, changes };
}
