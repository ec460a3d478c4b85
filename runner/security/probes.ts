// Security probes generated from the contract's annotations: `x-guard` (pathUnder, schemes, hosts,
// maxBytes) and `x-secret`. A probe is one hostile (or canary) value plugged into otherwise valid
// args (built by the value generator), labelled with its family and variant, plus what must NOT
// happen afterwards (files that must not exist, secrets that must not come back). Pure: the host
// paths a path probe needs (the guard root, a folder outside it, a symlink out of it) come in
// through `ProbeEnv`, set up by the driver (runner/security/driver.ts) or by a test.
import { join, resolve, sep } from 'node:path';
import { generateValid } from '../../specs/generate.ts';
import type { Channel, Guard, Pack, SchemaStore } from '../../specs/model.ts';
import { annotatedParams, type AnnotatedParam, type ArgPath } from '../../specs/annotations.ts';

// The annotation lookup is the contract's (specs/annotations.ts): the mock honours guards too.
export { annotatedParams, type AnnotatedParam, type ArgPath } from '../../specs/annotations.ts';

export type ProbeFamily = 'path' | 'url' | 'size' | 'secret';

export interface Probe {
  /** Unique within a run: `<channel>#<family>/<variant>@<label>`. */
  id: string;
  family: ProbeFamily;
  variant: string;
  channel: string;
  param: string;
  /** The full args for the bridge method (valid args with the probe value at `path`). */
  args: unknown[];
  value: unknown;
  guard?: Guard;
  /**
   * The call must be refused (documented error shape or failure branch). False for variants whose
   * literal meaning stays inside the root on this OS (encoded separators, backslashes on POSIX)
   * and for secret canaries (valid calls): there only the side effects are judged.
   */
  mustRefuse: boolean;
  /** path: absolute host paths that must not exist after the call (a write outside the root). */
  targets?: string[];
  /** secret: values that must not come back in returns, events or logs. */
  canaries?: string[];
}

/** Host facts a path probe needs. `roots` maps a guard root name (userData, temp...) to its real path. */
export interface ProbeEnv {
  roots: Record<string, string>;
  /** An empty folder outside every root: where escaping writes would land. */
  outsideDir: string;
  /** Name of a symlink inside each root that points at `outsideDir` (created by the driver). */
  linkName: string;
  /** Distinguishes this run's files and canaries. */
  nonce: string;
}

// ---------------------------------------------------------------- args

function setAt(args: unknown[], path: ArgPath, value: unknown): unknown[] {
  const copy = structuredClone(args);
  let cur: Record<string | number, unknown> = copy as unknown as Record<number, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k] as Record<string | number, unknown>;
  }
  cur[path[path.length - 1]!] = value;
  return copy;
}

/** One valid args tuple for the channel (the first generated value: the documented example when there is one). */
export function baseArgs(ch: Channel, store: SchemaStore, seed: number): unknown[] {
  const [v] = generateValid(ch.args, store, { seed, count: 1 });
  return Array.isArray(v) ? v : [];
}

// ---------------------------------------------------------------- variants

interface Variant {
  variant: string;
  value: unknown;
  mustRefuse: boolean;
  targets?: string[];
}

/** `..` segments enough to climb from `dir` to `/`. */
const climb = (dir: string, segment = '../') => segment.repeat(resolve(dir).split(sep).filter(Boolean).length + 2);

