// The schema store: every schema of a pack (and of the packs it includes or refers to), compiled
// once with ajv (JSON Schema 2020-12) and validated many times. Schemas keep the URI of the YAML
// file they were written in (`conform:/packs/<pack>/<file>.yaml#/<json pointer>`), so `$ref`s
// resolve within a file, across the files of a pack and across packs without copying anything.
import Ajv2020Import from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { dereference, format as interpreterFormats, validate as interpret } from '@cfworker/json-schema';
import type { Schema as CfSchema } from '@cfworker/json-schema';
import { ContractError } from './model.ts';
import type { JsonSchema, SchemaNode, SchemaStore, SourcePos, ValidationIssue } from './model.ts';

// ajv and ajv-formats are CommonJS; depending on the loader the default import is the module
// object or the export itself.
type Ajv2020Class = typeof Ajv2020Import;
const Ajv2020: Ajv2020Class =
  ((Ajv2020Import as unknown as { default?: Ajv2020Class }).default ?? Ajv2020Import);
type AddFormats = typeof addFormatsImport;
const addFormats: AddFormats =
  ((addFormatsImport as unknown as { default?: AddFormats }).default ?? addFormatsImport);
export type Ajv = InstanceType<Ajv2020Class>;

/** Conform's annotation keywords (see specs/README.md, "Annotations"). */
export const ANNOTATION_KEYWORDS = ['x-unspecified', 'x-secret', 'x-guard', 'x-void', 'x-assumed', 'x-exact'] as const;

/**
 * Top-level keys of a contract file. The store registers whole YAML files as ajv documents so that
 * JSON pointers into them (`#/channels/<name>/returns`) resolve; ajv compiles a document's root
 * when it resolves a pointer into it, so strict mode must know these keys. They validate nothing.
 */
const CONTRACT_ROOT_KEYS = ['conform', 'app', 'transport', 'source', 'bridge', 'window', 'include', 'channels', 'streams', 'collections', 'notes', 'invalidParams', 'assumed'];

export interface SchemaFile {
  /** Absolute file URI without fragment, e.g. `conform:/packs/clawdesk/types.yaml`. */
  uri: string;
  /** The parsed YAML document (plain JS data). */
  doc: unknown;
  /** Source position of the node at a JSON pointer ('' = root) of this file, if known. */
  posOf?: (pointer: string) => SourcePos | undefined;
}

export interface ConformSchemaStore extends SchemaStore {
  /** The schema at an absolute URI (`<file uri>#<json pointer>` or a registered URI). Throws ContractError if absent. */
  node(uri: string): SchemaNode;
  /** Register a schema built in code (e.g. a channel's args tuple) under a fragment-less URI. */
  register(uri: string, schema: JsonSchema): SchemaNode;
  /** Add one more file (e.g. a schema file of another pack that a `$ref` reaches). */
  addFile(file: SchemaFile): void;
  hasFile(uri: string): boolean;
  /** The file entry (document and positions) for a file URI, if in the store. */
  file(uri: string): SchemaFile | undefined;
  /** URIs of the files in the store. */
  fileUris(): string[];
  /** The compiled validator for a node (compiled on first use, then cached). Throws ajv's error if the schema is bad. */
  validator(node: SchemaNode): ValidateFunction;
  /**
   * Tiered (see `validate` below, "Tiered validation"): a schema's first uses are judged by the
   * interpreter where it judges like ajv and the value is plain JSON; an invalid value, and every
   * use from the COMPILE_AFTER-th on, goes to ajv. Verdict and issues are always ajv's.
   */
  validate(node: SchemaNode, value: unknown): { valid: boolean; issues: ValidationIssue[] };
  precompile(node: SchemaNode): void;
  /**
   * `validate` for a value checked once (an `examples` entry): without compiling where the
   * interpreter (@cfworker/json-schema) judges like ajv. Only "valid" is taken from the
   * interpreter; "invalid", and every schema it cannot judge like ajv, goes to ajv, so the verdict
   * and the issues are always ajv's. Compiling costs ~0.5 ms and ~80 KB per schema: a pack with
   * thousands of examples spent most of its load compiling schemas to check one value each.
   */
  validateOnce(node: SchemaNode, value: unknown): { valid: boolean; issues: ValidationIssue[] };
  /** The absolute URI a `$ref` written at `baseUri` points at (ajv's resolver, remembered). */
  targetUri(ref: string, baseUri: string): string;
  /** The ajv instance (shared by everything using this store). */
  readonly ajv: Ajv;
}

