// Security checks: judges only. They read what runner/security/driver.ts observed (obs.security) and
// the contract; every failed result carries a risk (how bad) besides its severity (contract violation or not). Registered in the one catalog
// (runner/checks/catalog.ts) through SECURITY_CHECKS.
import type { Channel, Pack } from '../../specs/model.ts';
import { REDACTED } from '../../specs/redact.ts';
import type { CheckContext, CheckDefinition, CheckResult } from '../checks/types.ts';
import { brief, containsText, decode } from '../checks/values.ts';
import { annotatedParams, urlViolation } from '../../specs/annotations.ts';
import type { ProbeFamily } from './probes.ts';
import { sameDocument, type ProbeGroupObservation, type ProbeObservation, type SecurityObservations, type Risk } from './observations.ts';

const RANK: Record<Risk, number> = { critical: 4, high: 3, medium: 2, low: 1 };
const worst = (s: Risk[]): Risk => s.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'low');

/** Risk of failed results of catalog checks that are security findings but not defined here. */
export const DEFAULT_RISK: Record<string, Risk> = { 'window.posture': 'high' };

/** Guards, secrets and `window.csp` are contract statements: a finding violates the contract. */
const STATED = { default: 'error', rule: 'error: the guard, secret or `window.csp` is stated in the pack (warning for a guard in an `x-assumed` schema)' } as const;
/** Navigation, window.open and generic bridges are hardening the pack does not state. */
const UNSTATED = { default: 'warning', rule: 'warning: hardening the pack does not state (risk says how bad)' } as const;

export function securityOf(ctx: CheckContext): SecurityObservations | undefined {
  return (ctx.obs as { security?: SecurityObservations }).security;
}

function res(id: string, channel: string | null, status: CheckResult['status'], message: string, extra: Partial<CheckResult> = {}): CheckResult {
  return { id, channel, status, message, ...extra };
}

// ---------------------------------------------------------------- refusal

const PREFIX = (ch: string) => `Error invoking remote method '${ch}': `;

export interface Refusal {
  refused: boolean;
  /** The refusal has the documented shape (rejection vs result-union failure branch). */
  shapeOk: boolean;
  how: string;
}

/**
 * Was the call refused, and in the documented way? A rejection (for `rejection` contracts), the
 * failure branch (for `result-union`), or `false` from a channel whose return is a boolean
 * (documents like cosmosh's open-external-url say "resolves false or rejects").
 */
export function refusalOf(pack: Pack, ch: Channel, o: ProbeObservation): Refusal {
  const c = o.call;
  if (c.outcome === 'rejected') {
    const msg = c.error?.message ?? '';
    if (ch.errors.style === 'result-union') return { refused: true, shapeOk: false, how: `rejected (${brief(msg, 80)}) where the contract documents a result union` };
    if (ch.errors.style === 'rejection' && c.error?.isError === false) return { refused: true, shapeOk: false, how: `rejected with a non-Error value (${brief(c.error.string, 80)})` };
    return { refused: true, shapeOk: true, how: msg.startsWith(PREFIX(ch.name)) ? 'rejected by main' : 'rejected before main' };
  }
  if (c.outcome === 'resolved') {
    const v = decode(c.value);
    if (ch.errors.style === 'result-union') {
      const fits = pack.schemas.validate(ch.errors.error, v).valid;
      const disc = ch.errors.discriminator;
      const discOk = !disc || (v !== null && typeof v === 'object' && Object.entries(disc).every(([k, x]) => (v as Record<string, unknown>)[k] === x));
      if (fits && discOk) return { refused: true, shapeOk: true, how: 'resolved with the failure branch' };
    }
    const rs = ch.returns?.schema;
    if (v === false && rs && typeof rs === 'object' && rs.type === 'boolean') return { refused: true, shapeOk: true, how: 'resolved false' };
    return { refused: false, shapeOk: true, how: `resolved ${brief(c.value, 80)}` };
  }
  return { refused: false, shapeOk: true, how: c.outcome === 'timeout' ? 'did not settle (timeout)' : c.outcome };
}

// ---------------------------------------------------------------- per-channel guard checks

interface Finding {
  risk: Risk;
  text: string;
  variant?: string;
}

/** The `x-assumed` note on a guarded param of the channel: the guard is the pack's, not the document's. */
function assumedGuard(ctx: CheckContext, ch: Channel): string | undefined {
  for (const a of annotatedParams(ch, ctx.pack.schemas)) {
    const s = a.schema.schema;
    if (a.guard && s && typeof s === 'object' && typeof s['x-assumed'] === 'string') return s['x-assumed'];
  }
  return undefined;
}