export function pathVariants(root: string, env: ProbeEnv): Variant[] {
  const R = resolve(root);
  const O = resolve(env.outsideDir);
  const n = env.nonce;
  const rel = O.slice(1); // O without its leading '/'
  const up = climb(R);
  const vs: Variant[] = [
    // Relative paths are resolved against the root by most guards: one level up leaves it.
    { variant: 'dotdot-relative', value: `../conform-probe-${n}.txt`, mustRefuse: true, targets: [resolve(R, `../conform-probe-${n}.txt`)] },
    { variant: 'dotdot-deep', value: `${up}${rel}/dotdot-deep.txt`, mustRefuse: true, targets: [join(O, 'dotdot-deep.txt')] },
    { variant: 'absolute-outside', value: join(O, 'absolute.txt'), mustRefuse: true, targets: [join(O, 'absolute.txt')] },
    // Starts with the root as a string, resolves outside it (defeats startsWith(root) guards).
    { variant: 'root-prefix-dotdot', value: `${R}/${up}${rel}/root-prefix.txt`, mustRefuse: true, targets: [join(O, 'root-prefix.txt')] },
    { variant: 'sibling-prefix', value: `${R}-conform-${n}/sibling.txt`, mustRefuse: true, targets: [`${R}-conform-${n}/sibling.txt`] },
    // A symlink inside the root pointing out of it (the driver creates it): the real target is outside.
    { variant: 'symlink-escape', value: join(R, env.linkName, 'symlink.txt'), mustRefuse: true, targets: [join(O, 'symlink.txt')] },
    // Encoded separators: harmless file names unless the app decodes them, then they climb out.
    { variant: 'encoded-dotdot-slash', value: `${'%2e%2e%2f'.repeat(up.length / 3)}${rel.split('/').join('%2f')}%2fencoded.txt`, mustRefuse: false, targets: [join(O, 'encoded.txt')] },
    { variant: 'encoded-slash', value: `${'..%2f'.repeat(up.length / 3)}${rel.split('/').join('%2f')}%2fencoded-slash.txt`, mustRefuse: false, targets: [join(O, 'encoded-slash.txt')] },
    { variant: 'backslash-dotdot', value: `${climb(R, '..\\')}${rel.split('/').join('\\')}\\backslash.txt`, mustRefuse: false, targets: [join(O, 'backslash.txt')] },
    // A NUL byte: C-level truncation would write the part before it, outside the root.
    { variant: 'null-byte', value: `${up}${rel}/nul.txt\u0000.md`, mustRefuse: true, targets: [join(O, 'nul.txt')] },
  ];
  return vs;
}

const EXAMPLE_HOST = 'example.com';

export function urlVariants(guard: Guard): Variant[] {
  const schemes = (guard.schemes ?? []).map((s) => s.toLowerCase().replace(/:$/, ''));
  const allowed = (s: string) => schemes.length > 0 && schemes.includes(s);
  const okScheme = schemes[0] ?? 'https';
  const vs: Variant[] = [];
  const add = (variant: string, value: string, scheme: string) => {
    if (!allowed(scheme)) vs.push({ variant, value, mustRefuse: true });
  };
  if (schemes.length) {
    add('javascript', 'javascript:alert(document.domain)', 'javascript');
    add('javascript-mixed-case', 'JaVaScRiPt:alert(document.domain)', 'javascript');
    add('javascript-whitespace', ' \tjavascript:alert(document.domain)', 'javascript');
    // Contains an allowed scheme's name: defeats includes('http') / indexOf tests.
    add('javascript-embedded-scheme', `javascript://${okScheme}://${EXAMPLE_HOST}/%0aalert(document.domain)`, 'javascript');
    add('file', 'file:///etc/passwd', 'file');
    add('file-embedded-scheme', `file:///tmp/${okScheme}-conform-probe.html`, 'file');
    add('data', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'data');
    add('custom-scheme', 'conform-probe://open?target=x', 'conform-probe');
  }
  const hosts = guard.hosts ?? [];
  if (hosts.length) {
    const trusted = hosts[0]!.replace(/^\*\./, '');
    const mixed = okScheme.split('').map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
    vs.push(
      { variant: 'other-host', value: `${okScheme}://evil.example/`, mustRefuse: true },
      { variant: 'userinfo-trick', value: `${okScheme}://${trusted}@evil.example/`, mustRefuse: true },
      { variant: 'host-suffix', value: `${okScheme}://${trusted}.evil.example/`, mustRefuse: true },
      { variant: 'host-in-path', value: `${okScheme}://evil.example/${trusted}`, mustRefuse: true },
      { variant: 'mixed-case-scheme-other-host', value: `${mixed}://evil.example/`, mustRefuse: true },
      { variant: 'whitespace-other-host', value: ` ${okScheme}://evil.example/`, mustRefuse: true },
    );
  }
  return vs;
}