export function createAjv(): Ajv {
  const ajv = new Ajv2020({
    allErrors: true,
    // parentSchema on each error: the checks read `x-assumed` / `x-exact` next to the broken keyword.
    verbose: true,
    // Strict schema mode catches typos such as `additionalProperty`; the type/tuple checks of
    // strict mode reject legal schemas (optional positional params, `type` beside `anyOf`).
    strict: false,
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    validateFormats: true,
    logger: false,
    // Unoptimized code validates the same; compiling it is ~16% cheaper, which is most of what
    // `spec lint` and every command's start spend (each pack schema is compiled once per process).
    code: { optimize: false },
  });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'x-unspecified' }); // any value: a note on what the document leaves open
  ajv.addKeyword({ keyword: 'x-secret', metaSchema: { type: 'boolean' } });
  ajv.addKeyword({
    keyword: 'x-guard',
    metaSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        pathUnder: { type: 'string', minLength: 1 },
        schemes: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        hosts: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        maxBytes: { type: 'integer', minimum: 0 },
      },
    },
  });
  // Annotations the checks read (a violation under `x-assumed` is a warning; `x-exact` closes an object).
  ajv.addKeyword({ keyword: 'x-assumed', metaSchema: { type: 'string', minLength: 1 } });
  ajv.addKeyword({ keyword: 'x-exact', metaSchema: { type: 'boolean' } });
  // `x-void: true`: the value must be `undefined` (a Promise<void> result, Rust `()`).
  ajv.addKeyword({
    keyword: 'x-void',
    metaSchema: { type: 'boolean' },
    errors: false,
    validate: (schema: boolean, data: unknown) => !schema || data === undefined,
  });
  for (const keyword of CONTRACT_ROOT_KEYS) ajv.addKeyword({ keyword });
  return ajv;
}

/** Split `<file>#<fragment>` into the file URI and the (decoded) JSON pointer. */
export function splitUri(uri: string): { file: string; pointer: string } {
  const hash = uri.indexOf('#');
  if (hash < 0) return { file: uri, pointer: '' };
  return { file: uri.slice(0, hash), pointer: decodeURIComponent(uri.slice(hash + 1)) };
}

/** A JSON pointer from path segments (RFC 6901 escaping). */
export function toPointer(segments: (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Path segments from a JSON pointer. */
export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`not a JSON pointer: ${pointer}`);
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `<file uri>#<pointer>`, percent-encoding only what a URI fragment cannot hold. */
export function pointerUri(fileUri: string, segments: (string | number)[]): string {
  const pointer = toPointer(segments);
  return `${fileUri}#${pointer.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/g, (c) => encodeURIComponent(c))}`;
}

function getAt(doc: unknown, segments: string[]): { found: boolean; value: unknown } {
  let cur: unknown = doc;
  for (const seg of segments) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(seg) || Number(seg) >= cur.length) return { found: false, value: undefined };
      cur = cur[Number(seg)];
    } else if (cur !== null && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, seg)) {
      cur = (cur as Record<string, unknown>)[seg];
    } else {
      return { found: false, value: undefined };
    }
  }
  return { found: true, value: cur };
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'boolean' || (value !== null && typeof value === 'object' && !Array.isArray(value));
}

/** `x-assumed` / `x-exact` of the schema node holding a broken keyword. */
function annotationsOf(parent: unknown): Pick<ValidationIssue, 'assumed' | 'exact'> {
  if (!parent || typeof parent !== 'object') return {};
  const p = parent as Record<string, unknown>;
  return {
    ...(typeof p['x-assumed'] === 'string' ? { assumed: p['x-assumed'] } : {}),
    ...(p['x-exact'] === true ? { exact: true } : {}),
  };
}