function guardCheck(id: string, family: ProbeFamily, title: string, extra: (g: ProbeGroupObservation, ch: Channel, ctx: CheckContext) => Finding[]): CheckDefinition {
  return {
    id,
    title,
    scope: 'channel',
    severity: STATED,
    run(ctx) {
      const sec = securityOf(ctx);
      if (!sec) return [];
      const out: CheckResult[] = [];
      const channels = new Set([...sec.groups.filter((g) => g.probes.some((p) => p.probe.family === family)).map((g) => g.channel)]);
      for (const s of sec.skipped) if (s.families.includes(family)) channels.add(s.channel);
      for (const name of channels) {
        const ch = ctx.pack.byName.get(name);
        const g = sec.groups.find((x) => x.channel === name);
        if (!ch) continue;
        if (!g || g.skipped) {
          const why = g?.skipped ?? sec.skipped.filter((s) => s.channel === name && s.families.includes(family)).map((s) => `${s.param}: ${s.reason}`).join('; ');
          out.push(res(id, name, 'skipped', `not probed: ${why}`));
          continue;
        }
        const probes = g.probes.filter((p) => p.probe.family === family);
        const findings: Finding[] = [];
        for (const p of probes) {
          if (p.call.outcome === 'no-bridge' || p.call.outcome === 'skipped') continue;
          const r = refusalOf(ctx.pack, ch, p);
          if (p.probe.mustRefuse && !r.refused) findings.push({ risk: 'medium', variant: p.probe.variant, text: `${p.probe.variant} (${p.probe.param}) was not refused: ${r.how}` });
          else if (p.probe.mustRefuse && !r.shapeOk) findings.push({ risk: 'low', variant: p.probe.variant, text: `${p.probe.variant} was refused in an undocumented shape: ${r.how}` });
        }
        findings.push(...extra(g, ch, ctx));
        for (const f of findings) f.text = namedPaths(f.text, securityOf(ctx));
        const ran = probes.filter((p) => p.call.outcome !== 'no-bridge' && p.call.outcome !== 'skipped');
        if (ran.length === 0) {
          out.push(res(id, name, 'skipped', `no ${family} probe could be made (${probes[0]?.call.note ?? probes[0]?.call.outcome ?? 'none generated'})`));
          continue;
        }
        if (findings.length) {
          const risk = worst(findings.map((f) => f.risk));
          const sorted = [...findings].sort((a, b) => RANK[b.risk] - RANK[a.risk]);
          // A guard the pack added (x-assumed) is a warning naming the assumption, whatever the risk.
          const note = assumedGuard(ctx, ch);
          out.push(res(id, name, 'failed', `${sorted.slice(0, 4).map((f) => f.text).join('; ')}${sorted.length > 4 ? `; and ${sorted.length - 4} more` : ''}${note ? ` (pack assumed: ${note})` : ''}`, {
            risk, ...(note ? { severity: 'warning' as const, assumption: note } : {}),
            expected: 'every probe refused in the documented error shape, no side effect',
            actual: sorted.map((f) => `[${f.risk}] ${f.text}`),
          }));
        } else {
          out.push(res(id, name, 'passed', `${ran.length} ${family} probe(s) refused, no side effect observed (${[...new Set(ran.map((p) => p.probe.variant))].join(', ')})`));
        }
      }
      return out;
    },
  };
}

/** A host path with this run's temp folders named (`<outside>/x`, `<userData>-conform-s1/y`): same report per seed. */
export function shownPath(p: string, sec: SecurityObservations | undefined): string {
  if (!sec?.paths) return p;
  const named: [string, string][] = [[sec.paths.outsideDir, '<outside>'], ...Object.entries(sec.paths.roots).map(([k, v]): [string, string] => [v, `<${k}>`])];
  named.sort((a, b) => b[0].length - a[0].length);
  for (const [dir, name] of named) if (dir && p.startsWith(dir)) return name + p.slice(dir.length);
  return p;
}

/** Every occurrence of this run's temp folders in a text, named (also without the leading '/', as `..` climbs print them). */
export function namedPaths(text: string, sec: SecurityObservations | undefined): string {
  if (!sec?.paths) return text;
  // Only the roots a path probe used: naming every known root would rewrite '/tmp' everywhere.
  const used = new Set(sec.groups.flatMap((g) => g.probes.map((p) => p.probe.guard?.pathUnder)).filter((x): x is string => !!x));
  const out = sec.paths.outsideDir;
  const all: [string, string][] = [
    [out, '<outside>'], [out.slice(1), 'outside'],
    ...Object.entries(sec.paths.roots).filter(([k, v]) => used.has(k) && v.length > 1).map(([k, v]): [string, string] => [v, `<${k}>`]),
  ].filter(([dir]) => dir.length > 1) as [string, string][];
  all.sort((a, b) => b[0].length - a[0].length);
  return all.reduce((t, [dir, name]) => t.split(dir).join(name), text);
}

