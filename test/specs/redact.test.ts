import { describe, expect, it } from 'vitest';
import type { SchemaStore } from '../../specs/model.ts';
import { REDACTED, isSecretName, redactSecrets, redactText } from '../../specs/redact.ts';

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
});
