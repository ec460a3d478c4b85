// One before/after pair per rule of the diff catalog: the pair must produce exactly that rule,
// with the severity written here (not read from the catalog), and the catalog must have no rule
// without a pair.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../specs/diff/rules/index.ts';
import type { Severity } from '../../specs/diff/types.ts';
import { diffBodies, event, invoke } from './helpers.ts';
import type { PackBody } from './helpers.ts';

const covered = new Set<string>();

interface Case {
  rule: string;
  severity: Severity;
  before: PackBody;
  after: PackBody;
  /** Other rules the pair legitimately also reports. */
  also?: string[];
  /** Text the message must contain. */
  says?: string;
}

function check(c: Case): void {
  const changes = diffBodies(c.before, c.after);
  const mine = changes.filter((x) => x.rule === c.rule);
  expect(mine.length, `${c.rule} not reported; got ${JSON.stringify(changes.map((x) => x.rule))}`).toBeGreaterThan(0);
  for (const m of mine) expect(m.severity).toBe(c.severity);
  expect(changes.map((x) => x.rule).filter((r) => r !== c.rule && !(c.also ?? []).includes(r))).toEqual([]);
  if (c.says) expect(mine.map((m) => m.message).join('\n')).toContain(c.says);
  covered.add(c.rule);
}

const one = (ch: Record<string, unknown>, extra: Partial<PackBody> = {}): PackBody => ({ channels: { 'thing:get': ch }, ...extra });

// --- schema rules, placed in each of the four locations --------------------------------------------

type Loc = 'param' | 'return' | 'payload' | 'error-branch';
function place(loc: Loc, schema: unknown): PackBody {
  switch (loc) {
    case 'param':
      return one(invoke({ params: [{ name: 'v', schema }], returns: 'void' }));
    case 'return':
      return one(invoke({ returns: schema }));
    case 'payload':
      return one(event({ payload: schema }));
    case 'error-branch':
      return one(invoke({ returns: { type: 'object' }, errors: { style: 'result-union', error: schema, discriminator: { ok: false } } }));
  }
}
const FLOW: Record<Loc, 'in' | 'out'> = { param: 'in', return: 'out', payload: 'out', 'error-branch': 'out' };

interface SchemaCase {
  rule: string;
  before: unknown;
  after: unknown;
  in: Severity;
  out: Severity;
}

const obj = (props: Record<string, unknown>, required: string[] = [], extra: Record<string, unknown> = {}) => ({ type: 'object', properties: props, required, ...extra });
const S = { type: 'string' };