const pathGuard = guardCheck('security.path-guard', 'path', 'Path params guarded by `x-guard: { pathUnder }` refuse traversal (.., absolute, symlink out of the root, encoded separators, NUL) and no file appears outside the root (checked on disk).', (g, _ch, ctx) => {
  const sec = securityOf(ctx);
  const f: Finding[] = [];
  for (const p of g.probes) {
    if (p.probe.family !== 'path') continue;
    for (const w of p.written) f.push({ risk: 'critical', variant: p.probe.variant, text: `${p.probe.variant} wrote ${shownPath(w, sec)} outside the ${p.probe.guard?.pathUnder} root` });
  }
  const named = new Set(g.probes.flatMap((p) => p.written));
  for (const w of g.outsideWrites) if (!named.has(w)) f.push({ risk: 'critical', text: `a file appeared outside the root: ${shownPath(w, sec)}` });
  return f;
});

const urlGuard = guardCheck('security.url-guard', 'url', 'URL params guarded by `x-guard: { schemes | hosts }` refuse javascript:, file:, data:, custom schemes, other hosts and userinfo tricks, and main opens no such URL (shell.openExternal observed).', (g) => {
  const guard = g.probes.find((p) => p.probe.family === 'url')?.probe.guard ?? {};
  const f: Finding[] = [];
  for (const o of g.opened) {
    const v = urlViolation(o.url, guard);
    if (v) f.push({ risk: v.risk, text: `main passed ${brief(o.url, 100)} to shell.${o.api} (${v.why})` });
  }
  return f;
});

const sizeGuard = guardCheck('security.size-guard', 'size', 'Params guarded by `x-guard: { maxBytes }` refuse oversize payloads and the app survives them.', (g) =>
  g.mainAlive ? [] : [{ risk: 'high', text: 'main stopped answering after the oversize payloads' }],
);

// ---------------------------------------------------------------- secret echo

const secretEcho: CheckDefinition = {
  id: 'security.secret-echo',
  title: 'Secrets given as params (`x-secret` or credential names) do not come back in returns, events or main\'s stdout/stderr.',
  scope: 'channel',
  severity: STATED,
  run(ctx) {
    const sec = securityOf(ctx);
    if (!sec) return [];
    const out: CheckResult[] = [];
    for (const g of sec.groups) {
      const probes = g.probes.filter((p) => p.probe.family === 'secret' && p.call.outcome !== 'no-bridge' && p.call.outcome !== 'skipped');
      if (!probes.length) continue;
      const f: Finding[] = [];
      for (const p of probes) {
        for (const canary of p.probe.canaries ?? []) {
          if (containsText(p.call.value, canary)) f.push({ risk: 'high', text: `the secret ${p.probe.param} came back in the call's result` });
          if (p.call.error && (p.call.error.message.includes(canary) || p.call.error.string.includes(canary))) f.push({ risk: 'high', text: `the secret ${p.probe.param} came back in the rejection message` });
          const ev = g.events.find((e) => containsText(e.payload, canary));
          if (ev) f.push({ risk: 'high', text: `the secret ${p.probe.param} was sent to the renderer on ${ev.channel}` });
          if (g.logs.includes(canary)) f.push({ risk: 'medium', text: `the secret ${p.probe.param} was written to main's stdout/stderr` });
        }
      }
      out.push(f.length
        ? res('security.secret-echo', g.channel, 'failed', `${f.map((x) => x.text).join('; ')}`, {
          risk: worst(f.map((x) => x.risk)), expected: 'the secret never echoed', actual: f.map((x) => `[${x.risk}] ${x.text} (value ${REDACTED})`),
        })
        : res('security.secret-echo', g.channel, 'passed', `${probes.length} secret param(s) not echoed in result, events or logs`));
    }
    return out;
  },
};

// ---------------------------------------------------------------- run-wide

const genericBridge: CheckDefinition = {
  id: 'security.generic-bridge',
  title: 'The bridge exposes no generic invoke(channel, ...)/send(channel, ...) and no raw ipcRenderer: a channel name outside the pack passed to any non-contract bridge function never reaches main.',
  scope: 'run',
  severity: UNSTATED,
  run(ctx) {
    const b = securityOf(ctx)?.bridge;
    if (!b) {
      const note = securityOf(ctx)?.notes.find((n) => n.startsWith('bridge'));
      return securityOf(ctx) ? [res('security.generic-bridge', null, 'skipped', note ?? 'the bridge probe did not run')] : [];
    }
    const f: Finding[] = [];
    for (const r of b.received) f.push({ risk: 'critical', text: `${r.path}('${b.probeChannel}', ...) reached main (${r.kind}): any channel can be called from the renderer` });
    for (const r of b.rawIpc) f.push({ risk: 'critical', text: `${r} looks like the raw ipcRenderer (invoke/send/on)` });
    if (f.length) {
      return [res('security.generic-bridge', null, 'failed', `${f.map((x) => x.text).join('; ')}`, {
        risk: 'critical', expected: `main receives nothing on ${b.probeChannel}`, actual: { received: b.received, rawIpc: b.rawIpc },
      })];
    }
    return [res('security.generic-bridge', null, 'passed', `${b.candidates.length} non-contract bridge function(s) probed with ${b.probeChannel}; main received nothing`)];
  },
};

