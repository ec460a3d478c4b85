// Handcrafted schemas for the generator tests: one per rule / format / composition case, in two
// files so cross-file `$ref`s are exercised. Shared by generate.test.ts and generate-property.test.ts.
import { createSchemaStore } from '../../specs/schema-store.ts';
import type { SchemaNode } from '../../specs/model.ts';

export const TYPES_URI = 'conform:/packs/fixture/types.yaml';
export const OTHER_URI = 'conform:/packs/fixture/other.yaml';

export const fixtureDefs: Record<string, unknown> = {
  Str: { type: 'string', minLength: 3, maxLength: 8 },
  Pattern: { type: 'string', pattern: '^[A-Z]{2}-[0-9]{3,5}$' },
  PatternAndLength: { type: 'string', pattern: '^[a-z]+$', minLength: 4, maxLength: 6 },
  Uuid: { type: 'string', format: 'uuid' },
  DateTime: { type: 'string', format: 'date-time' },
  Date: { type: 'string', format: 'date' },
  Time: { type: 'string', format: 'time' },
  Email: { type: 'string', format: 'email' },
  Uri: { type: 'string', format: 'uri' },
  Hostname: { type: 'string', format: 'hostname' },
  Ipv4: { type: 'string', format: 'ipv4' },
  Ipv6: { type: 'string', format: 'ipv6' },
  Regex: { type: 'string', format: 'regex' },
  Int: { type: 'integer', minimum: 10, maximum: 20 },
  ExclusiveNum: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
  MultipleOf: { type: 'integer', multipleOf: 7, minimum: 1, maximum: 100 },
  FloatMultiple: { type: 'number', multipleOf: 0.5, maximum: 10 },
  Const: { const: 'fixed' },
  ConstObject: { const: { a: 1 } },
  Enum: { enum: ['red', 'green', 'blue'] },
  BoolEnum: { type: 'boolean', enum: [true] },
  Nullable: { type: ['string', 'null'], minLength: 1 },
  OpenApiNullable: { type: 'integer', nullable: true },
  List: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 4, uniqueItems: true },
  Contains: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 50 }, contains: { const: 42 }, maxItems: 5 },
  Tuple: {
    type: 'array',
    prefixItems: [{ $ref: '#/$defs/Uuid' }, { type: 'string', minLength: 1 }, { type: 'boolean' }],
    minItems: 2,
    maxItems: 3,
  },
  // Positional params named through `title` (what a bridge method's parameter name gives).
  TitledTuple: {
    type: 'array',
    prefixItems: [{ $ref: '#/$defs/PlainString', title: 'clientUrl' }, { $ref: '#/$defs/PlainString', title: 'filePath' }],
    minItems: 2,
    maxItems: 2,
  },
  PlainString: { type: 'string' },
  ClosedTuple: { type: 'array', prefixItems: [{ type: 'integer' }], items: false },
  EmptyTuple: { type: 'array', prefixItems: [], minItems: 0, maxItems: 0 },
  Named: {
    type: 'object',
    properties: {
      sessionId: { type: 'string' },
      filePath: { type: 'string' },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      email: { type: 'string' },
      createdAt: { type: 'string' },
      version: { type: 'string' },
      locale: { type: 'string' },
      url: { type: 'string' },
    },
    required: ['sessionId', 'filePath', 'port'],
    additionalProperties: false,
  },
  Record: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, minProperties: 1, maxProperties: 3 },
  PatternProps: { type: 'object', patternProperties: { '^x-[a-z]+$': { type: 'string' } }, additionalProperties: false },
  Dependent: {
    type: 'object',
    properties: { card: { type: 'string' }, cvc: { type: 'string', pattern: '^[0-9]{3}$' } },
    dependentRequired: { card: ['cvc'] },
  },
  AllOf: {
    allOf: [
      { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] },
      { type: 'object', properties: { name: { type: 'string', maxLength: 5 } }, required: ['name'] },
      { properties: { id: { maximum: 3 } } },
    ],
  },
  ClosedAllOf: {
    allOf: [
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, additionalProperties: false },
      { type: 'object', properties: { a: { minLength: 2 } }, required: ['a'] },
    ],
  },
  Result: {
    oneOf: [
      {
        type: 'object',
        properties: { ok: { const: true }, data: { $ref: `${OTHER_URI}#/$defs/Item` } },
        required: ['ok', 'data'],
        additionalProperties: false,
      },
      { type: 'object', properties: { ok: { const: false }, error: { type: 'string', minLength: 1 } }, required: ['ok', 'error'] },
    ],
  },
  // Overlapping oneOf: a string of length 3..5 matches both branches, so it must be avoided.
  OverlapOneOf: { oneOf: [{ type: 'string', minLength: 3 }, { type: 'string', maxLength: 5 }] },
  AnyOfMixed: { anyOf: [{ type: 'string', format: 'email' }, { type: 'integer', minimum: 0 }, { type: 'null' }] },
  NotNull: { type: ['string', 'null'], not: { type: 'null' } },
  NotEnum: { type: 'string', enum: ['a', 'b', 'c'], not: { const: 'b' } },
  Tree: {
    type: 'object',
    properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Tree' } } },
    required: ['label', 'children'],
    additionalProperties: false,
  },
  LinkedList: { type: 'object', properties: { value: { type: 'integer' }, next: { anyOf: [{ $ref: '#/$defs/LinkedList' }, { type: 'null' }] } }, required: ['value', 'next'] },
  CrossFile: { $ref: 'other.yaml#/$defs/Item' },
  Examples: { type: 'string', examples: ['first-example', 'second-example'], default: 'the-default' },
  Unspecified: { 'x-unspecified': 'the document does not say' },
  Void: { 'x-void': true },
  VoidOrSnapshot: { anyOf: [{ $ref: `${OTHER_URI}#/$defs/Item` }, { 'x-void': true }] },
  PartlyUnspecified: {
    type: 'object',
    properties: { known: { type: 'integer' }, open: { 'x-unspecified': 'shape not given' } },
    required: ['known', 'open'],
  },
  Empty: {},
  TypeArray: { type: ['integer', 'boolean'] },
  PropertyNames: { type: 'object', propertyNames: { pattern: '^[a-z]{3}$' }, additionalProperties: { type: 'boolean' }, minProperties: 2 },
  Secret: { type: 'object', properties: { apiKey: { type: 'string', 'x-secret': true, minLength: 16 } }, required: ['apiKey'] },
};

export const otherDefs: Record<string, unknown> = {
  Item: {
    type: 'object',
    properties: { id: { $ref: '#/$defs/ItemId' }, tags: { type: 'array', items: { type: 'string', maxLength: 10 }, maxItems: 3 } },
    required: ['id'],
    additionalProperties: false,
  },
  ItemId: { type: 'string', pattern: '^item-[0-9]+$' },
};

export function fixtureStore() {
  const store = createSchemaStore([
    { uri: TYPES_URI, doc: { $defs: fixtureDefs } },
    { uri: OTHER_URI, doc: { $defs: otherDefs } },
  ]);
  const node = (name: string): SchemaNode => store.node(`${TYPES_URI}#/$defs/${name}`);
  return { store, node };
}