export function toIssues(errors: ErrorObject[] | null | undefined): ValidationIssue[] {
  return (errors ?? []).map((e) => ({
    path: e.instancePath,
    keyword: e.keyword,
    ...annotationsOf(e.parentSchema),
    message:
      e.keyword === 'additionalProperties'
        ? `must NOT have additional property '${(e.params as { additionalProperty: string }).additionalProperty}'`
        : e.keyword === 'required'
          ? `must have required property '${(e.params as { missingProperty: string }).missingProperty}'`
          : (e.message ?? e.keyword),
  }));
}

// ------------------------------------------------------------------ the interpreter (validateOnce)

/** ajv-formats' numeric formats (int32, float, ...): the interpreter checks formats of strings only. */
const NUMERIC_FORMATS = new Set<string>();
let formatsAligned = false;

/** The interpreter's `format` table made ajv's (same functions), so both judge every string format alike. */
function alignInterpreterFormats(ajv: Ajv): void {
  if (formatsAligned) return;
  formatsAligned = true;
  const table = interpreterFormats as Record<string, (s: string) => boolean>;
  for (const [name, def] of Object.entries(ajv.formats)) {
    const f = typeof def === 'object' && !(def instanceof RegExp) ? def : { validate: def };
    if ('type' in f && f.type === 'number') {
      NUMERIC_FORMATS.add(name);
      continue;
    }
    const v = f.validate as RegExp | ((s: string) => boolean) | boolean;
    table[name] = v instanceof RegExp ? (s) => v.test(s) : typeof v === 'function' ? (s) => v(s) : () => true;
  }
}

/**
 * A keyword the interpreter does not judge as ajv does: ajv-only keywords, numeric formats, a
 * fractional `multipleOf` (which it rounds). A schema that holds or reaches one is left to ajv.
 */
function judgedOnlyByAjv(key: string, value: unknown): boolean {
  return (
    key === 'x-void' || key === '$dynamicRef' || key === '$dynamicAnchor' || key === 'unevaluatedProperties' || key === 'unevaluatedItems' ||
    (key === 'format' && typeof value === 'string' && NUMERIC_FORMATS.has(value)) ||
    (key === 'multipleOf' && typeof value === 'number' && !Number.isInteger(value))
  );
}

// ------------------------------------------------------------------ tiered validation

/**
 * Uses of a schema judged by the interpreter before it is compiled. Compiling costs ~0.3-1 ms per
 * schema; the interpreter judges a small value in ~10 us, compiled code in ~1 us. The mock
 * validates each channel's schemas a few times per call (generated candidates, answers, params):
 * a run that calls each channel a few times never pays for compiling what it only used a few
 * times, and a schema used often is compiled once and validated many times.
 */
export const COMPILE_AFTER_USES = 24;

/**
 * Whether a value is plain JSON (what the interpreter judges as ajv does): no `undefined` (ajv's
 * `required` counts an undefined property as missing, the interpreter as present), no NaN or
 * Infinity (ajv's strictNumbers), no Date, Map, BigInt or class instances, not deeper than 64.
 */
