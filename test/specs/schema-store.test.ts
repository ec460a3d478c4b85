import { describe, expect, it, vi } from 'vitest';
import { COMPILE_AFTER_USES, createSchemaStore, isPlainJson } from '../../specs/schema-store.ts';
import { ContractError } from '../../specs/model.ts';

const A = 'conform:/packs/alpha/contract.yaml';
const AT = 'conform:/packs/alpha/types.yaml';
const BT = 'conform:/packs/beta/types.yaml';

function store() {
  return createSchemaStore([
    {
      uri: A,
      doc: {
        conform: 1,
        app: 'alpha',
        transport: 'electron',
        channels: {
          'items:get': {
            kind: 'invoke',
            params: [{ name: 'id', schema: { $ref: '#/$defs/Id' } }],
            returns: { $ref: 'types.yaml#/$defs/Item' },
          },
        },
        $defs: { Id: { type: 'string', minLength: 1 } },
      },
    },
    {
      uri: AT,
      doc: {
        $defs: {
          Item: {
            type: 'object',
            required: ['id', 'owner'],
            additionalProperties: false,
            properties: { id: { type: 'string' }, owner: { $ref: '../beta/types.yaml#/$defs/User' }, token: { type: 'string', 'x-secret': true } },
          },
          Tree: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/Tree' } } }, additionalProperties: false },
          Open: { 'x-unspecified': 'the document does not list the fields' },
          Nothing: { 'x-void': true },
          Url: { type: 'string', format: 'uri', 'x-guard': { schemes: ['https'] } },
        },
      },
    },
    { uri: BT, doc: { $defs: { User: { type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } } } } } },
  ]);
}