const schemaCases: SchemaCase[] = [
  { rule: 'type-narrowed', before: { type: ['string', 'null'] }, after: S, in: 'breaking', out: 'info' },
  { rule: 'type-narrowed', before: { type: 'number' }, after: { type: 'integer' }, in: 'breaking', out: 'info' },
  { rule: 'type-widened', before: S, after: { type: ['string', 'null'] }, in: 'info', out: 'breaking' },
  { rule: 'type-changed', before: S, after: { type: 'number' }, in: 'breaking', out: 'breaking' },
  { rule: 'enum-value-added', before: { enum: ['a', 'b'] }, after: { enum: ['a', 'b', 'c'] }, in: 'info', out: 'breaking' },
  { rule: 'enum-value-removed', before: { enum: ['a', 'b', 'c'] }, after: { enum: ['a', 'b'] }, in: 'breaking', out: 'info' },
  { rule: 'const-changed', before: { const: 'v1' }, after: { const: 'v2' }, in: 'breaking', out: 'breaking' },
  { rule: 'bound-tightened', before: { type: 'string', maxLength: 10 }, after: { type: 'string', maxLength: 5 }, in: 'breaking', out: 'info' },
  { rule: 'bound-tightened', before: { type: 'integer' }, after: { type: 'integer', minimum: 1 }, in: 'breaking', out: 'info' },
  { rule: 'bound-loosened', before: { type: 'array', minItems: 2 }, after: { type: 'array', minItems: 1 }, in: 'info', out: 'breaking' },
  { rule: 'constraint-added', before: S, after: { type: 'string', format: 'uuid' }, in: 'breaking', out: 'info' },
  { rule: 'constraint-removed', before: { type: 'string', pattern: '^a' }, after: S, in: 'info', out: 'breaking' },
  { rule: 'pattern-changed', before: { type: 'string', pattern: '^a' }, after: { type: 'string', pattern: '^b' }, in: 'warning', out: 'warning' },
  { rule: 'property-added', before: obj({ a: S }, ['a']), after: obj({ a: S, b: S }, ['a']), in: 'info', out: 'info' },
  { rule: 'required-property-added', before: obj({ a: S }, ['a']), after: obj({ a: S, b: S }, ['a', 'b']), in: 'breaking', out: 'info' },
  { rule: 'property-removed', before: obj({ a: S, b: S }, ['a']), after: obj({ a: S }, ['a']), in: 'warning', out: 'warning' },
  // documented conditions: a required property removed breaks consumers; a closed object breaks callers
  { rule: 'property-removed', before: obj({ a: S, b: S }, ['a', 'b']), after: obj({ a: S }, ['a']), in: 'warning', out: 'breaking' },
  { rule: 'property-made-required', before: obj({ a: S }), after: obj({ a: S }, ['a']), in: 'breaking', out: 'info' },
  { rule: 'property-made-optional', before: obj({ a: S }, ['a']), after: obj({ a: S }), in: 'info', out: 'breaking' },
  { rule: 'additional-properties-closed', before: obj({ a: S }), after: obj({ a: S }, [], { additionalProperties: false }), in: 'breaking', out: 'info' },
  { rule: 'additional-properties-opened', before: obj({ a: S }, [], { additionalProperties: false }), after: obj({ a: S }), in: 'info', out: 'warning' },
  { rule: 'items-constrained', before: { type: 'array' }, after: { type: 'array', items: S }, in: 'breaking', out: 'info' },
  { rule: 'items-unconstrained', before: { type: 'array', items: S }, after: { type: 'array' }, in: 'info', out: 'breaking' },
  { rule: 'variant-added', before: { anyOf: [S, { type: 'number' }] }, after: { anyOf: [S, { type: 'number' }, { type: 'null' }] }, in: 'info', out: 'breaking' },
  { rule: 'variant-added', before: S, after: { oneOf: [S, { type: 'null' }] }, in: 'info', out: 'breaking' },
  { rule: 'variant-removed', before: { anyOf: [S, { type: 'number' }] }, after: { anyOf: [{ type: 'number' }] }, in: 'breaking', out: 'info' },
  { rule: 'unspecified-changed', before: { 'x-unspecified': 'fields not listed' }, after: obj({ a: S }), in: 'info', out: 'info' },
  { rule: 'secret-removed', before: { type: 'string', 'x-secret': true }, after: S, in: 'breaking', out: 'breaking' },
  { rule: 'secret-added', before: S, after: { type: 'string', 'x-secret': true }, in: 'info', out: 'info' },
  { rule: 'guard-removed', before: { type: 'string', 'x-guard': { pathUnder: 'userData' } }, after: S, in: 'breaking', out: 'breaking' },
  { rule: 'guard-weakened', before: { type: 'string', 'x-guard': { schemes: ['https'] } }, after: { type: 'string', 'x-guard': { schemes: ['http', 'https'] } }, in: 'breaking', out: 'breaking' },
  { rule: 'guard-added', before: S, after: { type: 'string', 'x-guard': { maxBytes: 1024 } }, in: 'info', out: 'info' },
];