export function isPlainJson(v: unknown, depth = 0): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'object': {
      if (v === null) return true;
      if (depth >= 64) return false;
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype) return false;
        for (let i = 0; i < v.length; i++) if (!isPlainJson(v[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const k in v) if (!isPlainJson((v as Record<string, unknown>)[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

export function createSchemaStore(files: SchemaFile[]): ConformSchemaStore {
  const ajv = createAjv();
  alignInterpreterFormats(ajv);
  const docs = new Map<string, SchemaFile>();
  const registered = new Map<string, SchemaNode>();
  const validators = new Map<string, ValidateFunction>();
  // The interpreter's schemas by absolute URI; null if a file cannot be indexed (ajv judges all then).
  let interpreted: Record<string, CfSchema | boolean> | null = Object.create(null) as Record<string, CfSchema | boolean>;

  // Files reach the interpreter when the first example is checked (a pack may have none).
  const notInterpreted: [string, unknown][] = [];
  function interpreterWithFiles(): Record<string, CfSchema | boolean> | null {
    for (const [uri, doc] of notInterpreted.splice(0)) interpretFile(uri, doc);
    return interpreted;
  }

  function interpretFile(uri: string, doc: unknown): void {
    if (!interpreted) return;
    try {
      // dereference indexes every subschema by URI and marks each with non-enumerable
      // properties (__absolute_uri__, __absolute_ref__), invisible to ajv and to the loader.
      dereference(doc as object, interpreted, new URL(uri));
    } catch {
      interpreted = null; // e.g. two subschemas under one URI: leave such packs to ajv
    }
  }

  // Whether the interpreter judges a schema and everything it reaches like ajv, by URI. A "no" is
  // final; a "yes" is kept once the outermost walk ends with "yes" (inside a $ref cycle, a "yes"
  // only holds if the whole cycle says yes).
  const likeAjv = new Map<string, boolean>();
  function judgesLikeAjv(n: SchemaNode): boolean {
    const walking = new Set<string>();
    const judge = (uri: string, schema: unknown): boolean => {
      const known = likeAjv.get(uri);
      if (known !== undefined) return known;
      if (walking.has(uri)) return true; // a cycle: what it holds is being walked
      walking.add(uri);
      const ok = walk(schema, uri);
      if (!ok) likeAjv.set(uri, false);
      return ok;
    };
    const walk = (value: unknown, base: string): boolean => {
      if (Array.isArray(value)) return value.every((v) => walk(v, base));
      if (value === null || typeof value !== 'object') return true;
      for (const [k, v] of Object.entries(value)) {
        if (judgedOnlyByAjv(k, v)) return false;
        if (k === '$ref' && typeof v === 'string') {
          let target: SchemaNode;
          let uri: string;
          try {
            uri = targetUri(v, base);
            // A target judged before needs no node (each `node` builds one).
            const known = likeAjv.get(uri);
            if (known !== undefined) {
              if (!known) return false;
              continue;
            }
            target = node(uri);
          } catch {
            return false;
          }
          if (!judge(target.uri, target.schema)) return false;
        } else if (!walk(v, base)) return false;
      }
      return true;
    };
    try {
      const ok = judge(n.uri, n.schema);
      if (ok) for (const uri of walking) likeAjv.set(uri, true);
      return ok;
    } catch {
      return false; // a chain of refs too deep to walk: ajv judges
    }
  }

  // Files reach ajv when something is first compiled: adding one walks all of it (~0.1 s per MB),
  // which a lint (that compiles nothing) need not pay.
  const notInAjv: SchemaFile[] = [];
  function ajvWithFiles(): Ajv {
    // The document itself is not meta-validated here: it holds non-schema parts (channels...);
    // the loader meta-validates each schema inside it with positions.
    for (const f of notInAjv.splice(0)) ajv.addSchema(f.doc as object, f.uri, undefined, false);
    return ajv;
  }

  function addFile(file: SchemaFile): void {
    const uri = splitUri(file.uri).file;
    if (docs.has(uri)) throw new Error(`schema file registered twice: ${uri}`);
    docs.set(uri, { ...file, uri });
    notInAjv.push({ ...file, uri });
    notInterpreted.push([uri, file.doc]);
  }
  for (const f of files) addFile(f);

  function node(uri: string): SchemaNode {
    const reg = registered.get(uri);
    if (reg) return reg;
    const { file, pointer } = splitUri(uri);
    const entry = docs.get(file);
    if (!entry) throw new ContractError(`no schema file ${file} (reference ${uri})`);
    let segments: string[];
    try {
      segments = fromPointer(pointer);
    } catch {
      throw new ContractError(`unsupported reference ${uri}: only JSON pointer fragments (#/...) are supported`);
    }
    const { found, value } = getAt(entry.doc, segments);
    if (!found) throw new ContractError(`nothing at ${uri}`);
    if (!isSchema(value)) throw new ContractError(`${uri} is not a schema (an object or a boolean)`);
    // The place is looked up when read: it needs the file's positions, parsed only when asked for.
    const at = entry.posOf;
    const n = { uri, schema: value } as SchemaNode;
    if (at) Object.defineProperty(n, 'pos', { enumerable: true, configurable: true, get: () => at(pointer) });
    return n;
  }

  function register(uri: string, schema: JsonSchema): SchemaNode {
    if (uri.includes('#')) throw new Error(`register: URI must not have a fragment: ${uri}`);
    if (registered.has(uri) || docs.has(uri)) throw new Error(`register: URI already in the store: ${uri}`);
    ajv.addSchema(schema as object, uri);
    notInterpreted.push([uri, schema]);
    const n: SchemaNode = { uri, schema };
    registered.set(uri, n);
    return n;
  }

  function validator(n: SchemaNode): ValidateFunction {
    let v = validators.get(n.uri);
    if (v) return v;
    const known = registered.has(n.uri) || docs.has(splitUri(n.uri).file);
    if (known) {
      v = ajvWithFiles().getSchema(n.uri);
      if (!v) throw new ContractError(`cannot compile schema ${n.uri}`);
    } else {
      // A node built elsewhere: compile it on its own (its relative $refs resolve against its URI).
      v = ajvWithFiles().compile({ ...(typeof n.schema === 'boolean' ? (n.schema ? {} : { not: {} }) : n.schema) });
    }
    validators.set(n.uri, v);
    return v;
  }

  /** ajv's verdict and issues (compiling on first use). */
  function validateCompiled(n: SchemaNode, value: unknown): { valid: boolean; issues: ValidationIssue[] } {
    const v = validator(n);
    const valid = v(value) as boolean;
    return { valid, issues: valid ? [] : toIssues(v.errors) };
  }

  // Uses of each not yet compiled schema, by URI (tiered validation).
  const uses = new Map<string, number>();
  function validate(n: SchemaNode, value: unknown): { valid: boolean; issues: ValidationIssue[] } {
    if (!validators.has(n.uri)) {
      const used = (uses.get(n.uri) ?? 0) + 1;
      uses.set(n.uri, used);
      if (used < COMPILE_AFTER_USES && interpretedValid(n, value)) return { valid: true, issues: [] };
    }
    return validateCompiled(n, value);
  }

  /** The interpreter's answer where it has one: true (valid), else undefined (ask ajv). */
  function interpretedValid(n: SchemaNode, value: unknown): true | undefined {
    if (!isPlainJson(value)) return undefined;
    const interpreted = interpreterWithFiles();
    if (!interpreted || !judgesLikeAjv(n)) return undefined;
    if (interpreted[n.uri] === undefined && docs.has(splitUri(n.uri).file)) {
      // A schema inside a list (a positional param's): the walk of its file passed it by.
      try {
        const { file, pointer } = splitUri(n.uri);
        dereference(n.schema as CfSchema, interpreted, new URL(file), pointer);
      } catch {
        return undefined;
      }
    }
    const schema = interpreted[n.uri];
    if (schema === undefined) return undefined;
    try {
      return interpret(value, schema, '2020-12', interpreted, true).valid ? true : undefined;
    } catch {
      return undefined; // a $ref it cannot resolve the way ajv does (percent-encoded names...)
    }
  }

  // ajv's own URI resolver, so the store and ajv always agree on what a $ref points at; remembered,
  // as each $ref is resolved several times (checks, cycle walks) and parsing URIs is not cheap.
  const targets = new Map<string, string>();
  function targetUri(ref: string, baseUri: string): string {
    const hash = baseUri.indexOf('#');
    const key = `${hash < 0 ? baseUri : baseUri.slice(0, hash)}\n${ref}`; // a base's fragment never matters
    let t = targets.get(key);
    if (t === undefined) targets.set(key, (t = ajv.opts.uriResolver.resolve(baseUri, ref)));
    return t;
  }

  return {
    targetUri,
    get ajv() {
      return ajvWithFiles();
    },
    node,
    register,
    addFile,
    hasFile: (uri) => docs.has(splitUri(uri).file),
    file: (uri) => docs.get(splitUri(uri).file),
    fileUris: () => [...docs.keys()],
    validator,
    validate,
    validateOnce: (n, value) => (interpretedValid(n, value) ? { valid: true, issues: [] } : validateCompiled(n, value)),
    precompile: (n) => void validator(n),
    resolve(ref, baseUri) {
      const target = targetUri(ref, baseUri);
      const { file } = splitUri(target);
      if (!docs.has(file) && !registered.has(file)) {
        throw new ContractError(`dangling $ref "${ref}": no schema file ${file}`);
      }
      try {
        return node(target);
      } catch (err) {
        if (err instanceof ContractError) throw new ContractError(`dangling $ref "${ref}": ${err.message}`);
        throw err;
      }
    },
  };
}
