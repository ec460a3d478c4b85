// What the contract's security annotations mean, for everyone who reads them: the verification's
// probes and checks (runner/security) and the mock, which refuses under --strict-params what a
// guard refuses. `x-guard` and `x-secret` sit on any (nested) schema node (specs/model.ts, Guard).
import type { Channel, Guard, JsonSchema, SchemaNode, SchemaStore } from './model.ts';
import { isSecretName } from './redact.ts';

/** Where in the args a guarded or secret value sits: positional index, then property names. */
export type ArgPath = (string | number)[];

export interface AnnotatedParam {
  path: ArgPath;
  /** Readable name, e.g. `filePath` or `request.password`. */
  label: string;
  guard?: Guard;
  secret: boolean;
  schema: SchemaNode;
}

/** A schema and the URI it lives at (a JSON pointer into its file), so the store can validate against it. */
interface Ctx {
  schema: JsonSchema;
  uri: string;
}

const child = (uri: string, ...segs: (string | number)[]) =>
  `${uri}${uri.includes('#') ? '' : '#'}${segs.map((s) => `/${encodeURIComponent(String(s).replace(/~/g, '~0').replace(/\//g, '~1'))}`).join('')}`;

function deref(store: SchemaStore, ctx: Ctx, depth = 0): Ctx {
  const s = ctx.schema;
  if (depth > 16 || typeof s !== 'object' || s === null || typeof s.$ref !== 'string') return ctx;
  const node = store.resolve(s.$ref, ctx.uri);
  return deref(store, { schema: node.schema, uri: node.uri }, depth + 1);
}

/** The schema's own keywords merged with those of its `allOf` conjuncts (after $ref). */
function annotationsOf(store: SchemaStore, ctx: Ctx, depth = 0): { guard?: Guard; secret: boolean; props: [string, Ctx][] } {
  const here = deref(store, ctx);
  const s = here.schema;
  const out: { guard?: Guard; secret: boolean; props: [string, Ctx][] } = { secret: false, props: [] };
  if (typeof s !== 'object' || s === null || depth > 6) return out;
  if (s['x-secret'] === true) out.secret = true;
  if (s['x-guard'] && typeof s['x-guard'] === 'object') out.guard = { ...(s['x-guard'] as Guard) };
  const props = s.properties as Record<string, JsonSchema> | undefined;
  for (const [k, v] of Object.entries(props ?? {})) out.props.push([k, { schema: v, uri: child(here.uri, 'properties', k) }]);
  for (const [i, c] of ((s.allOf as JsonSchema[] | undefined) ?? []).entries()) {
    const sub = annotationsOf(store, { schema: c, uri: child(here.uri, 'allOf', i) }, depth + 1);
    out.secret ||= sub.secret;
    if (sub.guard) out.guard = { ...sub.guard, ...out.guard };
    out.props.push(...sub.props);
  }
  return out;
}

/**
 * Params (and properties of object params, two levels deep) that carry `x-guard` or `x-secret`,
 * or whose name says credential (password, token, apiKey...). Positional (Electron) channels only.
 */
export function annotatedParams(ch: Channel, store: SchemaStore): AnnotatedParam[] {
  if (ch.params.style !== 'positional') return [];
  const out: AnnotatedParam[] = [];
  const walk = (ctx: Ctx, path: ArgPath, label: string, name: string, depth: number) => {
    const a = annotationsOf(store, ctx);
    const secret = a.secret || isSecretName(name);
    if (a.guard || secret) {
      const at = deref(store, ctx);
      out.push({ path, label, guard: a.guard, secret, schema: { uri: at.uri, schema: at.schema } });
    }
    if (depth < 2) for (const [k, sub] of a.props) walk(sub, [...path, k], `${label}.${k}`, k, depth + 1);
  };
  ch.params.list.forEach((p, i) => walk({ schema: p.schema.schema, uri: p.schema.uri }, [i], p.name, p.name, 0));
  return out;
}

// ---------------------------------------------------------------- URL guards

const DANGEROUS_SCHEMES = new Set(['javascript', 'file', 'data', 'vbscript']);

/** Why an opened URL breaks the guard, or null. */
export function urlViolation(url: string, guard: Guard): { why: string; risk: 'critical' | 'high' } | null {
  const t = url.trim();
  let scheme = (/^([a-z][a-z0-9+.-]*):/i.exec(t)?.[1] ?? '').toLowerCase();
  let host = '';
  try {
    const u = new URL(t);
    scheme = u.protocol.replace(/:$/, '').toLowerCase();
    host = u.hostname.toLowerCase();
  } catch {
    /* not parseable: judge the scheme text */
  }
  const schemes = (guard.schemes ?? []).map((s) => s.toLowerCase().replace(/:$/, ''));
  if (schemes.length && !schemes.includes(scheme)) {
    return { why: `scheme ${scheme || '(none)'} is not in [${schemes.join(', ')}]`, risk: DANGEROUS_SCHEMES.has(scheme) || !scheme ? 'critical' : 'high' };
  }
  const hosts = (guard.hosts ?? []).map((h) => h.toLowerCase());
  if (hosts.length && !hosts.some((h) => (h.startsWith('*.') ? host.endsWith(h.slice(1)) : host === h))) {
    return { why: `host ${host || '(none)'} is not in [${hosts.join(', ')}]`, risk: 'high' };
  }
  return null;
}

/**
 * Why a value breaks its guard's schemes, hosts or maxBytes, or null. `pathUnder` is not judged
 * here: it needs the app's real root folders (the security driver knows them, a mock does not).
 */
export function guardViolation(value: unknown, guard: Guard): string | null {
  if (typeof value !== 'string') return null;
  if (guard.maxBytes !== undefined && Buffer.byteLength(value) > guard.maxBytes) return `${Buffer.byteLength(value)} bytes, over maxBytes ${guard.maxBytes}`;
  return guard.schemes || guard.hosts ? (urlViolation(value, guard)?.why ?? null) : null;
}