describe('schema rules, in each location (params flow in; returns, payloads, error branches flow out)', () => {
  for (const sc of schemaCases) {
    for (const loc of ['param', 'return', 'payload', 'error-branch'] as Loc[]) {
      const severity = FLOW[loc] === 'in' ? sc.in : sc.out;
      it(`${loc}-${sc.rule}: ${JSON.stringify(sc.before)} -> ${JSON.stringify(sc.after)} is ${severity}`, () => {
        check({ rule: `${loc}-${sc.rule}`, severity, before: place(loc, sc.before), after: place(loc, sc.after) });
      });
    }
  }

  it('property-removed from a closed param object breaks callers', () => {
    check({ rule: 'param-property-removed', severity: 'breaking', before: place('param', obj({ a: S, b: S }, [], { additionalProperties: false })), after: place('param', obj({ a: S }, [], { additionalProperties: false })) });
  });
});

describe('schema walker', () => {
  it('follows $refs through each side, across files, and reports the path inside the value', () => {
    const before: PackBody = { ...one(invoke({ returns: { $ref: 'types.yaml#/$defs/Item' } })), types: { Item: obj({ owner: { $ref: '#/$defs/User' } }, ['owner']), User: obj({ email: S }, ['email']) } };
    const after: PackBody = { ...one(invoke({ returns: { $ref: 'types.yaml#/$defs/Item' } })), types: { Item: obj({ owner: { $ref: '#/$defs/User' } }, ['owner']), User: obj({ email: S }) } };
    const changes = diffBodies(before, after);
    expect(changes).toEqual([expect.objectContaining({ rule: 'return-property-made-optional', severity: 'breaking', path: '/owner/email', location: 'returns' })]);
  });

  it('terminates on recursive types and still finds a change below the cycle', () => {
    const tree = (leaf: unknown) => ({ Tree: obj({ label: leaf, children: { type: 'array', items: { $ref: '#/$defs/Tree' } } }, ['label']) });
    const changes = diffBodies({ ...one(invoke({ returns: { $ref: '#/$defs/Tree' } })), $defs: tree(S) }, { ...one(invoke({ returns: { $ref: '#/$defs/Tree' } })), $defs: tree({ type: ['string', 'number'] }) });
    expect(changes.map((c) => `${c.rule} ${c.path}`)).toEqual(['return-type-widened /label']);
    expect(diffBodies({ ...one(invoke({ returns: { $ref: '#/$defs/Tree' } })), $defs: tree(S) }, { ...one(invoke({ returns: { $ref: '#/$defs/Tree' } })), $defs: tree(S) })).toEqual([]);
  });

  it('matches union branches by their discriminating const, whatever their order', () => {
    const chunk = obj({ type: { const: 'chunk' }, text: S }, ['type', 'text']);
    const done = obj({ type: { const: 'done' } }, ['type']);
    const done2 = obj({ type: { const: 'done' }, reason: S }, ['type', 'reason']);
    const changes = diffBodies(one(event({ payload: { oneOf: [chunk, done] } })), one(event({ payload: { oneOf: [done2, chunk] } })));
    expect(changes.map((c) => `${c.rule} ${c.path}`)).toEqual(['payload-required-property-added /anyOf[0]/reason']);
  });

  it('an unchanged pack diffs to nothing', () => {
    const body = one(invoke({ params: [{ name: 'q', schema: obj({ a: { enum: [1, 2] } }) }], returns: { $ref: '#/$defs/X' } }), { $defs: { X: { anyOf: [S, { type: 'null' }] } } });
    expect(diffBodies(body, body)).toEqual([]);
  });
});

// --- channel, params, errors, stream and pack rules --------------------------------------------------

