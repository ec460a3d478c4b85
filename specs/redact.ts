// Secret redaction shared by everything that writes data out (cassettes, reports, logs).
// A field is secret when the contract marks it `x-secret: true`, or when its name looks like a
// credential (password, token, apiKey, secret, privateKey, ...). Redacted values become one
// marker string, so replay can treat them as wildcards and nothing of the secret survives.
import type { JsonSchema, SchemaStore } from './model.ts';

export const REDACTED = '[REDACTED]';

/** Property names that hold credentials by convention. Matched against the whole name. */
export const DEFAULT_SECRET_NAME =
  /^(.*[-_]?)?(pass(word|wd|phrase)?|token|access[-_]?token|refresh[-_]?token|api[-_]?key|secret|client[-_]?secret|private[-_]?key|authorization|credentials?|cookie)$/i;

export function isSecretName(name: string): boolean {
  return DEFAULT_SECRET_NAME.test(name);
}

interface SchemaContext {
  schema: JsonSchema;
  base: string;
  store: SchemaStore;
}

/** Follow `$ref`s (depth-limited) so annotations behind a reference are seen. */
function deref(ctx: SchemaContext, depth = 0): SchemaContext {
  const s = ctx.schema;
  if (depth > 16 || typeof s !== 'object' || s === null || typeof s.$ref !== 'string') return ctx;
  const node = ctx.store.resolve(s.$ref, ctx.base);
  return deref({ schema: node.schema, base: node.uri, store: ctx.store }, depth + 1);
}

function schemaIsSecret(ctx: SchemaContext | undefined): boolean {
  if (!ctx) return false;
  const s = deref(ctx).schema;
  return typeof s === 'object' && s !== null && s['x-secret'] === true;
}

/** The sub-schema for property `key` or array index `index`, looking through allOf/anyOf/oneOf. */
function childSchema(ctx: SchemaContext | undefined, key: string | number): SchemaContext | undefined {
  if (!ctx) return undefined;
  const here = deref(ctx);
  const s = here.schema;
  if (typeof s !== 'object' || s === null) return undefined;
  const at = (schema: unknown): SchemaContext | undefined =>
    schema === undefined ? undefined : { schema: schema as JsonSchema, base: here.base, store: here.store };
  if (typeof key === 'number') {
    const prefix = s.prefixItems as unknown[] | undefined;
    if (prefix && key < prefix.length) return at(prefix[key]);
    if (s.items !== undefined) return at(s.items);
  } else {
    const props = s.properties as Record<string, unknown> | undefined;
    if (props && key in props) return at(props[key]);
  }
  for (const combo of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[combo] as unknown[] | undefined;
    for (const branch of list ?? []) {
      const found = childSchema(at(branch), key);
      if (found && schemaIsSecret(found)) return found;
    }
  }
  return undefined;
}

/**
 * A deep copy of `value` with secrets replaced by REDACTED. With a schema (and its store) the
 * contract's `x-secret` marks are honoured; credential-like property names always are.
 */
export function redactSecrets(
  value: unknown,
  schema?: { schema: JsonSchema; uri: string; store: SchemaStore },
): unknown {
  const root = schema ? { schema: schema.schema, base: schema.uri, store: schema.store } : undefined;
  const seen = new WeakMap<object, unknown>();
  const walk = (v: unknown, ctx: SchemaContext | undefined): unknown => {
    if (schemaIsSecret(ctx)) return REDACTED;
    if (typeof v !== 'object' || v === null) return v;
    if (seen.has(v)) return seen.get(v);
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      v.forEach((item, i) => out.push(walk(item, childSchema(ctx, i))));
      return out;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, item] of Object.entries(v)) {
      out[k] = isSecretName(k) && item !== null && item !== undefined && item !== '' ? REDACTED : walk(item, childSchema(ctx, k));
    }
    return out;
  };
  return walk(value, root);
}

/** Redact secret-looking `key=value` / `key: value` pairs and bearer tokens in free text (logs, stderr). */
export function redactText(text: string): string {
  return text
    .replace(/\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`)
    .replace(
      /(["']?)([A-Za-z0-9_-]*(?:password|passwd|token|api[-_]?key|secret|private[-_]?key))\1(\s*[:=]\s*)(["']?)([^"'\s,;}]+)\4/gi,
      (_m, q, key, sep, vq) => `${q}${key}${q}${sep}${vq}${REDACTED}${vq}`,
    );
}
