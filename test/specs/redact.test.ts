import { describe, expect, it } from 'vitest';
import type { SchemaStore } from '../../specs/model.ts';
import { REDACTED, SecretSet, isSecretName, redactSecrets, redactText } from '../../specs/redact.ts';

// A minimal store over one in-memory document, enough to follow `#/$defs/...` refs.
function storeFor(doc: Record<string, unknown>): SchemaStore {
  return {
    validate: () => ({ valid: true, issues: [] }),
    resolve(ref, base) {
      const target = ref.startsWith('#') ? `${base.split('#')[0]}${ref}` : ref;
      const pointer = target.split('#')[1] ?? '';
      let node: unknown = doc;
      for (const part of pointer.split('/').filter(Boolean)) node = (node as Record<string, unknown>)[part];
      if (node === undefined) throw new Error(`dangling ${ref}`);
      return { uri: target, schema: node as Record<string, unknown> };
    },
  };
}

const at = 'conform:/packs/t/types.yaml#/x';

describe('secret redaction', () => {
  it('recognises credential-like names and leaves ordinary ones', () => {
    for (const n of ['password', 'apiKey', 'api_key', 'token', 'accessToken', 'privateKey', 'clientSecret', 'Authorization'])
      expect(isSecretName(n), n).toBe(true);
    for (const n of ['email', 'tokenCount', 'passwordHint', 'keychainId', 'name', 'tokensSaved']) expect(isSecretName(n), n).toBe(false);
  });

  it('redacts by name at any depth without touching the input', () => {
    const input = { user: { email: 'a@b.c', password: 'hunter2' }, list: [{ apiKey: 'sk-123' }] };
    const out = redactSecrets(input) as typeof input;
    expect(out).toEqual({ user: { email: 'a@b.c', password: REDACTED }, list: [{ apiKey: REDACTED }] });
    expect(input.user.password).toBe('hunter2');
  });

  it('honours x-secret through $ref, prefixItems and anyOf', () => {
    const store = storeFor({
      $defs: {
        Creds: { type: 'object', properties: { username: { type: 'string' }, pem: { type: 'string', 'x-secret': true } } },
        Args: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'string', 'x-secret': true }] },
        Union: { anyOf: [{ $ref: '#/$defs/Creds' }, { type: 'null' }] },
      },
    });
    expect(redactSecrets({ username: 'root', pem: '-----BEGIN' }, { schema: { $ref: '#/$defs/Creds' }, uri: at, store })).toEqual({
      username: 'root',
      pem: REDACTED,
    });
    expect(redactSecrets(['me@x.y', 'pw'], { schema: { $ref: '#/$defs/Args' }, uri: at, store })).toEqual(['me@x.y', REDACTED]);
    expect(redactSecrets({ username: 'u', pem: 'k' }, { schema: { $ref: '#/$defs/Union' }, uri: at, store })).toEqual({
      username: 'u',
      pem: REDACTED,
    });
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { token: 't' };
    a.self = a;
    const out = redactSecrets(a) as Record<string, unknown>;
    expect(out.token).toBe(REDACTED);
    expect(out.self).toBe(out);
  });

  it('redacts secrets in free text', () => {
    expect(redactText('login password=hunter2 ok')).toBe(`login password=${REDACTED} ok`);
    expect(redactText('{"apiKey": "sk-abc", "n": 1}')).toBe(`{"apiKey": "${REDACTED}", "n": 1}`);
    expect(redactText('Authorization: Bearer abcdefghijkl')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText('nothing secret here')).toBe('nothing secret here');
  });

  it('knows the credential names of issue 19 and leaves flags and the x-secret keyword readable', () => {
    for (const n of ['secretKey', 'secretAccessKey', 'pwd', 'auth', 'jwt', 'sessionId', 'passwordHash', 'privateKeyPem', 'connectionString', 'x-api-key', 'oauth'])
      expect(isSecretName(n), n).toBe(true);
    for (const n of ['compass', 'author', 'sessions', 'authorName']) expect(isSecretName(n), n).toBe(false);
    expect(redactSecrets({ type: 'string', 'x-secret': true, auth: false })).toEqual({ type: 'string', 'x-secret': true, auth: false });
  });

  it('redacts Map entries and [name, value] pairs keyed by a credential name, and collects what it hid', () => {
    const secrets = new SecretSet();
    const out = redactSecrets({ m: new Map<string, unknown>([['password', 'MAPLEAK-1'], ['n', 1]]), pairs: [['jwt', 'PAIRLEAK-1'], ['name', 'ok']] }, undefined, { collect: secrets }) as { m: Map<string, unknown>; pairs: unknown[] };
    expect([...out.m]).toEqual([['password', REDACTED], ['n', 1]]);
    expect(out.pairs).toEqual([['jwt', REDACTED], ['name', 'ok']]);
    expect(secrets.scrub('saw MAPLEAK-1 and PAIRLEAK-1')).toBe(`saw ${REDACTED} and ${REDACTED}`);
  });

  it('does not scrub a short plain word seen as a secret value from all text (it would blank "conform run ...")', () => {
    const secrets = new SecretSet();
    secrets.add('conform');
    secrets.add('hunter2');
    expect(secrets.scrub('conform run x --seed 1; password hunter2')).toBe(`conform run x --seed 1; password ${REDACTED}`);
  });

  it('redacts URL credentials: secret query parameters and userinfo passwords', () => {
    expect(redactText('GET https://h/x?user=a&access_token=abc123&page=2')).toBe(`GET https://h/x?user=a&access_token=${REDACTED}&page=2`);
    expect(redactText('postgres://admin:s3cretpw@db:5432/app')).toBe(`postgres://admin:${REDACTED}@db:5432/app`);
  });

  it('scrubs a seen secret from text as is, URL-encoded, JSON-escaped and as base64 at any alignment', () => {
    const secrets = new SecretSet();
    secrets.add('PW LEAK/"9');
    const secret = 'PW LEAK/"9';
    const texts = [secret, encodeURIComponent(secret), JSON.stringify({ m: `said ${secret}` }),
      ...['', 'u', 'us', 'user:'].map((pre) => Buffer.from(`${pre}${secret}!`).toString('base64')),
      Buffer.from(secret).toString('base64url')];
    for (const t of texts) {
      const out = secrets.scrub(`x ${t} y`);
      expect(out, t).toContain(REDACTED);
      for (const f of [secret, encodeURIComponent(secret), 'PW LEAK']) expect(out).not.toContain(f);
    }
    expect(secrets.scrub('nothing here')).toBe('nothing here');
  });
});