const p = (name: string, schema: unknown = S, optional = false) => ({ name, schema, optional });
const withParams = (...params: unknown[]) => one(invoke({ params }));
const stream = (over: Record<string, unknown> = {}): PackBody => ({
  channels: {
    'chat:start': invoke({ bridge: 'window.api.chat.start', params: [p('id')], returns: 'void' }),
    'chat:stop': invoke({ bridge: 'window.api.chat.stop', returns: 'void' }),
    'chat:token': event({ payload: obj({ id: S }, ['id']) }),
    'chat:done': event({ payload: obj({ id: S }, ['id']) }),
    'chat:error': event({ payload: obj({ id: S }, ['id']) }),
  },
  streams: {
    chat: {
      start: 'chat:start',
      events: ['chat:token', 'chat:done', 'chat:error'],
      grammar: 'chat:token* (chat:done | chat:error)',
      end: 'grammar',
      correlation: [{ event: '*', field: 'id', equals: 'param:id' }],
      budget: { firstEventMs: 1000, totalMs: 10000 },
      ...over,
    },
  },
});
const tauri = (params: unknown, over: Record<string, unknown> = {}): PackBody => ({
  transport: 'tauri',
  roots: [],
  channels: { send_message: { kind: 'command', bridge: null, params, returns: S, errors: { style: 'tauri-string' }, ...over } },
});
const named = (props: Record<string, unknown>, required: string[]) => ({ type: 'object', properties: props, required, additionalProperties: false });

