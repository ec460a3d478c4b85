// Types -> JSON Schema for the extractor. Declared types from `--types` files go through
// ts-json-schema-generator (a well-kept generator; its draft-07 output is moved to 2020-12 here).
// Types written inline in the preload are converted from the checker's view by a small converter
// (the generator only handles named, exported types). Anything either cannot state becomes an
// `x-unspecified` entry with a note: never `{}`.
import ts from 'typescript';
import { createGenerator } from 'ts-json-schema-generator';

export type Schema = Record<string, unknown>;

export function unspecified(note: string): Schema {
  return { 'x-unspecified': note };
}

/** draft-07 -> 2020-12: `definitions` refs to `$defs` in types.yaml, tuple `items: [...]` to `prefixItems`. */
function to2020(v: unknown, refPrefix: string): unknown {
  if (Array.isArray(v)) return v.map((x) => to2020(x, refPrefix));
  if (!v || typeof v !== 'object') return v;
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '$ref' && typeof x === 'string' && x.startsWith('#/definitions/')) o.$ref = `${refPrefix}#/$defs/${x.slice('#/definitions/'.length)}`;
    else if (k === 'items' && Array.isArray(x)) o.prefixItems = to2020(x, refPrefix);
    else if (k === 'additionalItems') o.items = to2020(x, refPrefix);
    else if (k === '$schema') continue;
    else o[k] = to2020(x, refPrefix);
  }
  return o;
}

/** Schemas of every exported type of the files, keyed by (decoded) type name, refs pointing into types.yaml. */
export function generateTypeSchemas(files: string[]): Record<string, Schema> {
  const defs: Record<string, Schema> = {};
  for (const file of files) {
    const schema = createGenerator({ path: file, type: '*', expose: 'export', skipTypeCheck: true, jsDoc: 'basic', encodeRefs: false }).createSchema('*') as { definitions?: Record<string, unknown> };
    for (const [name, s] of Object.entries(schema.definitions ?? {})) defs[name] = to2020(s, '#') as Schema;
  }
  return defs;
}

/** Rewrites `#/$defs/X` refs of a generated schema for use from contract.yaml (`types.yaml#/$defs/X`). */
export function fromContract(s: Schema): Schema {
  return JSON.parse(JSON.stringify(s).replace(/"\$ref":"#\/\$defs\//g, '"$ref":"types.yaml#/$defs/')) as Schema;
}

/**
 * The checker's type as a schema, for params, returns and payloads. Named types that the
 * generator produced become `$ref`s; the rest is converted structurally, with a depth limit.
 */
export class TypeConverter {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly defs: Record<string, Schema>,
  ) {}

  convert(type: ts.Type, where: string, depth = 0, seen = new Set<ts.Type>()): Schema {
    const c = this.checker;
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return unspecified(`${where}: type not declared in the preload (${c.typeToString(type)})`);
    const name = (type.aliasSymbol ?? type.getSymbol())?.getName();
    if (name && this.defs[name] && !(f & ts.TypeFlags.Union && !type.aliasSymbol)) return { $ref: `types.yaml#/$defs/${name}` };
    if (f & ts.TypeFlags.StringLiteral) return { const: (type as ts.StringLiteralType).value };
    if (f & ts.TypeFlags.NumberLiteral) return { const: (type as ts.NumberLiteralType).value };
    if (f & ts.TypeFlags.BooleanLiteral) return { const: c.typeToString(type) === 'true' };
    if (f & ts.TypeFlags.String) return { type: 'string' };
    if (f & ts.TypeFlags.Number) return { type: 'number' };
    if (f & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (f & ts.TypeFlags.Null) return { type: 'null' };
    if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return { 'x-void': true };
    if (type.isUnion()) {
      const parts = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
      if (parts.length === 1) return this.convert(parts[0]!, where, depth, seen);
      const lits = parts.filter((t) => t.flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral));
      if (lits.length === parts.length) return { enum: lits.map((t) => (t as ts.LiteralType).value) };
      if (parts.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
      return { anyOf: parts.map((t) => this.convert(t, where, depth + 1, seen)) };
    }
    if (depth > 6 || seen.has(type)) return unspecified(`${where}: ${c.typeToString(type)} is recursive or too deep to inline; declare it in a --types file`);
    if (c.isArrayType(type)) {
      const [item] = c.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: item ? this.convert(item, where, depth + 1, new Set([...seen, type])) : unspecified(`${where}: array item type`) };
    }
    if (c.isTupleType(type)) {
      const items = c.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', prefixItems: items.map((t) => this.convert(t, where, depth + 1, new Set([...seen, type]))), minItems: items.length, maxItems: items.length };
    }
    if (f & ts.TypeFlags.Object) {
      if (type.getCallSignatures().length) return unspecified(`${where}: a function (${c.typeToString(type)}) cannot cross IPC`);
      if (name === 'Date' || name === 'Map' || name === 'Set' || name === 'Promise') return unspecified(`${where}: ${c.typeToString(type)} has no JSON Schema form here`);
      const props: Record<string, Schema> = {};
      const required: string[] = [];
      for (const p of c.getPropertiesOfType(type)) {
        const decl = p.valueDeclaration ?? p.declarations?.[0];
        const pt = decl ? c.getTypeOfSymbolAtLocation(p, decl) : c.getDeclaredTypeOfSymbol(p);
        props[p.getName()] = this.convert(pt, `${where}.${p.getName()}`, depth + 1, new Set([...seen, type]));
        if (!(p.flags & ts.SymbolFlags.Optional)) required.push(p.getName());
      }
      const out: Schema = { type: 'object', properties: props };
      if (required.length) out.required = required;
      const index = c.getIndexTypeOfType(type, ts.IndexKind.String);
      if (index) out.additionalProperties = this.convert(index, `${where}[key]`, depth + 1, new Set([...seen, type]));
      return out;
    }
    return unspecified(`${where}: ${c.typeToString(type)} is not converted`);
  }
}