describe('schema store', () => {
  it('resolves refs within a file, across files and across packs', () => {
    const s = store();
    const ret = s.node(`${A}#/channels/items:get/returns`);
    expect(s.validate(ret, { id: 'x', owner: { email: 'a@b.co' } }).valid).toBe(true);
    const bad = s.validate(ret, { id: 'x', owner: { email: 'not an email' } });
    expect(bad.valid).toBe(false);
    expect(bad.issues[0]).toMatchObject({ path: '/owner/email', keyword: 'format' });
    const extra = s.validate(ret, { id: 'x', owner: { email: 'a@b.co' }, more: 1 });
    expect(extra.issues.map((i) => i.message).join()).toContain("'more'");
    const param = s.node(`${A}#/channels/items:get/params/0/schema`);
    expect(s.validate(param, '').valid).toBe(false);
    expect(s.validate(param, 'abc').valid).toBe(true);
  });

  it('resolve() follows a $ref as written at a base URI and throws on dangling refs', () => {
    const s = store();
    expect(s.resolve('types.yaml#/$defs/Item', `${A}#/channels/items:get/returns`).uri).toBe(`${AT}#/$defs/Item`);
    expect(s.resolve('../beta/types.yaml#/$defs/User', `${AT}#/$defs/Item`).schema).toMatchObject({ required: ['email'] });
    expect(() => s.resolve('#/$defs/Missing', A)).toThrow(ContractError);
    expect(() => s.resolve('nope.yaml#/$defs/Id', A)).toThrow(/dangling \$ref "nope.yaml#\/\$defs\/Id"/);
  });

  it('handles recursive schemas and the annotation keywords', () => {
    const s = store();
    const tree = s.node(`${AT}#/$defs/Tree`);
    expect(s.validate(tree, { children: [{ children: [{}] }] }).valid).toBe(true);
    expect(s.validate(tree, { children: [{ children: [{ x: 1 }] }] }).valid).toBe(false);
    const open = s.node(`${AT}#/$defs/Open`);
    for (const v of [1, 'a', null, { a: [1] }]) expect(s.validate(open, v).valid).toBe(true);
    const nothing = s.node(`${AT}#/$defs/Nothing`);
    expect(s.validate(nothing, undefined).valid).toBe(true);
    expect(s.validate(nothing, null).valid).toBe(false);
    const url = s.node(`${AT}#/$defs/Url`);
    expect(s.validate(url, 'https://example.org/').valid).toBe(true);
  });

  it('compiles once and reuses the validator', () => {
    const s = store();
    const n = s.node(`${AT}#/$defs/Item`);
    expect(s.validator(n)).toBe(s.validator({ ...n }));
  });

  it('registers schemas built in code (args tuples referring to file schemas)', () => {
    const s = store();
    const args = s.register('conform:/args/alpha/items:get', {
      type: 'array',
      prefixItems: [{ $ref: `${A}#/channels/items:get/params/0/schema` }],
      minItems: 1,
      maxItems: 1,
    });
    expect(s.node('conform:/args/alpha/items:get')).toBe(args);
    expect(s.validate(args, ['id-1']).valid).toBe(true);
    expect(s.validate(args, []).valid).toBe(false);
    expect(s.validate(args, ['a', 'b']).valid).toBe(false);
  });

  it('rejects unknown keywords (strict mode) and a bad x-guard', () => {
    const s = createSchemaStore([{ uri: AT, doc: { $defs: { Bad: { type: 'object', additionalProperty: false }, G: { 'x-guard': { pathUnderr: 'x' } } } } }]);
    expect(() => s.validator(s.node(`${AT}#/$defs/Bad`))).toThrow(/unknown keyword: "additionalProperty"/);
    expect(() => s.validator(s.node(`${AT}#/$defs/G`))).toThrow();
  });

  describe('validateOnce (examples: interpreted where it judges like ajv, ajv otherwise)', () => {
    const once = (defs: Record<string, unknown>) => {
      const s = createSchemaStore([{ uri: AT, doc: { $defs: defs } }]);
      const compiled = vi.spyOn(s.ajv, 'getSchema');
      return { s, compiled, check: (name: string, value: unknown) => s.validateOnce(s.node(`${AT}#/$defs/${name}`), value) };
    };

    it('accepts a valid value without compiling anything, across refs', () => {
      const { check, compiled } = once({
        Item: { type: 'object', required: ['id'], properties: { id: { $ref: '#/$defs/Id' }, at: { type: 'string', format: 'iso-date-time' } } },
        Id: { type: 'string', pattern: '^i-[0-9]+$' },
      });
      expect(check('Item', { id: 'i-1', at: '2026-12-05T12:00:00Z' })).toEqual({ valid: true, issues: [] });
      expect(compiled).not.toHaveBeenCalled();
    });

    it("gives ajv's verdict and issues for an invalid value, also for formats only ajv-formats knows", () => {
      const { check, compiled } = once({
        Item: { type: 'object', required: ['id'], properties: { id: { $ref: '#/$defs/Id' }, at: { type: 'string', format: 'iso-date-time' } } },
        Id: { type: 'string', pattern: '^i-[0-9]+$' },
      });
      expect(check('Item', { id: 'x' }).issues[0]).toMatchObject({ path: '/id', keyword: 'pattern' });
      expect(check('Item', { id: 'i-1', at: 'yesterday' }).issues[0]).toMatchObject({ path: '/at', keyword: 'format' });
      expect(compiled).toHaveBeenCalled();
    });

    it('leaves to ajv what the interpreter would let through (numeric formats, float multipleOf, x-void)', () => {
      const cases: [Record<string, unknown>, unknown][] = [
        [{ type: 'integer', format: 'int32' }, 2 ** 40],
        [{ type: 'number', multipleOf: 0.1 }, 0.3], // the interpreter rounds: 0.3 / 0.1 = 2.9999999999999996
        [{ type: 'object', properties: { done: { 'x-void': true } } }, { done: 1 }],
      ];
      for (const [schema, value] of cases) {
        const { check } = once({ S: schema });
        expect(check('S', value).valid, JSON.stringify(schema)).toBe(false);
      }
    });

    it('leaves to ajv only what holds or reaches such a keyword, also through a $ref cycle', () => {
      const { check, compiled } = once({
        Item: { type: 'object', properties: { id: { type: 'string' } } },
        A: { type: 'object', properties: { b: { $ref: '#/$defs/B' }, n: { type: 'number', multipleOf: 0.1 } } },
        B: { type: 'object', properties: { a: { $ref: '#/$defs/A' } } },
      });
      expect(check('Item', { id: 'x' }).valid).toBe(true);
      expect(compiled).not.toHaveBeenCalled();
      // A is walked first: B, reached inside the A -> B -> A cycle, must not be remembered as judgeable.
      expect(check('A', { n: 0.3 }).valid).toBe(false);
      expect(check('B', { a: { n: 0.3 } }).valid).toBe(false);
      expect(check('B', { a: { n: 0.5 } }).valid).toBe(true);
    });
  });

  describe('validate is tiered: interpreted for a schema\'s first uses, ajv for invalid values and often used schemas', () => {
    const DEFS = {
      Item: { type: 'object', required: ['id'], properties: { id: { $ref: '#/$defs/Id' }, at: { type: 'string', format: 'iso-date-time' }, n: { type: 'number' } } },
      Id: { type: 'string', pattern: '^i-[0-9]+$' },
      Tenth: { type: 'number', multipleOf: 0.1 },
      Open: { type: 'object', required: ['a'] },
    };
    const tiered = () => {
      const s = createSchemaStore([{ uri: AT, doc: { $defs: DEFS } }]);
      const compiled = vi.spyOn(s.ajv, 'getSchema');
      return { s, compiled, n: (name: string) => s.node(`${AT}#/$defs/${name}`) };
    };
    // ajv alone, for comparing verdicts and issues.
    const ajvOnly = (name: string, value: unknown) => {
      const s = createSchemaStore([{ uri: AT, doc: { $defs: DEFS } }]);
      const v = s.validator(s.node(`${AT}#/$defs/${name}`));
      const valid = v(value) as boolean;
      return { valid, errors: v.errors ?? [] };
    };

    it('accepts a valid value without compiling', () => {
      const { s, compiled, n } = tiered();
      expect(s.validate(n('Item'), { id: 'i-1', at: '2026-12-05T12:00:00Z' })).toEqual({ valid: true, issues: [] });
      expect(compiled).not.toHaveBeenCalled();
    });

    it("gives ajv's verdict and issues for an invalid value", () => {
      const { s, compiled, n } = tiered();
      const bad = { id: 'x', at: 'yesterday' };
      const got = s.validate(n('Item'), bad);
      expect(compiled).toHaveBeenCalled();
      const want = ajvOnly('Item', bad);
      expect(got.valid).toBe(false);
      expect(got.issues.map((i) => [i.path, i.keyword])).toEqual(want.errors.map((e) => [e.instancePath, e.keyword]));
      expect(got.issues.map((i) => i.path)).toEqual(['/id', '/at']);
    });

    it('leaves to ajv what the interpreter judges otherwise: a float multipleOf, and values that are not plain JSON', () => {
      const cases: [string, unknown][] = [
        ['Tenth', 0.3], // the interpreter rounds 0.3 / 0.1
        ['Open', { a: undefined }], // ajv: a property set to undefined is missing; the interpreter: present
        ['Item', { id: 'i-1', n: Number.NaN }], // ajv (strictNumbers) rejects NaN; the interpreter takes it for a number
        ['Item', { id: 'i-1', n: Infinity }],
      ];
      for (const [name, value] of cases) {
        const { s, compiled, n } = tiered();
        expect(ajvOnly(name, value).valid, name).toBe(false);
        expect(s.validate(n(name), value).valid, name).toBe(false);
        expect(compiled, name).toHaveBeenCalled();
      }
      expect(isPlainJson({ a: [1, 'x', null, true, { b: 2 }] })).toBe(true);
      for (const v of [undefined, [undefined], { a: undefined }, Number.NaN, new Date(0), new Map(), 1n, { a: [new Set()] }]) expect(isPlainJson(v), String(v)).toBe(false);
    });

    it(`compiles a schema at its ${COMPILE_AFTER_USES}th use and validates with ajv from then on`, () => {
      const { s, compiled, n } = tiered();
      const item = n('Item');
      for (let i = 1; i < COMPILE_AFTER_USES; i++) expect(s.validate(item, { id: `i-${i}` }).valid).toBe(true);
      expect(compiled).not.toHaveBeenCalled();
      expect(s.validate(item, { id: 'i-0' }).valid).toBe(true);
      expect(compiled).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 5; i++) expect(s.validate(item, { id: 'nope' }).valid).toBe(false);
      expect(compiled).toHaveBeenCalledTimes(1);
    });

    it('precompile compiles now (a replay must not pause at its first value)', () => {
      const { s, compiled, n } = tiered();
      s.precompile(n('Id'));
      expect(compiled).toHaveBeenCalledTimes(1);
      expect(s.validate(n('Id'), 'i-2').valid).toBe(true);
      expect(compiled).toHaveBeenCalledTimes(1);
    });
  });
});