const cases: Case[] = [
  { rule: 'channel-removed', severity: 'breaking', before: { channels: { a: invoke(), b: invoke({ bridge: 'window.api.b' }) } }, after: { channels: { a: invoke() } } },
  { rule: 'channel-added', severity: 'info', before: { channels: { a: invoke() } }, after: { channels: { a: invoke(), b: invoke({ bridge: 'window.api.b' }) } } },
  { rule: 'channel-renamed', severity: 'breaking', before: { channels: { 'thing:get': invoke() } }, after: { channels: { 'thing:fetch': invoke() } }, says: 'thing:get renamed to thing:fetch' },
  { rule: 'stream-removed', severity: 'breaking', before: stream(), after: { channels: stream().channels } },
  { rule: 'stream-added', severity: 'info', before: { channels: stream().channels }, after: stream() },
  { rule: 'transport-changed', severity: 'breaking', before: { transport: 'electron', roots: [], channels: { x: invoke({ bridge: null }) } }, after: { transport: 'tauri', roots: [], channels: { x: { kind: 'command', bridge: null, returns: S, errors: { style: 'tauri-string' } } } }, also: ['kind-changed'] },
  { rule: 'bridge-root-removed', severity: 'breaking', before: { roots: ['window.api', 'window.extra'], channels: { a: invoke() } }, after: { channels: { a: invoke() } } },
  { rule: 'bridge-root-added', severity: 'info', before: { channels: { a: invoke() } }, after: { roots: ['window.api', 'window.extra'], channels: { a: invoke() } } },
  { rule: 'window-posture-weakened', severity: 'breaking', before: { window: { contextIsolation: true, sandbox: true }, channels: { a: invoke() } }, after: { window: { contextIsolation: true, sandbox: false }, channels: { a: invoke() } }, says: 'window.sandbox true -> false' },
  { rule: 'window-posture-strengthened', severity: 'info', before: { channels: { a: invoke() } }, after: { window: { nodeIntegration: false }, channels: { a: invoke() } } },

  { rule: 'kind-changed', severity: 'breaking', before: one(invoke({ returns: 'void' })), after: one({ kind: 'send', bridge: 'window.api.thing.get', params: [] }) },
  { rule: 'bridge-path-renamed', severity: 'breaking', before: one(invoke()), after: one(invoke({ bridge: 'window.api.thing.read' })) },
  { rule: 'bridge-path-removed', severity: 'breaking', before: one(invoke()), after: one(invoke({ bridge: null })) },
  { rule: 'bridge-path-added', severity: 'info', before: one(invoke({ bridge: null })), after: one(invoke()) },
  { rule: 'return-value-removed', severity: 'breaking', before: one(invoke()), after: one(invoke({ returns: 'void' })) },
  { rule: 'return-value-added', severity: 'info', before: one(invoke({ returns: 'void' })), after: one(invoke()) },
  { rule: 'payload-schema-removed', severity: 'warning', before: one(event()), after: one({ kind: 'event', bridge: null }) },
  { rule: 'payload-schema-added', severity: 'info', before: one({ kind: 'event', bridge: null }), after: one(event()) },
  { rule: 'budget-tightened', severity: 'warning', before: one(invoke({ budgetMs: 500 })), after: one(invoke({ budgetMs: 100 })) },
  { rule: 'budget-loosened', severity: 'warning', before: one(invoke({ budgetMs: 100 })), after: one(invoke({ budgetMs: 500 })) },
  { rule: 'budget-added', severity: 'info', before: one(invoke()), after: one(invoke({ budgetMs: 100 })) },
  { rule: 'budget-removed', severity: 'warning', before: one(invoke({ budgetMs: 100 })), after: one(invoke()) },

  { rule: 'param-removed', severity: 'breaking', before: withParams(p('id')), after: withParams() },
  { rule: 'param-added-optional', severity: 'info', before: withParams(), after: withParams(p('id', S, true)) },
  { rule: 'param-added', severity: 'breaking', before: withParams(p('id')), after: withParams(p('id'), p('force', { type: 'boolean' })) },
  { rule: 'param-added', severity: 'breaking', before: tauri(named({ sessionId: S }, ['sessionId'])), after: tauri(named({ sessionId: S, text: S }, ['sessionId', 'text'])) },
  { rule: 'param-added-optional', severity: 'info', before: withParams(p('id')), after: withParams(p('id'), p('force', { type: 'boolean' }, true)) },
  { rule: 'param-removed', severity: 'breaking', before: withParams(p('id'), p('force')), after: withParams(p('id')) },
  { rule: 'param-removed', severity: 'breaking', before: tauri(named({ sessionId: S, text: S }, ['sessionId'])), after: tauri(named({ sessionId: S }, ['sessionId'])) },
  { rule: 'param-reordered', severity: 'breaking', before: withParams(p('id'), p('name')), after: withParams(p('name'), p('id')), says: '(id, name) -> (name, id)' },
  { rule: 'param-renamed', severity: 'info', before: withParams(p('id')), after: withParams(p('scriptId')) },
  { rule: 'param-made-required', severity: 'breaking', before: withParams(p('id'), p('opts', S, true)), after: withParams(p('id'), p('opts')) },
  { rule: 'param-made-required', severity: 'breaking', before: tauri(named({ sessionId: S, text: S }, ['sessionId'])), after: tauri(named({ sessionId: S, text: S }, ['sessionId', 'text'])) },
  { rule: 'param-made-optional', severity: 'info', before: withParams(p('id'), p('opts')), after: withParams(p('id'), p('opts', S, true)) },

  { rule: 'error-style-changed', severity: 'breaking', before: one(invoke()), after: one(invoke({ errors: { style: 'result-union', error: obj({ ok: { const: false }, error: S }, ['ok']), discriminator: { ok: false } } })), says: 'rejection to result-union' },
  { rule: 'error-contract-specified', severity: 'info', before: one(invoke({ errors: { style: 'unspecified', note: 'not stated' } })), after: one(invoke()) },
  { rule: 'error-contract-unspecified', severity: 'info', before: one(invoke()), after: one(invoke({ errors: { style: 'unspecified', note: 'not stated' } })) },
  { rule: 'error-discriminator-changed', severity: 'breaking', before: one(invoke({ errors: { style: 'result-union', error: { type: 'object' }, discriminator: { ok: false } } })), after: one(invoke({ errors: { style: 'result-union', error: { type: 'object' }, discriminator: { success: false } } })) },
  { rule: 'error-message-changed', severity: 'warning', before: one(invoke({ errors: { style: 'rejection', message: '^not found' } })), after: one(invoke({ errors: { style: 'rejection', message: '^missing' } })) },

  { rule: 'stream-grammar-widened', severity: 'breaking', before: stream(), after: stream({ grammar: '(chat:token | chat:error)* (chat:done | chat:error)' }), says: 'was not allowed before' },
  { rule: 'stream-grammar-narrowed', severity: 'info', before: stream(), after: stream({ grammar: 'chat:token+ (chat:done | chat:error)' }), says: 'old sequence "chat:done"' },
  { rule: 'stream-grammar-changed', severity: 'breaking', before: stream(), after: stream({ grammar: 'chat:token* chat:done chat:error?' }), says: 'new sequence "chat:done chat:error"' },
  { rule: 'stream-start-changed', severity: 'breaking', before: stream(), after: stream({ start: 'chat:stop', correlation: [] }), also: ['correlation-removed'] },
  { rule: 'stream-end-changed', severity: 'breaking', before: stream(), after: stream({ end: 'call-settles' }) },
  { rule: 'stream-abort-changed', severity: 'breaking', before: stream({ abort: { call: 'chat:stop', terminal: 'chat:error' } }), after: stream({ abort: { call: 'chat:stop', terminal: 'chat:done' } }) },
  { rule: 'correlation-removed', severity: 'breaking', before: stream(), after: stream({ correlation: [] }) },
  { rule: 'correlation-added', severity: 'info', before: stream({ correlation: [] }), after: stream() },
  { rule: 'correlation-changed', severity: 'breaking', before: stream(), after: stream({ correlation: [{ event: '*', field: 'id', equals: 'result:id' }] }) },
];

