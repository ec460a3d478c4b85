// Schemas teams already have, brought into a draft pack as schema files: exported Zod schemas
// (converted by Zod's own `z.toJSONSchema`) and JSON Schema files written by other tools
// (specta, typescript-json-schema, quicktype...). Each becomes one `<name>.yaml` of the pack with
// its `$defs`; a type of the preload with the same name then becomes a `$ref` to it.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod';
import { to2020 } from './schemas.ts';
import type { Schema } from './schemas.ts';

export interface SchemaFile {
  /** File name inside the pack (`zod.yaml`, `settings.yaml`). */
  file: string;
  /** Where it came from, for its header comment and notes. */
  source: string;
  defs: Record<string, Schema>;
}

/** A clear one-paragraph failure to read a schema source (the CLI turns it into exit 2). */
export class SchemaImportError extends Error {}

/** Names a type may carry for a def: `NoteInput` for `NoteInputSchema` / `noteInputSchema` too. */
export function aliasesOf(defName: string): string[] {
  const m = /^(.+?)Schema$/.exec(defName);
  if (!m) return [defName];
  const base = m[1]!;
  return [defName, base, base[0]!.toUpperCase() + base.slice(1)];
}

// Zod types with no JSON form: marked as unknowns rather than dropped to `{}`.
const UNREPRESENTABLE = new Set(['date', 'bigint', 'symbol', 'undefined', 'void', 'map', 'set', 'function', 'transform', 'custom', 'nan']);

function isZodSchema(v: unknown): v is z.ZodType {
  return !!v && typeof v === 'object' && '_zod' in v && typeof (v as { _zod?: { def?: unknown } })._zod?.def === 'object';
}

export async function importZodModule(module: string): Promise<SchemaFile> {
  const path = resolve(module);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw new SchemaImportError(`--zod ${module}: the module could not be loaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)}). Give a JavaScript or TypeScript module whose exports are Zod 4 schemas.`);
  }
  const registry = z.registry<{ id: string }>();
  const legacy: string[] = [];
  let count = 0;
  for (const [name, v] of Object.entries(mod)) {
    if (name === 'default') continue;
    if (isZodSchema(v) && !registry.has(v)) {
      registry.add(v, { id: name });
      count++;
    }
    else if (v && typeof v === 'object' && '_def' in v && 'safeParse' in v) legacy.push(name);
  }
  if (count === 0) {
    throw new SchemaImportError(`--zod ${module}: no exported Zod 4 schema found${legacy.length ? ` (${legacy.join(', ')} look like Zod 3 schemas: import them from 'zod/v4' or upgrade to Zod 4)` : ''}. Export the schemas the app's IPC validates with, e.g. \`export const NoteInput = z.object({...})\`.`);
  }
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    // Params are what the renderer sends: the input side of transforms and defaults.
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/$defs/${id}`,
    override: (ctx) => {
      const type = (ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def.type;
      if (UNREPRESENTABLE.has(type)) {
        const note = `Zod ${type} has no JSON Schema form (converted by z.toJSONSchema from ${basename(module)})`;
        for (const k of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[k];
        ctx.jsonSchema['x-unspecified'] = note;
      }
    },
  });
  const defs: Record<string, Schema> = {};
  for (const [id, s] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = s as Schema;
    defs[id] = rest;
  }
  return { file: 'zod.yaml', source: `Zod schemas of ${basename(module)} (z.toJSONSchema, io: input)`, defs };
}

/**
 * A JSON Schema file from another tool: its `$defs` (2020-12) or `definitions` (draft-07), and a
 * root schema that states a type becomes a def named by its `title` (else the file name).
 */
export function importJsonSchemaFile(file: string): SchemaFile {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SchemaImportError(`--schema ${file}: not a readable JSON file (${err instanceof Error ? err.message : String(err)}).`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new SchemaImportError(`--schema ${file}: a JSON Schema file must hold an object.`);
  const d = to2020(doc, '') as Schema;
  const defs: Record<string, Schema> = { ...((d.$defs as Record<string, Schema> | undefined) ?? {}), ...((d.definitions as Record<string, Schema> | undefined) ?? {}) };
  const stem = basename(file).replace(/(\.schema)?\.json$/i, '');
  const { $defs: _d, definitions: _x, $id: _id, $ref: rootRef, title, ...root } = d;
  const rootStates = ['type', 'properties', 'anyOf', 'oneOf', 'allOf', 'enum', 'const'].some((k) => k in root);
  const rootName = typeof title === 'string' && /^[A-Za-z_][\w]*$/.test(title) ? title : stem;
  if (rootStates && !defs[rootName]) defs[rootName] = { ...root, ...(typeof title === 'string' ? { title } : {}) };
  else if (typeof rootRef === 'string' && !defs[rootName]) defs[rootName] = { $ref: rootRef };
  if (Object.keys(defs).length === 0) throw new SchemaImportError(`--schema ${file}: no schema found (no $defs, no definitions, no root type).`);
  // draft-07 `definitions` refs were moved to `$defs` by to2020; nothing else points outside.
  return { file: `${stem.replace(/[^\w.-]/g, '-')}.yaml`, source: `JSON Schema file ${basename(file)}`, defs };
}