/** Payloads just over, and well over, the limit (capped at 8 MiB so a probe stays cheap). */
export function sizeVariants(maxBytes: number): Variant[] {
  const cap = 8 * 1024 * 1024;
  return [
    { variant: 'one-byte-over', value: 'x'.repeat(Math.min(maxBytes + 1, cap)), mustRefuse: maxBytes + 1 <= cap },
    { variant: 'four-times-over', value: 'x'.repeat(Math.min(maxBytes * 4 + 1, cap)), mustRefuse: maxBytes + 1 <= cap },
  ];
}

/** A recognizable canary that still satisfies the param's schema (else the generator's own valid value). */
export function secretCanary(p: AnnotatedParam, store: SchemaStore, env: Pick<ProbeEnv, 'nonce'>, index: number, seed: number): string | undefined {
  const canary = `conform-canary-${env.nonce}-${index}-Zq9`;
  if (store.validate(p.schema, canary).valid) return canary;
  for (const v of generateValid(p.schema, store, { seed, count: 3 })) {
    if (typeof v === 'string' && v.length >= 6) return v;
  }
  return undefined;
}

/** Guard root name -> the path a guard means (names the format knows; others must be given in env.roots). */
export const ROOT_NAMES = ['userData', 'temp', 'downloads', 'home', 'appData', 'documents', 'desktop'];

export interface ChannelProbes {
  channel: string;
  probes: Probe[];
  /** Annotated params the channel has but could not be probed, with why. */
  skipped: { param: string; reason: string; families: ProbeFamily[] }[];
}

/** The probe families an annotated param gets. */
export function familiesOf(p: AnnotatedParam): ProbeFamily[] {
  const f: ProbeFamily[] = [];
  if (p.guard?.pathUnder) f.push('path');
  if (p.guard?.schemes?.length || p.guard?.hosts?.length) f.push('url');
  if (p.guard?.maxBytes !== undefined) f.push('size');
  if (p.secret) f.push('secret');
  return f;
}

/** Every probe for one channel. Channels with prerequisites or marked destructive get none (said in `skipped`). */
export function buildProbes(pack: Pack, ch: Channel, env: ProbeEnv, seed: number): ChannelProbes {
  const out: ChannelProbes = { channel: ch.name, probes: [], skipped: [] };
  const params = annotatedParams(ch, pack.schemas);
  if (!params.length) return out;
  const why = !ch.bridge ? 'the channel has no bridge method'
    : ch.kind !== 'invoke' && ch.kind !== 'send' ? `kind ${ch.kind} is not called with params`
    : ch.destructive ? `destructive: ${ch.destructive}`
    : ch.prerequisites.length ? 'the channel needs prerequisites (stateful): probed by hand-written suites only'
    : null;
  if (why) {
    for (const p of params) out.skipped.push({ param: p.label, reason: why, families: familiesOf(p) });
    return out;
  }
  let args: unknown[];
  try {
    args = baseArgs(ch, pack.schemas, seed);
  } catch (e) {
    for (const p of params) out.skipped.push({ param: p.label, reason: `no valid args: ${(e as Error).message}`, families: familiesOf(p) });
    return out;
  }
  params.forEach((p, pi) => {
    const push = (family: ProbeFamily, v: Variant, extra: Partial<Probe> = {}) =>
      out.probes.push({
        id: `${ch.name}#${family}/${v.variant}@${p.label}`, family, variant: v.variant, channel: ch.name, param: p.label,
        args: setAt(args, p.path, v.value), value: v.value, guard: p.guard, mustRefuse: v.mustRefuse, targets: v.targets, ...extra,
      });
    const g = p.guard;
    if (g?.pathUnder) {
      const root = env.roots[g.pathUnder];
      if (!root) out.skipped.push({ param: p.label, reason: `guard root ${g.pathUnder} is not known on this host`, families: ['path'] });
      else for (const v of pathVariants(root, env)) push('path', v);
    }
    if (g?.schemes?.length || g?.hosts?.length) for (const v of urlVariants(g)) push('url', v);
    if (g?.maxBytes !== undefined) for (const v of sizeVariants(g.maxBytes)) push('size', v);
    if (p.secret) {
      const canary = secretCanary(p, pack.schemas, env, pi, seed);
      if (canary === undefined) out.skipped.push({ param: p.label, reason: 'no string value satisfies the secret param schema', families: ['secret'] });
      else push('secret', { variant: 'canary', value: canary, mustRefuse: false }, { canaries: [canary] });
    }
  });
  return out;
}
