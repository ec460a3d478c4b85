// Types -> JSON Schema for the extractor. Declared types from `--types` files go through
// ts-json-schema-generator (a well-kept generator; its draft-07 output is moved to 2020-12 here).
// Types written inline in the preload are converted from the checker's view by a small converter
// (the generator only handles named, exported types). Anything either cannot state becomes an
// `x-unspecified` entry with a note: never `{}`.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import ts from 'typescript';
import { createGenerator } from 'ts-json-schema-generator';

export type Schema = Record<string, unknown>;

export function unspecified(note: string): Schema {
  return { 'x-unspecified': note };
}

/** draft-07 -> 2020-12: `definitions` refs to `$defs` in types.yaml, tuple `items: [...]` to `prefixItems`. */
export function to2020(v: unknown, refPrefix: string): unknown {
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

/**
 * Schemas of every exported type of the files, keyed by (decoded) type name, refs pointing into
 * types.yaml. A type the generator cannot convert (a node kind it does not know, such as an
 * import type) becomes an `x-unspecified` entry naming the type, the node and file:line; the
 * other types are still generated.
 */
export function generateTypeSchemas(files: string[]): { defs: Record<string, Schema>; warnings: string[] } {
  const defs: Record<string, Schema> = {};
  const warnings: string[] = [];
  for (const file of files) {
    let generator: ReturnType<typeof createGenerator>;
    try {
      generator = createGenerator({ path: file, type: '*', expose: 'export', skipTypeCheck: true, jsDoc: 'basic', encodeRefs: false });
    } catch (err) {
      warnings.push(`${relative(process.cwd(), file) || file}: ts-json-schema-generator cannot read it (${generatorFailure(err)}); its types are not in types.yaml`);
      continue;
    }
    let all: { definitions?: Record<string, unknown> } | undefined;
    let allErr: unknown;
    try {
      all = generator.createSchema('*') as typeof all;
    } catch (err) {
      // One bad type spoils '*': generate type by type so the rest survives.
      allErr = err;
    }
    const generated = all?.definitions ?? {};
    if (!all) {
      for (const [name, decl] of exportedTypes(file)) {
        // Generic declarations are no roots; their instances are converted where they are used.
        if (generated[name] || ((ts.isTypeAliasDeclaration(decl) || ts.isInterfaceDeclaration(decl)) && decl.typeParameters?.length)) continue;
        try {
          Object.assign(generated, (generator.createSchema(name) as { definitions?: Record<string, unknown> }).definitions ?? {});
        } catch (err) {
          const allNode = (allErr as { node?: ts.Node } | undefined)?.node;
          const inside = allNode && allNode.getSourceFile?.()?.fileName === decl.getSourceFile().fileName && allNode.pos >= decl.pos && allNode.end <= decl.end;
          const what = ts.isTypeAliasDeclaration(decl) ? ` (its type is a node of kind ${kindName(decl.type.kind)})` : '';
          const note = `type ${name} (${declaredAt(decl)})${what}: ${generatorFailure(inside ? allErr : err)}; declare it with types JSON Schema can state`;
          generated[name] = unspecified(note);
          warnings.push(note);
        }
      }
    }
    for (const [name, s] of Object.entries(generated)) defs[name] = to2020(s, '') as Schema;
  }
  return { defs, warnings };
}

/** Exported type aliases, interfaces, enums and classes of a file, with their declarations. */
function exportedTypes(file: string): [string, ts.Node][] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: [string, ts.Node][] = [];
  for (const st of sf.statements) {
    const exported = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && (ts.isTypeAliasDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isEnumDeclaration(st) || ts.isClassDeclaration(st)) && st.name) out.push([st.name.text, st]);
  }
  return out;
}

