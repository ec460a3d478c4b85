// Secret redaction shared by everything that writes data out (cassettes, reports, logs).
// A field is secret when the contract marks it `x-secret: true`, or when its name looks like a
// credential (specs/secret-names.cjs, the one list). Redacted values become one marker string, so
// replay can treat them as wildcards and nothing of the secret survives. Every secret value seen
// this way is also collected (SecretSet) and scrubbed from all other text written out afterwards
// (rejection messages, stderr tails, cassettes), also in URL-encoded, JSON-escaped and base64 form.
import { createRequire } from 'node:module';
import type { JsonSchema, SchemaNode, SchemaStore } from './model.ts';

const { SECRET_NAME, SECRET_NAME_SUFFIXES } = createRequire(import.meta.url)('./secret-names.cjs') as { SECRET_NAME: RegExp; SECRET_NAME_SUFFIXES: string[] };

export const REDACTED = '[REDACTED]';

/** Property names that hold credentials by convention. Matched against the whole name. */
export const DEFAULT_SECRET_NAME = SECRET_NAME;

export function isSecretName(name: string): boolean {
  return DEFAULT_SECRET_NAME.test(name);
}

/** A value found under a credential-like name is redacted unless it says nothing (empty, a flag). */
function worthRedacting(v: unknown): boolean {
  return v !== null && v !== undefined && v !== '' && typeof v !== 'boolean';
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
  // A loaded pack's schemas do not change: each ($ref, base) resolves once per store (a run
  // redacts every call and observation with them, and resolving dominated its judging time).
  let byBase = derefCache.get(ctx.store)?.get(s);
  const hit = byBase?.get(ctx.base);
  if (hit) return hit;
  const node = ctx.store.resolve(s.$ref, ctx.base);
  const out = deref({ schema: node.schema, base: node.uri, store: ctx.store }, depth + 1);
  let bySchema = derefCache.get(ctx.store);
  if (!bySchema) derefCache.set(ctx.store, (bySchema = new WeakMap()));
  if (!byBase) bySchema.set(s, (byBase = new Map()));
  byBase.set(ctx.base, out);
  return out;
}
const derefCache = new WeakMap<SchemaStore, WeakMap<object, Map<string, SchemaContext>>>();

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

export interface RedactOptions {
  /** Every value replaced by REDACTED is added here (its strings), for scrubbing text later. */
  collect?: SecretSet;
  /** Leave string leaves as they are (schemas shown as expected values): no free-text redaction. */
  keepStrings?: boolean;
}

/**
 * A deep copy of `value` with secrets replaced by REDACTED. With a schema (and its store) the
 * contract's `x-secret` marks are honoured; credential-like property names always are, also as
 * Map keys and `[name, value]` pairs; strings get free-text redaction (redactText).
 */
export function redactSecrets(
  value: unknown,
  schema?: { schema: JsonSchema; uri: string; store: SchemaStore },
  opts: RedactOptions = {},
): unknown {
  const root = schema ? { schema: schema.schema, base: schema.uri, store: schema.store } : undefined;
  const seen = new WeakMap<object, unknown>();
  const hide = (v: unknown): string => {
    opts.collect?.addValue(v);
    return REDACTED;
  };
  const walk = (v: unknown, ctx: SchemaContext | undefined): unknown => {
    if (schemaIsSecret(ctx) && v !== undefined && v !== null) return hide(v);
    if (typeof v === 'string') return opts.keepStrings ? v : redactText(v);
    if (typeof v !== 'object' || v === null) return v;
    if (seen.has(v)) return seen.get(v);
    if (v instanceof Map) {
      const out = new Map<unknown, unknown>();
      seen.set(v, out);
      for (const [k, item] of v) out.set(k, typeof k === 'string' && isSecretName(k) && worthRedacting(item) ? hide(item) : walk(item, undefined));
      return out;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      // An entry pair (Object.entries, a Map's entries, the codec's encoded Map) keyed by a credential name.
      if (v.length === 2 && typeof v[0] === 'string' && isSecretName(v[0]) && worthRedacting(v[1]) && !childSchema(ctx, 1)) {
        out.push(v[0], hide(v[1]));
        return out;
      }
      v.forEach((item, i) => out.push(walk(item, childSchema(ctx, i))));
      return out;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, item] of Object.entries(v)) {
      out[k] = isSecretName(k) && worthRedacting(item) && !opts.keepStrings ? hide(item) : walk(item, childSchema(ctx, k));
    }
    return out;
  };
  return walk(value, root);
}

/**
 * `redactSecrets` with a pack's schema node: the value's own schema when there is one, names and
 * forms only when there is none or it cannot be resolved (a broken `$ref` must not stop redaction).
 */
export function redactByNode(value: unknown, node: SchemaNode | undefined, store: SchemaStore | undefined, opts: RedactOptions = {}): unknown {
  if (node && store) {
    try {
      return redactSecrets(value, { schema: node.schema, uri: node.uri, store }, opts);
    } catch {
      // fall through: names and forms only
    }
  }
  return redactSecrets(value, undefined, opts);
}