describe('channel, params, error, stream and pack rules', () => {
  for (const c of cases) it(`${c.rule} (${c.severity})`, () => check(c));

  it('stream budgets reuse the budget rules', () => {
    const changes = diffBodies(stream(), stream({ budget: { firstEventMs: 500, totalMs: 20000 } }));
    expect(changes.map((c) => `${c.rule} ${c.stream} ${c.location}`)).toEqual(['budget-tightened chat budget.firstEventMs', 'budget-loosened chat budget.totalMs']);
  });

  it('a stream with a variant field changed is reported', () => {
    const ts = (variantField: string): PackBody => ({
      transport: 'tauri',
      roots: [],
      channels: { gen: { kind: 'channel-stream', bridge: null, channelParam: 'onEvent', params: named({ onEvent: { 'x-unspecified': 'Channel' } }, ['onEvent']), returns: 'void', payload: obj({ type: { enum: ['Chunk', 'Done'] } }), errors: { style: 'tauri-string' } } },
      streams: { gen: { start: 'gen', events: ['Chunk', 'Done'], grammar: 'Chunk* Done', end: 'grammar', variantField } },
    });
    covered.add('stream-variant-field-changed');
    expect(diffBodies(ts('type'), ts('kind')).map((c) => `${c.rule} ${c.severity}`)).toEqual(['stream-variant-field-changed breaking']);
  });

  it('an optional positional param inserted before existing ones breaks callers (documented condition)', () => {
    const changes = diffBodies(withParams(p('id'), p('b', S, true)), withParams(p('id'), p('scope', S, true), p('b', S, true)));
    expect(changes.map((c) => `${c.rule} ${c.severity}`)).toEqual(['param-added-optional breaking']);
  });
});

describe('catalog', () => {
  it('every rule has a before/after pair above', () => {
    // vitest runs describe blocks in order, so `covered` is filled by the time this runs.
    const missing = catalog().map((r) => r.id).filter((id) => !covered.has(id));
    expect(missing).toEqual([]);
  });

  it('the README rule table lists every rule with its severity', () => {
    const readme = readFileSync('specs/diff/README.md', 'utf8');
    for (const r of catalog()) {
      const m = /^(param|return|payload|error-branch)-(.*)$/.exec(r.id);
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${r.id}\` |`)) ?? (m ? readme.split('\n').find((l) => l.startsWith(`| \`${m[2]}\` |`)) : undefined);
      expect(row, `README has no row for ${r.id}`).toBeDefined();
      expect(row).toContain(r.severity);
    }
  });

  it('ids are unique and kebab-case', () => {
    const ids = catalog().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});