/** `file:line` of a node. */
export function declaredAt(n: ts.Node): string {
  const sf = n.getSourceFile();
  return `${relative(process.cwd(), sf.fileName) || sf.fileName}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
}

/** SyntaxKind names share values (ImportType prints as LastTypeNode): name the node by what it is. */
export function kindName(kind: ts.SyntaxKind): string {
  const names = Object.entries(ts.SyntaxKind).filter(([k, v]) => v === kind && !/^(First|Last)/.test(k)).map(([k]) => k);
  return names[0] ?? ts.SyntaxKind[kind];
}

/** What the generator choked on, with the node's kind and place when it says. */
function generatorFailure(err: unknown): string {
  const node = (err as { node?: ts.Node }).node;
  if (node && typeof node.kind === 'number') {
    let where = '';
    try {
      where = ` at ${declaredAt(node)}`;
    } catch {
      // nodes from the generator's own program may lack a source file
    }
    return `ts-json-schema-generator cannot convert a node of kind ${kindName(node.kind)}${where}`;
  }
  return `ts-json-schema-generator failed (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
}

/** Rewrites `#/$defs/X` refs of a generated schema for use from contract.yaml (`types.yaml#/$defs/X`). */
export function fromContract(s: Schema): Schema {
  return JSON.parse(JSON.stringify(s).replace(/"\$ref":"#\/\$defs\//g, '"$ref":"types.yaml#/$defs/')) as Schema;
}

/** Where named schemas live: type name -> `$ref` (zod.yaml, imported JSON Schema files, types.yaml). */
export type NamedSchemas = Map<string, string>;

/** Zod inference helpers whose first type argument (`typeof Schema`) names the schema. */
const ZOD_INFER = new Set(['infer', 'output', 'input', 'TypeOf', 'Infer']);

/**
 * The checker's type as a schema, for params, returns and payloads. Named types that have a
 * schema elsewhere become `$ref`s; the rest is converted structurally, with a depth limit.
 */
export class TypeConverter {
  /** `file:line` of what is being converted, for notes on types declared nowhere (template literals...). */
  usedAt = '';

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly named: NamedSchemas,
  ) {}

  /** The `$ref` for a named type, if some schema file states it. */
  private refFor(type: ts.Type): string | undefined {
    const alias = type.aliasSymbol;
    if (alias && ZOD_INFER.has(alias.getName()) && type.aliasTypeArguments?.[0]) {
      const schemaName = type.aliasTypeArguments[0].getSymbol()?.getName();
      const ref = schemaName ? this.named.get(schemaName) : undefined;
      if (ref) return ref;
    }
    // A generic instance (`ApiResult<Model>`) is not its bare generic declaration.
    const generic = !!type.aliasTypeArguments?.length || (!!(type.flags & ts.TypeFlags.Object) && !!this.checker.getTypeArguments(type as ts.TypeReference).length);
    if (generic) return this.named.get(this.checker.typeToString(type));
    const name = (alias ?? (type.flags & ts.TypeFlags.Union ? undefined : type.getSymbol()))?.getName();
    return name ? this.named.get(name) : undefined;
  }

  /**
   * Like `convert`, but first reads the type as written (`NoteInput`, `z.infer<typeof Settings>`,
   * `Promise<Note[]>`): the checker expands aliases such as Zod's inferred types to anonymous
   * objects, and the name is what links a type to a schema file.
   */
  convertWritten(node: ts.TypeNode | undefined, type: ts.Type, where: string): Schema {
    return (node && this.fromWritten(node)) ?? this.convert(type, where);
  }

  private fromWritten(node: ts.TypeNode): Schema | undefined {
    if (ts.isParenthesizedTypeNode(node)) return this.fromWritten(node.type);
    if (ts.isArrayTypeNode(node)) {
      const items = this.fromWritten(node.elementType);
      return items && { type: 'array', items };
    }
    if (ts.isUnionTypeNode(node)) {
      const kept = node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword && t.kind !== ts.SyntaxKind.VoidKeyword);
      const parts = kept.map((t) => (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword ? { type: 'null' } : this.fromWritten(t)));
      if (parts.some((x) => !x)) return undefined;
      return parts.length === 1 ? parts[0] : { anyOf: parts as Schema[] };
    }
    if (!ts.isTypeReferenceNode(node)) return undefined;
    const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
    const [arg] = node.typeArguments ?? [];
    if (name === 'Promise' && arg) return this.fromWritten(arg);
    if (ZOD_INFER.has(name) && arg && ts.isTypeQueryNode(arg)) {
      const q = arg.exprName;
      const ref = this.named.get(ts.isIdentifier(q) ? q.text : q.right.text);
      return ref ? { $ref: ref } : undefined;
    }
    // A type parameter of a wrapper is not the schema of the same name.
    if (node.typeArguments?.length || this.checker.getTypeAtLocation(node).flags & ts.TypeFlags.TypeParameter) return undefined;
    const ref = this.named.get(name);
    return ref ? { $ref: ref } : undefined;
  }

  convert(type: ts.Type, where: string, depth = 0, seen = new Set<ts.Type>()): Schema {
    try {
      return this.convertType(type, where, depth, seen);
    } catch (err) {
      // The checker can throw on types it only half resolved; one entry, not the whole draft.
      return unspecified(`${where}: ${this.checker.typeToString(type)} could not be converted (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  private convertType(type: ts.Type, where: string, depth: number, seen: Set<ts.Type>): Schema {
    const c = this.checker;
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return unspecified(`${where}: type not declared in the preload (${c.typeToString(type)})`);
    const ref = this.refFor(type);
    if (ref) return { $ref: ref };
    const name = (type.aliasSymbol ?? type.getSymbol())?.getName();
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
      const bools = parts.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral);
      // `string | boolean` is a union of string, true and false: keep boolean whole.
      const rest = bools.length === 2 ? [...parts.filter((t) => !(t.flags & ts.TypeFlags.BooleanLiteral)).map((t) => this.convert(t, where, depth + 1, seen)), { type: 'boolean' }] : parts.map((t) => this.convert(t, where, depth + 1, seen));
      return { anyOf: rest };
    }
    if (depth > 6 || seen.has(type)) return unspecified(`${where}: ${c.typeToString(type)} is recursive or too deep to inline; declare it in a --types file`);
    const inner = new Set([...seen, type]);
    if (type.isIntersection()) {
      // A branded primitive (`string & { __brand: 'Id' }`) is the primitive on the wire.
      const prims = type.types.filter((t) => t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike));
      if (prims.length === 1) return this.convert(prims[0]!, where, depth, seen);
      // Objects merge into one (getPropertiesOfType merges the members of every part).
      if (type.types.every((t) => t.flags & ts.TypeFlags.Object)) return this.objectSchema(type, where, depth, inner);
      return { allOf: type.types.map((t) => this.convert(t, where, depth + 1, inner)) };
    }
    if (c.isArrayType(type)) {
      const [item] = c.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: item ? this.convert(item, where, depth + 1, inner) : unspecified(`${where}: array item type`) };
    }
    if (c.isTupleType(type)) {
      const items = c.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', prefixItems: items.map((t) => this.convert(t, where, depth + 1, inner)), minItems: items.length, maxItems: items.length };
    }
    if (f & ts.TypeFlags.Object) {
      if (type.getCallSignatures().length) return unspecified(`${where}: a function (${c.typeToString(type)}) cannot cross IPC`);
      if (name === 'Date' || name === 'Map' || name === 'Set' || name === 'Promise') return unspecified(`${where}: ${c.typeToString(type)} has no JSON Schema form here`);
      return this.objectSchema(type, where, depth, inner);
    }
    const decl = (type.aliasSymbol ?? type.getSymbol())?.declarations?.[0];
    return unspecified(`${where}: ${c.typeToString(type)} (a ${typeKind(type)} type${decl ? ` declared at ${declaredAt(decl)}` : this.usedAt ? ` used at ${this.usedAt}` : ''}) is not converted`);
  }

  private objectSchema(type: ts.Type, where: string, depth: number, inner: Set<ts.Type>): Schema {
    const c = this.checker;
    const props: Record<string, Schema> = {};
    const required: string[] = [];
    for (const p of c.getPropertiesOfType(type)) {
      const pt = c.getTypeOfSymbol(p);
      props[p.getName()] = this.convert(pt, `${where}.${p.getName()}`, depth + 1, inner);
      if (!(p.flags & ts.SymbolFlags.Optional)) required.push(p.getName());
    }
    const out: Schema = { type: 'object', properties: props };
    if (required.length) out.required = required;
    const index = c.getIndexTypeOfType(type, ts.IndexKind.String);
    if (index) out.additionalProperties = this.convert(index, `${where}[key]`, depth + 1, inner);
    return out;
  }
}

/** The TypeFlags names of a type the converter does not know (`Conditional`, `TemplateLiteral`, `ESSymbol`...). */
function typeKind(type: ts.Type): string {
  const names = Object.entries(ts.TypeFlags).filter(([k, v]) => typeof v === 'number' && (v & (v - 1)) === 0 && type.flags & v && !/Like$|^(Primitive|Unit)/.test(k)).map(([k]) => k);
  return names.join('/') || 'unknown';
}