const TEXT_NAME = `[A-Za-z0-9_-]*(?:${SECRET_NAME_SUFFIXES.join('|')})`;
const QUERY_PARAM = new RegExp(`([?&;#]${TEXT_NAME}=)([^&#\\s"'<>]+)`, 'gi');
// `name=value`, `name: value`, `"name": "value"`; a colon right before a word is not a pair
// (`auth:login` is a channel name).
const KEY_VALUE = new RegExp(`(["']?)(${TEXT_NAME})\\1(\\s*(?:=|:(?=\\s|["']))\\s*)(["']?)(?!(?:bearer|basic)\\s)([^"'\\s,;}&]+)\\4`, 'gi');

/**
 * Redact secrets that free text shows by form: `Bearer`/`Basic` credentials, URL userinfo
 * passwords (`postgres://u:pw@host`), secret-named query parameters (`?access_token=`) and
 * secret-named `key=value` / `key: value` pairs.
 */
export function redactText(text: string): string {
  return text
    .replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`)
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]*):([^@\s/]+)@/gi, `$1:${REDACTED}@`)
    .replace(QUERY_PARAM, (_m, key) => `${key}${REDACTED}`)
    .replace(KEY_VALUE, (_m, q, key, sep, vq) => `${q}${key}${q}${sep}${vq}${REDACTED}${vq}`);
}

/** Shorter secret values are not scrubbed from text: they would hit ordinary words and numbers. */
const MIN_SCRUB_LENGTH = 6;
/**
 * A plain lowercase word shorter than this (a generated "conform", "tamdiu") is not scrubbed from
 * text either: it would blank the tool's own name and ordinary prose. Its field is still redacted
 * by name and schema; secrets with digits, capitals or symbols are scrubbed from 6 characters on.
 */
const MIN_WORD_SCRUB_LENGTH = 12;
const looksLikeWord = (s: string) => /^[a-z]+$/.test(s) && s.length < MIN_WORD_SCRUB_LENGTH;

/**
 * Secret values seen during a run or recording (by x-secret or by name), and `scrub` to remove
 * them from any text afterwards: as is, URL-encoded, JSON-escaped, and base64 (standard and
 * URL-safe, at any alignment inside a longer base64 text).
 */
export class SecretSet {
  private readonly forms = new Set<string>();
  private pattern: RegExp | undefined;

  get size(): number {
    return this.forms.size;
  }

  /** Adds every string (and number) inside `v`. */
  addValue(v: unknown, depth = 0): void {
    if (depth > 32) return;
    if (typeof v === 'string') this.add(v);
    else if (typeof v === 'number' || typeof v === 'bigint') this.add(String(v));
    else if (v instanceof Map) for (const [k, x] of v) { this.addValue(k, depth + 1); this.addValue(x, depth + 1); }
    else if (Array.isArray(v)) for (const x of v) this.addValue(x, depth + 1);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) this.addValue(x, depth + 1);
  }

  add(secret: string): void {
    if (secret.length < MIN_SCRUB_LENGTH || secret === REDACTED || looksLikeWord(secret)) return;
    const before = this.forms.size;
    for (const form of encodedForms(secret)) if (form.length >= MIN_SCRUB_LENGTH) this.forms.add(form);
    if (this.forms.size !== before) this.pattern = undefined;
  }

  /** Secret names and values, by form and by value, removed from `text`. */
  scrub(text: string): string {
    const named = redactText(text);
    if (this.forms.size === 0) return named;
    this.pattern ??= new RegExp([...this.forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
    return named.replace(this.pattern, REDACTED);
  }

  /** A deep copy of `value` with every string scrubbed (Map keys and values too). */
  scrubDeep<T>(value: T): T {
    const seen = new WeakMap<object, unknown>();
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.scrub(v);
      if (typeof v !== 'object' || v === null) return v;
      if (seen.has(v)) return seen.get(v);
      if (v instanceof Map) {
        const out = new Map();
        seen.set(v, out);
        for (const [k, x] of v) out.set(walk(k), walk(x));
        return out;
      }
      if (Array.isArray(v)) {
        const out: unknown[] = [];
        seen.set(v, out);
        for (const x of v) out.push(walk(x));
        return out;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
      const out: Record<string, unknown> = {};
      seen.set(v, out);
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    };
    return walk(value) as T;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The ways a secret shows up in text: itself, URL-encoded (both flavours), JSON-escaped, and the
 * base64 characters that depend on its bytes alone at each of the three alignments a substring
 * can have inside a longer base64 text (so `Basic base64(user:password)` is caught too).
 */
function encodedForms(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'), JSON.stringify(secret).slice(1, -1)];
  const bytes = Buffer.from(secret, 'utf8');
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64').replace(/=+$/, '');
    // Leading characters that mix in the padding bytes, trailing ones that mix in what follows.
    const lead = [0, 2, 3][shift]!;
    const total = shift + bytes.length;
    const trail = total % 3 === 0 ? 0 : 1;
    const core = b64.slice(lead, b64.length - trail);
    forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}