const navigation: CheckDefinition = {
  id: 'security.navigation',
  title: 'A renderer-initiated navigation to an external origin is refused (will-navigate): the page stays on the app.',
  scope: 'run',
  severity: UNSTATED,
  run(ctx) {
    const sec = securityOf(ctx);
    if (!sec) return [];
    const n = sec.navigation;
    if (!n) return [res('security.navigation', null, 'skipped', sec.notes.find((x) => x.startsWith('navigation')) ?? 'the navigation probe did not run')];
    const left = !sameDocument(n.urlBefore, n.urlAfter);
    if (left || n.decision === 'allow') {
      return [res('security.navigation', null, 'failed', `location.href = ${n.attempted} was not refused; the page ${left ? `moved to ${n.urlAfter}` : 'was allowed to navigate'}`, {
        risk: 'high', expected: { url: n.urlBefore }, actual: { url: n.urlAfter, decision: n.decision ?? 'not recorded' },
      })];
    }
    return [res('security.navigation', null, 'passed', `navigation to ${n.attempted} refused; the page stayed on ${n.urlBefore}`)];
  },
};

const windowOpen: CheckDefinition = {
  id: 'security.window-open',
  title: 'window.open of an external origin is refused (setWindowOpenHandler): no new window appears.',
  scope: 'run',
  severity: UNSTATED,
  run(ctx) {
    const sec = securityOf(ctx);
    if (!sec) return [];
    const w = sec.windowOpen;
    if (!w) return [res('security.window-open', null, 'skipped', sec.notes.find((x) => x.startsWith('window.open')) ?? 'the window.open probe did not run')];
    if (w.newWindows.length || w.decision === 'allow') {
      return [res('security.window-open', null, 'failed', `window.open(${w.attempted}) was not refused (${w.newWindows.length} new window(s)${w.decision ? `, handler decision ${w.decision}` : ''})`, {
        risk: 'high', expected: 'no new window', actual: { newWindows: w.newWindows, decision: w.decision ?? 'not recorded', returned: w.returned },
      })];
    }
    return [res('security.window-open', null, 'passed', `window.open(${w.attempted}) refused: no new window${w.decision ? ` (handler: ${w.decision})` : ''}`)];
  },
};

const csp: CheckDefinition = {
  id: 'security.csp',
  title: 'A Content-Security-Policy is in force on the page when the pack\'s `window.csp` is true (meta tag, or eval blocked by a header policy).',
  scope: 'run',
  severity: STATED,
  run(ctx) {
    const sec = securityOf(ctx);
    if (!sec || ctx.pack.window?.csp !== true) return [];
    const c = sec.csp;
    if (!c) return [res('security.csp', null, 'skipped', sec.notes.find((x) => x.startsWith('csp')) ?? 'the CSP probe did not run')];
    if (!c.meta.length && !c.evalBlocked) {
      return [res('security.csp', null, 'failed', `no Content-Security-Policy on ${c.url} (no meta tag, eval not blocked), the pack says window.csp: true`, {
        risk: 'medium', expected: 'a CSP', actual: c,
      })];
    }
    return [res('security.csp', null, 'passed', c.meta.length ? `CSP meta: ${brief(c.meta[0], 120)}` : 'a header CSP blocks eval')];
  },
};

export const SECURITY_CHECKS: CheckDefinition[] = [pathGuard, urlGuard, sizeGuard, secretEcho, genericBridge, navigation, windowOpen, csp];

/**
 * The canary secrets the probes sent, replaced by REDACTED wherever they ended up in a report
 * (messages, expected/actual, stderr tails of incidents): a secret the app echoed is reported as a
 * finding, never shown.
 */
export function scrubCanaries<T>(value: T, sec: SecurityObservations | undefined): T {
  const canaries = [...new Set((sec?.groups ?? []).flatMap((g) => g.probes.flatMap((p) => p.probe.canaries ?? [])))].filter((c) => c.length >= 4);
  if (!canaries.length) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return canaries.reduce((s, c) => s.split(c).join(REDACTED), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
