// The contract loader: reads a pack's YAML files (keeping source positions), checks them against
// the meta-schema (specs/contract.schema.json) and the rules that need the whole pack, and returns
// the resolved model of specs/model.ts. Every user error is a ContractError naming file:line:col
// and the key, so the CLI can print one paragraph and exit 2.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit } from 'yaml';
import type { Document, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import jsyaml from 'js-yaml';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { compileGrammar, GrammarError } from './grammar.ts';
import type { CompiledGrammar } from './grammar.ts';
import { ContractError } from './model.ts';
import type {
  Channel,
  ChannelAssumptions,
  ChannelKind,
  Collection,
  Correlation,
  ErrorContract,
  InvalidParamsAnswer,
  JsonSchema,
  Pack,
  Params,
  PositionalParam,
  Prerequisite,
  SchemaNode,
  SourcePos,
  Stream,
  StreamAssumptions,
  Transport,
  WindowPosture,
} from './model.ts';
import { createAjv, createSchemaStore, pointerUri, splitUri } from './schema-store.ts';
import type { Ajv, ConformSchemaStore, SchemaFile } from './schema-store.ts';

/** Where packs live by default: specs/packs next to this file. */
export const DEFAULT_PACKS_DIR = fileURLToPath(new URL('./packs/', import.meta.url));
export const CONTRACT_FILE = 'contract.yaml';
const META_SCHEMA_PATH = fileURLToPath(new URL('./contract.schema.json', import.meta.url));

export interface LoadOptions {
  /** Folder holding the packs (for pack names, includes and cross-pack `$ref`s). Default specs/packs. */
  packsDir?: string;
  /**
   * In-memory sources of other packs (`{ relativePath: text }`), e.g. read from a git ref by the
   * contract diff. Consulted before the disk for includes and cross-pack refs.
   */
  sourcesOf?: (pack: string) => Record<string, string> | undefined;
  /**
   * How in-memory files are named in messages: `<displayDir>/<file>` (default `<pack name>`), e.g.
   * `HEAD~1:specs/packs/clawdesk` for a pack read from git.
   */
  displayDir?: (pack: string) => string;
}

/** The URI of a file of a pack: `conform:/packs/<pack>/<file>`. */
export function packFileUri(pack: string, file: string): string {
  return `conform:/packs/${pack}/${file}`;
}

/** The URI of the args tuple the loader registers for a channel. */
export function argsUri(pack: string, channel: string): string {
  return `conform:/args/${pack}/${encodeURIComponent(channel)}`;
}

/** Load a pack by name (resolved under packsDir, default specs/packs) or by folder path. */
export async function loadPack(nameOrDir: string, opts: LoadOptions = {}): Promise<Pack> {
  return loadPackSync(nameOrDir, opts);
}

export function loadPackSync(nameOrDir: string, opts: LoadOptions = {}): Pack {
  const looksLikePath = nameOrDir.includes('/') || nameOrDir.includes('\\') || nameOrDir.startsWith('.');
  let dir: string;
  let packsDir: string;
  if (looksLikePath) {
    dir = resolve(nameOrDir.replace(/[/\\]+$/, ''));
    packsDir = opts.packsDir ? resolve(opts.packsDir) : dirname(dir);
  } else {
    packsDir = resolve(opts.packsDir ?? DEFAULT_PACKS_DIR);
    dir = join(packsDir, nameOrDir);
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const known = existsSync(packsDir) ? listPackNames(packsDir) : [];
    throw new ContractError(
      `no pack "${nameOrDir}": ${displayPath(dir)} is not a folder` +
        (known.length ? ` (packs in ${displayPath(packsDir)}: ${known.join(', ')})` : ''),
    );
  }
  const ctx = new LoadContext({ ...opts, packsDir });
  return ctx.load(diskSource(basename(dir), dir));
}

/**
 * Load a pack from in-memory files, `{ 'contract.yaml': text, 'types.yaml': text }` (paths relative
 * to the pack folder). Includes and cross-pack refs use `opts.sourcesOf`, then the disk.
 */
export async function loadPackFromSources(name: string, sources: Record<string, string>, opts: LoadOptions = {}): Promise<Pack> {
  return loadPackFromSourcesSync(name, sources, opts);
}

export function loadPackFromSourcesSync(name: string, sources: Record<string, string>, opts: LoadOptions = {}): Pack {
  const packsDir = resolve(opts.packsDir ?? DEFAULT_PACKS_DIR);
  const ctx = new LoadContext({ ...opts, packsDir });
  return ctx.load(memorySource(name, join(packsDir, name), sources, opts.displayDir?.(name)));
}

/** A pack folder's name: no separators, not `.` or `..` (includes and cross-pack refs stay in packsDir). */
export function isPackName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name) && name !== '..' && !name.includes('..');
}

/** Names of the pack folders (those holding a contract.yaml) under a folder. */
export function listPackNames(packsDir: string = DEFAULT_PACKS_DIR): string[] {
  if (!existsSync(packsDir)) return [];
  return readdirSync(packsDir)
    .filter((n) => existsSync(join(packsDir, n, CONTRACT_FILE)))
    .sort();
}

// ------------------------------------------------------------------ sources

interface PackSource {
  name: string;
  /** How the pack's files are named in messages. */
  display(rel: string): string;
  /** Absolute folder (virtual for in-memory sources). */
  dir: string;
  /** Relative paths of the pack's YAML files. */
  yamlFiles(): string[];
  read(rel: string): string | undefined;
}

function diskSource(name: string, dir: string): PackSource {
  return {
    name,
    dir,
    display: (rel) => displayPath(join(dir, rel)),
    yamlFiles: () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort() : []),
    read: (rel) => {
      const p = join(dir, rel);
      return existsSync(p) && statSync(p).isFile() ? decodeText(displayPath(p), readFileSync(p)) : undefined;
    },
  };
}

function memorySource(name: string, dir: string, sources: Record<string, string>, displayDir?: string): PackSource {
  return {
    name,
    dir,
    display: (rel) => `${displayDir ?? name}/${rel}`,
    yamlFiles: () => Object.keys(sources).filter((f) => f.endsWith('.yaml') && !f.includes('/')).sort(),
    read: (rel) => (Object.prototype.hasOwnProperty.call(sources, rel) ? sources[rel] : undefined),
  };
}

function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** 1-based line and column of a byte offset in a UTF-8 buffer (columns in characters). */
function bytePos(buf: Buffer, offset: number): { line: number; col: number } {
  const before = buf.subarray(0, offset);
  const lastNl = before.lastIndexOf(0x0a);
  let line = 1;
  for (let i = before.indexOf(0x0a); i !== -1; i = before.indexOf(0x0a, i + 1)) line++;
  return { line, col: before.subarray(lastNl + 1).toString('utf8').length + 1 };
}

/**
 * A pack file's text, or a ContractError saying what is wrong with its encoding. Packs are UTF-8
 * text; the file's bytes are never echoed (binary garbage would fill the terminal).
 */
export function decodeText(display: string, buf: Buffer): string {
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    throw new ContractError(`${display}: the file is UTF-16 encoded; contracts must be UTF-8 (re-save it as UTF-8)`);
  }
  const nul = buf.indexOf(0);
  if (nul !== -1) {
    const at = bytePos(buf, nul);
    throw new ContractError(`not a text file: a NUL byte at line ${at.line}; contracts are UTF-8 YAML text`, { file: display, ...at });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    // Find the first byte that is not valid UTF-8 to name its place.
    let lo = 0;
    let hi = buf.length;
    const ok = (n: number) => { try { new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, n), { stream: true }); return true; } catch { return false; } };
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ok(mid)) lo = mid;
      else hi = mid - 1;
    }
    const at = bytePos(buf, lo);
    const byte = buf[lo]!.toString(16).padStart(2, '0');
    const binary = buf.subarray(0, 4096).filter((b) => b < 0x09 || (b > 0x0d && b < 0x20)).length > 8;
    throw new ContractError(
      binary
        ? 'not a text file (binary data): contracts are UTF-8 YAML text'
        : `invalid UTF-8 (byte 0x${byte}): contracts must be UTF-8 encoded; re-save the file as UTF-8`,
      { file: display, ...at },
    );
  }
}

/** Most alias expansions a file may need: more is an alias bomb (a few lines that expand to gigabytes). */
export const MAX_ALIAS_EXPANSIONS = 10_000;

// ------------------------------------------------------------------ YAML with positions

type Seg = string | number;

/** One parsed YAML file with the means to turn a path into `file:line:col`. */
class YamlFile {
  private constructor(
    readonly display: string,
    readonly uri: string,
    readonly data: unknown,
    private readonly text: string,
    private parsed?: { doc: Document; lines: LineCounter },
  ) {}

  /**
   * The file's data. A file without anchors or aliases is read by js-yaml, several times faster
   * and with a fraction of the memory of `yaml`'s document (a 5 MB file: ~140 MB peak RSS against
   * ~550 MB); positions then come from `yaml` on first use (an error, a channel's place). Whatever
   * js-yaml refuses, or reads into something only `yaml` judges (a number beyond a double), is
   * parsed by `yaml` at once, which gives each error its place.
   */
  static parse(display: string, uri: string, text: string): YamlFile {
    const fast = ANCHOR_OR_ALIAS.test(text) ? undefined : fastLoad(text);
    if (fast !== undefined) return new YamlFile(display, uri, fast, text);
    const parsed = parseWithPositions(display, text);
    let data: unknown;
    try {
      data = parsed.doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
    } catch (err) {
      // yaml throws plain errors for aliases it cannot expand: name them with a place.
      const msg = (err as Error).message;
      if (/Excessive alias count/.test(msg)) {
        throw new ContractError(`YAML aliases expand to more than ${MAX_ALIAS_EXPANSIONS} nodes (an alias bomb?); write the repeated parts out or use fewer nested aliases`, { file: display, line: 1, col: 1 });
      }
      throw new ContractError(`malformed YAML: ${msg.split('\n')[0]}`, { file: display, line: 1, col: 1 });
    }
    const file = new YamlFile(display, uri, data, text, parsed);
    file.checkDuplicateKeys(parsed.doc.contents as YamlNode | null, []);
    return file;
  }

  /** `yaml`'s document with positions, parsed on first use. */
  private get doc(): Document {
    this.parsed ??= parseWithPositions(this.display, this.text);
    return this.parsed.doc;
  }

  private get lines(): LineCounter {
    this.parsed ??= parseWithPositions(this.display, this.text);
    return this.parsed.lines;
  }

  pos(offset: number | undefined): SourcePos {
    const lp = this.lines.linePos(offset ?? 0);
    return { file: this.display, line: lp.line, col: lp.col };
  }

  private deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  /** Each map's pairs by key (the first of duplicates), built on first use: a lookup per path segment stays O(1) in a map of 31k `$defs`. */
  private readonly pairIndex = new WeakMap<object, Map<string, Pair>>();
  private pairOf(map: YAMLMap, seg: Seg): Pair | undefined {
    let index = this.pairIndex.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items as Pair[]) {
        const k = String(isScalar(p.key) ? p.key.value : p.key);
        if (!index.has(k)) index.set(k, p);
      }
      this.pairIndex.set(map, index);
    }
    return index.get(String(seg));
  }

  /** Position of the value at `path` (or, with which = 'key', of the key naming it). Falls back to the nearest ancestor. */
  posAt(path: Seg[], which: 'key' | 'value' = 'value'): SourcePos {
    let node: unknown = this.doc.contents;
    let keyOffset: number | undefined;
    let lastGood: number | undefined = (node as YamlNode | null)?.range?.[0];
    for (let i = 0; i < path.length; i++) {
      node = this.deref(node);
      const seg = path[i]!;
      keyOffset = undefined;
      if (isMap(node)) {
        const pair = this.pairOf(node, seg);
        if (!pair) return this.pos(lastGood);
        keyOffset = (pair.key as YamlNode | null)?.range?.[0];
        node = pair.value;
        lastGood = (node as YamlNode | null)?.range?.[0] ?? keyOffset ?? lastGood;
        if (i === path.length - 1 && which === 'key') return this.pos(keyOffset ?? lastGood);
      } else if (isSeq(node)) {
        const item = node.items[Number(seg)];
        if (item === undefined) return this.pos(lastGood);
        node = item;
        lastGood = (node as YamlNode | null)?.range?.[0] ?? lastGood;
      } else {
        return this.pos(lastGood);
      }
    }
    return this.pos(lastGood);
  }

  /** Column offset of a string value's first character (1 for quoted scalars). */
  scalarPos(path: Seg[], column: number): SourcePos {
    const base = this.posAt(path);
    let node: unknown = this.doc.getIn(path, true);
    node = this.deref(node);
    const quoted = node instanceof Scalar && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    const block = node instanceof Scalar && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
    if (block) return base;
    return { ...base, col: base.col + (quoted ? 1 : 0) + column - 1 };
  }

  private checkDuplicateKeys(node: YamlNode | null | undefined, path: Seg[]): void {
    if (!node) return;
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        const keyOffset = (pair.key as YamlNode | null)?.range?.[0];
        const first = seen.get(key);
        if (first !== undefined) {
          const what =
            path.length === 1 && path[0] === 'channels'
              ? 'duplicate channel name'
              : path.length === 1 && path[0] === 'streams'
                ? 'duplicate stream name'
                : path.length === 1 && path[0] === '$defs'
                  ? 'duplicate $defs name'
                  : 'duplicate key';
          throw new ContractError(
            `${keyPath([...path, key])}: ${what} "${key}" (first written at line ${this.pos(first).line})`,
            this.pos(keyOffset),
            key,
          );
        }
        seen.set(key, keyOffset ?? 0);
        this.checkDuplicateKeys(pair.value as YamlNode | null, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => this.checkDuplicateKeys(item as YamlNode | null, [...path, i]));
    }
  }
}

/** An anchor (`&a`) or alias (`*a`) may be in the text: such files are read by `yaml` (alias limits, places). */
const ANCHOR_OR_ALIAS = /(?:^|[\s[\]{},:?-])[&*][^\s[\]{},]/;
// YAML 1.2 core, as `yaml` reads it, with merge keys (@types/js-yaml lacks `types`).
const FAST_SCHEMA = jsyaml.CORE_SCHEMA.extend([(jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge]);

/** The file's data by js-yaml, or undefined when `yaml` must read it (any error, a non-mapping, a non-finite number). */
function fastLoad(text: string): Record<string, unknown> | undefined {
  let data: unknown;
  try {
    data = jsyaml.load(text, { schema: FAST_SCHEMA });
  } catch {
    return undefined;
  }
  return isObj(data) && allFinite(data) ? data : undefined;
}

function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value !== null && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}

/** `yaml`'s document with positions; a syntax error, an alias that names no anchor, a number too large: a ContractError at its place. */
function parseWithPositions(display: string, text: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  // merge: YAML 1.1 merge keys (`<<: *base`) let packs share channel fragments.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: true, merge: true });
  const err = doc.errors[0];
  if (err) {
    const lp = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
    const what = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ContractError(`malformed YAML: ${what}`, { file: display, line: lp.line, col: lp.col }, err.code);
  }
  checkNodes(doc, display, lines);
  return { doc, lines };
}

/** Aliases that name no anchor, and numbers too large for a double (1e400 parses as Infinity). */
function checkNodes(doc: Document, display: string, lines: LineCounter): void {
  const at = (node: { range?: [number, number, number] | null }) => {
    const lp = lines.linePos(node.range?.[0] ?? 0);
    return { file: display, line: lp.line, col: lp.col };
  };
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) === undefined) {
        throw new ContractError(`malformed YAML: alias *${node.source} names no anchor (write &${node.source} on the node it should repeat, before this line)`, at(node), `*${node.source}`);
      }
    },
    Scalar(_key, node) {
      if (typeof node.value === 'number' && !Number.isFinite(node.value) && !/\.(inf|nan)$/i.test(node.source ?? '')) {
        throw new ContractError(`the number ${node.source ?? node.value} is too large to represent (beyond ±1.8e308)`, at(node), String(node.source ?? ''));
      }
    },
  });
}

/** `channels.scripts:create.params[0].schema` */
export function keyPath(path: Seg[]): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : String(seg);
  return out;
}

// ------------------------------------------------------------------ meta-schema

let metaValidators: { contract: ValidateFunction; schemaFile: ValidateFunction } | undefined;

function meta(): { contract: ValidateFunction; schemaFile: ValidateFunction } {
  if (!metaValidators) {
    const ajv = createAjv();
    ajv.opts.verbose = true; // parentSchema and data in errors, for the messages below
    ajv.addKeyword({ keyword: 'x-hint', metaSchema: { type: 'string' } });
    const schema = JSON.parse(readFileSync(META_SCHEMA_PATH, 'utf8')) as { $id: string };
    ajv.addSchema(schema);
    metaValidators = {
      contract: ajv.getSchema(schema.$id)!,
      schemaFile: ajv.getSchema(`${schema.$id}#/$defs/schemaFile`)!,
    };
  }
  return metaValidators;
}

const COMBINATORS = new Set(['if', 'then', 'else', 'anyOf', 'oneOf', 'allOf', 'not', '$ref']);
const PRIORITY = ['additionalProperties', 'required', 'type', 'const', 'enum', 'pattern', 'format'];

function pointerSegs(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Turn segments read from a JSON pointer back into the path through the data (array indices as numbers). */
function typedPath(data: unknown, segs: string[]): Seg[] {
  const out: Seg[] = [];
  let cur = data;
  for (const s of segs) {
    if (Array.isArray(cur)) {
      out.push(Number(s));
      cur = cur[Number(s)];
    } else {
      out.push(s);
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[s] : undefined;
    }
  }
  return out;
}

/** The one ajv error to show: the deepest, preferring a hinted anyOf, then the most telling keyword. */
export function pickError(errors: ErrorObject[]): ErrorObject {
  const depth = (e: ErrorObject) => (e.instancePath === '' ? 0 : e.instancePath.split('/').length);
  const extraDepth = (e: ErrorObject) => (e.keyword === 'additionalProperties' ? 1 : 0);
  const max = Math.max(...errors.map((e) => depth(e) + extraDepth(e)));
  const deepest = errors.filter((e) => depth(e) + extraDepth(e) === max);
  const hinted = errors.find(
    (e) => (e.keyword === 'anyOf' || e.keyword === 'oneOf') && hintOf(e) && deepest.some((d) => d.instancePath === e.instancePath),
  );
  if (hinted) return hinted;
  const plain = deepest.filter((e) => !COMBINATORS.has(e.keyword));
  const pool = plain.length ? plain : deepest;
  const rank = (e: ErrorObject) => {
    const i = PRIORITY.indexOf(e.keyword);
    return i < 0 ? PRIORITY.length : i;
  };
  return [...pool].sort((a, b) => rank(a) - rank(b))[0]!;
}

function hintOf(e: ErrorObject): string | undefined {
  const h = (e.parentSchema as { 'x-hint'?: unknown } | undefined)?.['x-hint'];
  return typeof h === 'string' ? h : undefined;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  null: 'null',
};

export function describeError(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return `unknown key "${String(p.additionalProperty)}"` + (allowed.length ? ` (allowed here: ${allowed.join(', ')})` : '');
    }
    case 'required':
      return `missing required key "${String(p.missingProperty)}"`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${typeName(e.data)}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}, got ${typeName(e.data)}`;
    case 'type': {
      const hint = hintOf(e);
      const words = String(p.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      return `must be ${hint ?? words}, got ${typeName(e.data)}`;
    }
    case 'pattern':
      return `${JSON.stringify(e.data)} does not match ${String(p.pattern)}`;
    case 'anyOf':
    case 'oneOf': {
      const hint = hintOf(e);
      return hint ? `must be ${hint}, got ${typeName(e.data)}` : (e.message ?? e.keyword);
    }
    default:
      return e.message ?? e.keyword;
  }
}

/** Map one ajv error against `data` to a ContractError at the right YAML node. */
function errorAt(file: YamlFile, prefix: Seg[], data: unknown, e: ErrorObject, lead = ''): ContractError {
  if (!('data' in e)) {
    // Non-verbose ajv (schema meta-validation) leaves out the offending value: look it up.
    let cur: unknown = data;
    for (const seg of pointerSegs(e.instancePath)) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    e = { ...e, data: cur };
  }
  const path = [...prefix, ...typedPath(data, pointerSegs(e.instancePath))];
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') {
    const key = String(p.additionalProperty);
    const full = [...path, key];
    return new ContractError(`${keyPath(full)}: ${lead}${describeError(e)}`, file.posAt(full, 'key'), key);
  }
  const key = path.length ? String(path[path.length - 1]) : undefined;
  return new ContractError(`${keyPath(path)}: ${lead}${describeError(e)}`, file.posAt(path, 'value'), key);
}

// ------------------------------------------------------------------ the loader

interface SchemaSite {
  file: YamlFile;
  path: Seg[];
}

// JSON Schema 2020-12 keywords whose values are schemas (single, map of, list of).
const SCHEMA_KEYWORDS = new Set([
  'items', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'contains', 'propertyNames',
  'not', 'if', 'then', 'else', 'contentSchema',
]);
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/** Call `fn` on `schema` and every object subschema inside it (through the subschema keywords). */
function eachSubschema(schema: unknown, fn: (s: Record<string, unknown>) => void): void {
  if (!isObj(schema)) return;
  fn(schema);
  for (const [k, v] of Object.entries(schema)) {
    if (SCHEMA_MAP_KEYWORDS.has(k) && isObj(v)) for (const sub of Object.values(v)) eachSubschema(sub, fn);
    else if (SCHEMA_LIST_KEYWORDS.has(k) && Array.isArray(v)) for (const sub of v) eachSubschema(sub, fn);
    else if (SCHEMA_KEYWORDS.has(k)) eachSubschema(v, fn);
  }
}

const NON_SCHEMA_VALUE_KEYS = new Set(['const', 'enum', 'examples', 'default', 'x-unspecified', 'x-guard']);

let checking: Ajv | undefined;

/**
 * An ajv for questions about schemas (keywords, formats, keyword meta-schemas, the JSON Schema
 * meta-schema, URI resolution); it holds no pack files and validates no values. The store's own
 * ajv gets the files on its first compile, which a lint never makes.
 */
function checkingAjv(): Ajv {
  return (checking ??= createAjv());
}

class LoadContext {
  private readonly packs = new Map<string, Pack>();
  private readonly loading: string[] = [];
  /** Parsed YAML files by URI, across every pack touched by this load. */
  private readonly files = new Map<string, YamlFile>();

  constructor(private readonly opts: LoadOptions & { packsDir: string }) {}

  private sourceOf(pack: string): PackSource | undefined {
    if (!isPackName(pack)) return undefined; // packs of this load live in packsDir, nowhere else
    const mem = this.opts.sourcesOf?.(pack);
    if (mem) return memorySource(pack, join(this.opts.packsDir, pack), mem, this.opts.displayDir?.(pack));
    const dir = join(this.opts.packsDir, pack);
    return existsSync(join(dir, CONTRACT_FILE)) || existsSync(dir) ? diskSource(pack, dir) : undefined;
  }

  private parseFile(src: PackSource, rel: string): YamlFile | undefined {
    const uri = packFileUri(src.name, rel);
    const known = this.files.get(uri);
    if (known) return known;
    const text = src.read(rel);
    if (text === undefined) return undefined;
    const display = src.display(rel);
    const file = YamlFile.parse(display, uri, text);
    const check = rel === CONTRACT_FILE ? meta().contract : meta().schemaFile;
    if (!check(file.data)) throw errorAt(file, [], file.data, pickError(check.errors!));
    this.files.set(uri, file);
    return file;
  }

  load(src: PackSource, includedAt?: SourcePos): Pack {
    const done = this.packs.get(src.name);
    if (done) return done;
    if (this.loading.includes(src.name)) {
      throw new ContractError(`include cycle: ${[...this.loading, src.name].join(' -> ')}`, includedAt, 'include');
    }
    this.loading.push(src.name);
    try {
      const pack = new PackBuilder(this, src).build();
      this.packs.set(src.name, pack);
      return pack;
    } finally {
      this.loading.pop();
    }
  }

  loadByName(name: string, pos: SourcePos, key: string): Pack {
    if (!isPackName(name)) {
      // A pack file must not reach outside the packs folder (`pack: ../../..`); another folder of
      // packs is a choice made on the command line (a pack given as a path brings its own folder).
      throw new ContractError(
        `${key}: "${name}" is not a pack name: an include names a pack folder in ${displayPath(this.opts.packsDir)} (letters, digits, ".", "_", "-"; no paths). To use packs from another folder, give the pack as a path on the command line: its folder becomes the packs folder.`,
        pos,
        key,
      );
    }
    const src = this.sourceOf(name);
    if (!src || src.read(CONTRACT_FILE) === undefined) {
      const known = listPackNames(this.opts.packsDir);
      throw new ContractError(
        `${key}: no pack "${name}" in ${displayPath(this.opts.packsDir)}` + (known.length ? ` (known: ${known.join(', ')})` : ''),
        pos,
        key,
      );
    }
    return this.load(src, pos);
  }

  /** A YAML file of any pack by its URI (for cross-pack `$ref`s), parsed and meta-checked once. */
  fileByUri(uri: string): YamlFile | undefined {
    const known = this.files.get(uri);
    if (known) return known;
    const m = /^conform:\/packs\/([^/]+)\/([^/]+\.yaml)$/.exec(uri);
    if (!m) return undefined;
    const src = this.sourceOf(m[1]!);
    return src ? this.parseFile(src, m[2]!) : undefined;
  }

  ownFile(src: PackSource, rel: string): YamlFile | undefined {
    return this.parseFile(src, rel);
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function asNotes(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? (v as string[]) : [String(v)];
}

const COLLECTION_OPS = ['list', 'get', 'create', 'upsert', 'update', 'delete'] as const;

function collectionChannels(c: Collection): string[] {
  return COLLECTION_OPS.map((op) => c[op]).filter((n): n is string => n !== undefined);
}

const TEMPLATE = /\$\{([^}]*)\}/g;

/**
 * Check the `${...}` substitutions in literal args: `${<as>.<path>}` (a prerequisite result),
 * `${result}` / `${result.<path>}` (the result of the call being cleaned up or streamed) and
 * `${param:<name|index>}` (an arg that call was made with), each only where it exists.
 */
function checkTemplates(
  f: YamlFile,
  path: Seg[],
  value: unknown,
  scope: { bound: Set<string>; result?: boolean; params?: Params; owner?: string },
): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkTemplates(f, [...path, i], v, scope));
  } else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) checkTemplates(f, [...path, k], v, scope);
  } else if (typeof value === 'string') {
    for (const m of value.matchAll(TEMPLATE)) {
      const body = m[1]!.trim();
      const fail = (why: string): never => {
        throw new ContractError(`${keyPath(path)}: "${m[0]}" ${why}`, f.posAt(path), String(path[path.length - 1]));
      };
      const param = /^param:([^.]+)(\..+)?$/.exec(body);
      if (param) {
        if (!scope.params) fail('cannot use param: here (only in cleanup and stream abort args)');
        const ps = scope.params!;
        if (ps.style === 'none') fail(`names param "${param[1]}" but "${scope.owner}" takes no params`);
        if (ps.style === 'positional' && !ps.list.some((p, i) => p.name === param[1] || String(i) === param[1])) {
          fail(`names unknown param "${param[1]}" of "${scope.owner}" (params: ${ps.list.map((p) => p.name).join(', ')})`);
        }
        continue;
      }
      const head = /^([A-Za-z_$][A-Za-z0-9_$]*)(\.[^.]+)*$/.exec(body)?.[1];
      if (!head) fail('is not a substitution: use ${<as>.<path>}, ${result.<path>} or ${param:<name>}');
      if (head === 'result' && scope.result) continue;
      if (!scope.bound.has(head!)) {
        fail(
          `names unknown prerequisite "${head}"` +
            (scope.bound.size ? ` (bound here: ${[...scope.bound].join(', ')})` : '') +
            (scope.result ? '; ${result...} and ${param:...} refer to the call itself' : ''),
        );
      }
    }
  }
}

class PackBuilder {
  private store!: ConformSchemaStore;
  private contract!: YamlFile;
  private readonly ownFiles: YamlFile[] = [];
  /** Files whose schemas were checked (own files and every file a $ref reached). */
  private readonly checkedFiles = new Set<string>();

  constructor(
    private readonly ctx: LoadContext,
    private readonly src: PackSource,
  ) {}

  private fileEntry(f: YamlFile): SchemaFile {
    return { uri: f.uri, doc: f.data, posOf: (pointer) => f.posAt(pointerSegsTyped(f.data, pointer)) };
  }

  build(): Pack {
    const src = this.src;
    const rels = src.yamlFiles();
    if (!rels.includes(CONTRACT_FILE) || src.read(CONTRACT_FILE) === undefined) {
      throw new ContractError(`${src.display('').replace(/\/$/, '')}: a pack needs a ${CONTRACT_FILE} (found: ${rels.join(', ') || 'no YAML files'})`);
    }
    for (const rel of [CONTRACT_FILE, ...rels.filter((r) => r !== CONTRACT_FILE)]) {
      this.ownFiles.push(this.ctx.ownFile(src, rel)!);
    }
    this.contract = this.ownFiles[0]!;
    this.store = createSchemaStore(this.ownFiles.map((f) => this.fileEntry(f)));
    const c = this.contract.data as Record<string, unknown>;
    const transport = c.transport as Transport;
    const roots = ((c.bridge as { roots?: string[] } | undefined)?.roots ?? []).slice();

    // Schemas: every $def of every own file, then every schema written in a channel.
    for (const f of this.ownFiles) this.checkFileDefs(f);

    const channels: Channel[] = [];
    const byName = new Map<string, Channel>();
    const bridges = new Map<string, Channel>();
    const rawChannels = (c.channels ?? {}) as Record<string, Record<string, unknown>>;
    for (const [name, raw] of Object.entries(rawChannels)) {
      const ch = this.buildChannel(name, raw, transport, roots);
      channels.push(ch);
      byName.set(name, ch);
      if (ch.bridge) {
        const other = bridges.get(ch.bridge);
        if (other) {
          throw new ContractError(
            `${keyPath(['channels', name, 'bridge'])}: duplicate bridge path "${ch.bridge}" (already the bridge of channel "${other.name}" at line ${other.pos.line})`,
            this.contract.posAt(['channels', name, 'bridge']),
            'bridge',
          );
        }
        bridges.set(ch.bridge, ch);
      }
    }

    // Includes: channels of other packs by reference (their schemas keep their URIs).
    const includes: { pack: string; channels: string[] }[] = [];
    const includedStreams: Stream[] = [];
    const includedCollections: Collection[] = [];
    const allRoots = [...roots];
    ((c.include ?? []) as { pack: string; channels: string[] | '*' }[]).forEach((inc, i) => {
      const incPath: Seg[] = ['include', i];
      const other = this.ctx.loadByName(inc.pack, this.contract.posAt([...incPath, 'pack']), `${keyPath([...incPath, 'pack'])}`);
      if (other.transport !== transport) {
        throw new ContractError(
          `${keyPath([...incPath, 'pack'])}: pack "${other.name}" is a ${other.transport} pack; a ${transport} pack cannot include its channels`,
          this.contract.posAt([...incPath, 'pack']),
          'pack',
        );
      }
      const theirStore = other.schemas as ConformSchemaStore;
      for (const uri of theirStore.fileUris()) {
        if (!this.store.hasFile(uri)) this.store.addFile(theirStore.file(uri)!);
      }
      const names = inc.channels === '*' ? other.channels.map((ch) => ch.name) : inc.channels;
      names.forEach((n, j) => {
        const namePath: Seg[] = inc.channels === '*' ? [...incPath, 'channels'] : [...incPath, 'channels', j];
        const theirs = other.byName.get(n);
        if (!theirs) {
          throw new ContractError(
            `${keyPath(namePath)}: pack "${other.name}" has no channel "${n}"${suggest(n, other.channels.map((x) => x.name))}`,
            this.contract.posAt(namePath),
            n,
          );
        }
        const mine = byName.get(n);
        if (mine) {
          throw new ContractError(
            `${keyPath(namePath)}: duplicate channel name "${n}": included from "${other.name}" and ${mine.definedIn === this.src.name ? `defined at line ${mine.pos.line}` : `included from "${mine.definedIn}"`}`,
            this.contract.posAt(namePath),
            n,
          );
        }
        if (theirs.bridge) {
          const clash = bridges.get(theirs.bridge);
          if (clash) {
            throw new ContractError(
              `${keyPath(namePath)}: duplicate bridge path "${theirs.bridge}": channel "${n}" included from "${other.name}" and channel "${clash.name}" use it`,
              this.contract.posAt(namePath),
              n,
            );
          }
          const root = other.roots.find((r) => theirs.bridge!.startsWith(`${r}.`));
          if (root && !allRoots.includes(root)) allRoots.push(root);
        }
        // Positional/none args live at a registered URI of the defining pack: register it here too.
        if (!this.hasRegistered(theirs.args.uri)) this.store.register(theirs.args.uri, theirs.args.schema);
        // A copy that keeps the lazy `pos` lazy (a spread would parse the other pack's positions).
        const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(theirs)) as Channel;
        channels.push(copy);
        byName.set(n, copy);
        if (copy.bridge) bridges.set(copy.bridge, copy);
      });
      includes.push({ pack: other.name, channels: [...names] });
      // A collection of the included pack comes along when every channel it names was included.
      for (const col of other.collections) {
        if (collectionChannels(col).every((n) => byName.get(n) !== undefined && byName.get(n)!.definedIn === other.byName.get(n)?.definedIn)) {
          includedCollections.push(col);
        }
      }
      // A stream of the included pack comes along when every channel it uses was included.
      for (const s of other.streams) {
        const variants = other.byName.get(s.start)?.kind === 'channel-stream';
        const used = [s.start, ...(variants ? [] : s.events), ...(s.abort ? [s.abort.call] : [])];
        if (used.every((n) => byName.get(n) !== undefined && byName.get(n)!.definedIn === other.byName.get(n)?.definedIn)) {
          includedStreams.push(s);
        }
      }
    });

    // Channel references that may point at included channels.
    for (const ch of channels) if (ch.definedIn === src.name) this.checkCalls(ch, byName);
    // An included channel's prerequisites and cleanup must come along too, or its checks cannot run.
    for (const inc of includes) {
      const i = includes.indexOf(inc);
      for (const n of inc.channels) {
        const ch = byName.get(n)!;
        for (const call of [...ch.prerequisites, ...ch.cleanup].map((p) => p.call)) {
          if (!byName.has(call)) {
            throw new ContractError(
              `${keyPath(['include', i, 'channels'])}: included channel "${n}" calls "${call}" (prerequisite or cleanup), which is not included; include it too`,
              this.contract.posAt(['include', i, 'channels']),
              'channels',
            );
          }
        }
      }
    }

    const streams: Stream[] = [];
    const rawStreams = (c.streams ?? {}) as Record<string, Record<string, unknown>>;
    for (const [name, raw] of Object.entries(rawStreams)) streams.push(this.buildStream(name, raw, byName));
    for (const s of includedStreams) if (!streams.some((x) => x.name === s.name)) streams.push(s);

    const collections: Collection[] = [];
    const rawCollections = (c.collections ?? {}) as Record<string, Record<string, string>>;
    for (const [name, raw] of Object.entries(rawCollections)) collections.push(this.buildCollection(name, raw, byName));
    for (const col of includedCollections) if (!collections.some((x) => x.name === col.name)) collections.push(col);

    return {
      name: src.name,
      app: String(c.app),
      transport,
      description: c.description as string | undefined,
      source: c.source as string | undefined,
      notes: asNotes(c.notes),
      roots: allRoots,
      window: c.window as WindowPosture | undefined,
      invalidParams: (c.invalidParams ?? 'unspecified') as InvalidParamsAnswer,
      channels,
      byName,
      streams,
      collections,
      includes,
      dir: src.dir,
      files: this.ownFiles.map((f) => join(src.dir, splitUri(f.uri).file.slice(packFileUri(src.name, '').length))),
      schemas: this.store,
    };
  }

  private hasRegistered(uri: string): boolean {
    try {
      this.store.node(uri);
      return true;
    } catch {
      return false;
    }
  }

  // ---------------------------------------------------------------- schemas

  private checkFileDefs(f: YamlFile): void {
    if (this.checkedFiles.has(f.uri)) return;
    this.checkedFiles.add(f.uri);
    const defs = (f.data as { $defs?: Record<string, unknown> }).$defs ?? {};
    for (const name of Object.keys(defs)) this.schemaAt({ file: f, path: ['$defs', name] });
  }

  /** Compiled meta-schemas of Conform's own keywords (x-guard, ...), for checkStrict. */
  private readonly keywordChecks = new Map<string, ValidateFunction>();

  /**
   * What ajv's strict compile would reject, found by walking the schema: unknown keywords,
   * unknown formats, patterns that are not valid regular expressions (ajv's `u` flag).
   */
  private checkStrict(site: SchemaSite, schema: unknown): void {
    const { keywords } = checkingAjv().RULES;
    const formats = checkingAjv().formats;
    eachSubschema(schema, (sub) => {
      for (const [k, v] of Object.entries(sub)) {
        if (!(k in keywords)) throw this.compileError(site, schema as JsonSchema, `strict mode: unknown keyword: "${k}"`);
        const def = checkingAjv().getKeyword(k);
        if (typeof def === 'object' && def.metaSchema) {
          let check = this.keywordChecks.get(k);
          if (!check) this.keywordChecks.set(k, (check = checkingAjv().compile(def.metaSchema)));
          if (!check(v)) throw this.compileError(site, schema as JsonSchema, `keyword "${k}" value is invalid: ${checkingAjv().errorsText(check.errors)}`);
        }
        if (k === 'format' && typeof v === 'string' && !(v in formats)) throw this.compileError(site, schema as JsonSchema, `unknown format "${v}" ignored in schema at path "#"`);
        if (k === 'pattern' && typeof v === 'string') {
          try {
            new RegExp(v, 'u');
          } catch (err) {
            throw this.compileError(site, schema as JsonSchema, (err as Error).message);
          }
        }
      }
    });
  }

  /** URIs of the schemas schemaAt checked (each is checked once, also when many `$ref`s reach it). */
  private readonly checkedSchemas = new Set<string>();

  /**
   * Check one schema written at `site` and return its node: ajv's meta-schema, `$ref`s (each target
   * checked too), what a strict compile would reject, `$ref` cycles, `examples`. Nothing is compiled:
   * compiling costs ~0.5 ms and ~80 KB per schema (a pack of 31k `$defs` took minutes, 2000 channels
   * seconds); a schema is compiled when a value is first validated against it.
   */
  private schemaAt(site: SchemaSite): SchemaNode {
    const node = this.checkSchema(site);
    if (this.draining) return node;
    // Then what `$ref`s reach, each like any schema (once): a place no other check walks (a
    // subschema, another channel's params) would otherwise go unchecked, as nothing is compiled.
    // A queue, not recursion: a chain of 31k `$defs` must not overflow the stack.
    this.draining = true;
    try {
      for (let i = 0; i < this.refTargets.length; i++) this.checkSchema(this.refTargets[i]!);
    } finally {
      this.refTargets.length = 0;
      this.draining = false;
    }
    return node;
  }

  private readonly refTargets: SchemaSite[] = [];
  private draining = false;

  private checkSchema(site: SchemaSite): SchemaNode {
    const { file, path } = site;
    const uri = pointerUri(file.uri, path);
    const node = this.store.node(uri);
    if (this.checkedSchemas.has(uri)) return node;
    this.checkedSchemas.add(uri);
    const ajv = checkingAjv();
    if (typeof node.schema === 'object') {
      if (!ajv.validateSchema(node.schema)) {
        throw errorAt(file, path, node.schema, pickError(ajv.errors ?? []), 'not a valid JSON Schema: ');
      }
    }
    const examples = this.checkRefs(file, path, node.schema, file.uri, [], this.refTargets);
    try {
      this.checkStrict(site, node.schema);
      if (this.refCycle(node)) throw this.refCycleError(site, node);
    } catch (err) {
      if (err instanceof ContractError) throw err;
      if (err instanceof RangeError) throw this.refCycleError(site, node);
      throw this.compileError(site, node.schema, (err as Error).message);
    }
    for (const p of examples) this.checkExamples(file, p);
    return node;
  }

  /**
   * Walk a schema through its subschema keywords: every `$ref` must resolve (files of other packs
   * it reaches are loaded and checked) and every `examples` entry must be valid.
   */
  private checkRefs(file: YamlFile, path: Seg[], schema: unknown, base: string, examples: Seg[][], targets: SchemaSite[]): Seg[][] {
    if (!isObj(schema)) return examples;
    for (const [k, v] of Object.entries(schema)) {
      if (k === '$id') {
        // Schemas are addressed by file and pointer; an $id would give one a second name ajv
        // registers globally (two packs with the same $id collide).
        throw new ContractError(`${keyPath([...path, k])}: "$id" is not allowed in pack schemas; refer to the schema by its place instead ($ref: "file.yaml#/$defs/Name")`, file.posAt([...path, k], 'key'), '$id');
      }
      if (k === '$ref' && typeof v === 'string') {
        const target = this.checkRef(file, [...path, k], v, base);
        if (target) targets.push(target);
      }
      else if (k === 'examples' && Array.isArray(v) && v.length) examples.push(path);
      else if (SCHEMA_MAP_KEYWORDS.has(k) && isObj(v)) {
        for (const [name, sub] of Object.entries(v)) this.checkRefs(file, [...path, k, name], sub, base, examples, targets);
      } else if (SCHEMA_LIST_KEYWORDS.has(k) && Array.isArray(v)) {
        v.forEach((sub, i) => this.checkRefs(file, [...path, k, i], sub, base, examples, targets));
      } else if (SCHEMA_KEYWORDS.has(k)) {
        this.checkRefs(file, [...path, k], v, base, examples, targets);
      }
    }
    return examples;
  }

  /** A `$ref` must resolve (files of other packs it reaches are loaded and checked); returns where its target is written. */
  private checkRef(file: YamlFile, path: Seg[], ref: string, base: string): SchemaSite | undefined {
    const target = this.store.targetUri(ref, base);
    const targetFile = splitUri(target).file;
    if (!this.store.hasFile(targetFile)) {
      const other = targetFile.startsWith('conform:/packs/') ? this.ctx.fileByUri(targetFile) : undefined;
      if (other) {
        this.store.addFile(this.fileEntry(other));
        this.checkFileDefs(other);
      }
    }
    try {
      this.store.resolve(ref, base);
    } catch (err) {
      if (!(err instanceof ContractError)) throw err;
      const where = this.store.hasFile(targetFile)
        ? `nothing at ${splitUri(target).pointer || '#'} in ${targetFile.replace(/^conform:\/packs\//, '')}`
        : `no file ${targetFile.replace(/^conform:\/packs\//, '')}`;
      throw new ContractError(`${keyPath(path)}: dangling $ref "${ref}": ${where}`, file.posAt(path), '$ref');
    }
    const targetYaml = this.ctx.fileByUri(targetFile);
    return targetYaml ? { file: targetYaml, path: pointerSegsTyped(targetYaml.data, splitUri(target).pointer) } : undefined;
  }

  /** `examples` are what the generator emits first: each must be valid for its schema. */
  private checkExamples(file: YamlFile, path: Seg[]): void {
    const node = this.store.node(pointerUri(file.uri, path));
    const list = (node.schema as { examples: unknown[] }).examples;
    list.forEach((example, i) => {
      const { valid, issues } = this.store.validateOnce(node, example);
      if (!valid) {
        const issue = issues[0]!;
        throw new ContractError(
          `${keyPath([...path, 'examples', i])}: example is not valid for its schema: ${issue.path || '(root)'} ${issue.message}`,
          file.posAt([...path, 'examples', i]),
          'examples',
        );
      }
    });
  }

  /** Map an ajv compile error (strict mode, unknown format, bad x-guard) to a position. */
  /** A chain of `$ref`s from `start` that comes back to itself without reaching a schema, as URIs; else undefined. */
  private refCycle(start: SchemaNode): string[] | undefined {
    const chain: string[] = [];
    const seen = new Set<string>();
    let cur: SchemaNode | undefined = start;
    while (cur && !seen.has(cur.uri) && !this.reachesSchema.has(cur.uri)) {
      chain.push(cur.uri);
      seen.add(cur.uri);
      const ref: unknown = isObj(cur.schema) ? (cur.schema as Record<string, unknown>).$ref : undefined;
      cur = typeof ref === 'string' ? this.store.resolve(ref, cur.uri) : undefined;
    }
    if (cur && seen.has(cur.uri)) return [...chain.slice(chain.indexOf(cur.uri)), cur.uri];
    // Every schema of this chain reaches one: later chains through them stop here (linear, not quadratic).
    for (const uri of chain) this.reachesSchema.add(uri);
    return undefined;
  }

  /** Schemas whose `$ref` chain is known to reach a schema (see refCycle). */
  private readonly reachesSchema = new Set<string>();

  /** ajv recursed without end (or would): name the chain of `$ref`s that never reaches a schema. */
  private refCycleError(site: SchemaSite, start: SchemaNode): ContractError {
    const cycle = this.refCycle(start);
    const short = (u: string) => u.replace(/^conform:\/packs\//, '').replace(/^[^#]*#\//, '#/');
    const shown = cycle ? cycle.map(short).join(' -> ') : 'a $ref inside this schema';
    return new ContractError(`${keyPath(site.path)}: circular $ref: ${shown} (a chain of references that never reaches a schema)`, site.file.posAt(site.path), '$ref');
  }

  private compileError(site: SchemaSite, schema: JsonSchema, message: string): ContractError {
    const quoted = /"([^"]+)"/.exec(message)?.[1];
    const found = quoted ? findKey(schema, quoted, site.path) : undefined;
    const formatValue = /unknown format "([^"]+)"/.exec(message)?.[1];
    const fmt = formatValue ? findValue(schema, 'format', formatValue, site.path) : undefined;
    const path = fmt ?? found ?? site.path;
    const cleaned = message
      .replace(/^strict mode: /, '')
      .replace(/ ?\(strictSchema\)$/, '')
      .replace(/ ignored in schema at path "[^"]*"$/, '');
    return new ContractError(
      `${keyPath(path)}: not a valid schema: ${cleaned}`,
      site.file.posAt(path, found && !fmt ? 'key' : 'value'),
      quoted,
    );
  }

  // ---------------------------------------------------------------- channels

  private buildChannel(name: string, raw: Record<string, unknown>, transport: Transport, roots: string[]): Channel {
    const f = this.contract;
    const at = (...p: Seg[]) => ['channels', name, ...p];
    const kind = raw.kind as ChannelKind;
    const posOf = () => f.posAt(['channels', name], 'key');
    const fail = (p: Seg[], msg: string, which: 'key' | 'value' = 'value'): never => {
      throw new ContractError(`${keyPath(p)}: ${msg}`, f.posAt(p, which), String(p[p.length - 1]));
    };
    const callable = kind === 'invoke' || kind === 'command' || kind === 'channel-stream';

    // bridge
    const bridge = (raw.bridge ?? null) as string | null;
    if (bridge !== null) {
      if (roots.length === 0) fail(at('bridge'), `bridge path "${bridge}" given but the pack declares no bridge.roots`);
      if (!roots.some((r) => bridge.startsWith(`${r}.`))) {
        fail(at('bridge'), `bridge path "${bridge}" is outside the declared roots (${roots.join(', ')})`);
      }
    }

    // params
    let params: Params = { style: 'none' };
    if (raw.params !== undefined) {
      if (kind === 'event') fail(at('params'), 'an event takes no params (its data is the payload)', 'key');
      if (transport === 'electron') {
        const list = raw.params as { name: string; optional?: boolean; description?: string }[];
        const seen = new Set<string>();
        let optionalSeen = false;
        const out: PositionalParam[] = list.map((p, i) => {
          if (seen.has(p.name)) fail(at('params', i, 'name'), `duplicate param name "${p.name}"`);
          seen.add(p.name);
          if (p.optional) optionalSeen = true;
          else if (optionalSeen) fail(at('params', i, 'name'), `required param "${p.name}" after an optional one (optional params come last)`);
          return {
            name: p.name,
            schema: this.schemaAt({ file: f, path: at('params', i, 'schema') }),
            optional: p.optional === true,
            description: p.description,
          };
        });
        params = out.length ? { style: 'positional', list: out } : { style: 'none' };
      } else {
        const schema = raw.params as Record<string, unknown>;
        if (schema.type !== undefined && schema.type !== 'object') {
          fail(at('params', 'type'), `Tauri commands take one named-argument object: type must be "object", got ${JSON.stringify(schema.type)}`);
        }
        params = { style: 'named', schema: this.schemaAt({ file: f, path: at('params') }) };
      }
    }

    // returns
    let returns: SchemaNode | undefined;
    let returnsVoid = false;
    if (raw.returns === undefined) {
      if (callable) {
        throw new ContractError(
          `${keyPath(at())}: a ${kind} channel must state "returns" (a schema, or void for Promise<void>)`,
          posOf(),
          name,
        );
      }
    } else {
      if (!callable) fail(at('returns'), `a ${kind} channel has no return value; remove "returns"`, 'key');
      if (raw.returns === 'void') returnsVoid = true;
      else returns = this.schemaAt({ file: f, path: at('returns') });
    }

    // payload / channelParam
    let payload: SchemaNode | undefined;
    if (raw.payload !== undefined) {
      if (kind !== 'event' && kind !== 'channel-stream') fail(at('payload'), `only event and channel-stream channels have a payload (this is a ${kind})`, 'key');
      payload = this.schemaAt({ file: f, path: at('payload') });
    } else if (kind === 'channel-stream') {
      throw new ContractError(`${keyPath(at())}: a channel-stream must state "payload" (the Channel<T> message schema)`, posOf(), name);
    }
    const channelParam = raw.channelParam as string | undefined;
    if (kind === 'channel-stream') {
      if (!channelParam) throw new ContractError(`${keyPath(at())}: a channel-stream must name its "channelParam" (the param carrying the Channel)`, posOf(), name);
      const props = params.style === 'named' && isObj(params.schema.schema) ? (params.schema.schema.properties as Record<string, unknown> | undefined) : undefined;
      if (params.style !== 'named') fail(at('channelParam'), `channelParam "${channelParam}" but the channel has no params`);
      if (props && !(channelParam in props)) fail(at('channelParam'), `channelParam "${channelParam}" is not a property of params (${Object.keys(props).join(', ')})`);
    } else if (channelParam !== undefined) {
      fail(at('channelParam'), 'only a channel-stream has a channelParam', 'key');
    }

    // errors
    const rawErr = raw.errors as Record<string, unknown> | undefined;
    let errors: ErrorContract;
    if (!rawErr) {
      errors =
        kind === 'invoke'
          ? { style: 'rejection' }
          : kind === 'send' || kind === 'event'
            ? { style: 'none' }
            : { style: 'unspecified', note: 'the contract states no error contract for this command' };
    } else {
      const note = rawErr.note as string | undefined;
      switch (rawErr.style) {
        case 'rejection':
          if (transport !== 'electron' || kind !== 'invoke') fail(at('errors', 'style'), `style rejection is an Electron invoke error contract (this is a ${transport} ${kind})`);
          errors = { style: 'rejection', message: rawErr.message as string | undefined, note, ...(rawErr.when ? { when: rawErr.when as string } : {}) };
          break;
        case 'result-union':
          if (!callable) fail(at('errors', 'style'), `a ${kind} channel returns nothing, so it cannot have a result-union error contract`);
          errors = {
            style: 'result-union',
            error: this.schemaAt({ file: f, path: at('errors', 'error') }),
            discriminator: rawErr.discriminator as Record<string, unknown> | undefined,
            note,
            ...(rawErr.when ? { when: rawErr.when as string } : {}),
          };
          break;
        case 'tauri-string':
          if (transport !== 'tauri' || !callable) fail(at('errors', 'style'), `style tauri-string is a Tauri command error contract (this is a ${transport} ${kind})`);
          errors = { style: 'tauri-string', note, ...(rawErr.when ? { when: rawErr.when as string } : {}) };
          break;
        case 'none':
          errors = { style: 'none', note };
          break;
        default:
          errors = { style: 'unspecified', note: note! };
      }
    }

    // What invalid params get: the channel's statement, else the pack's default; it must fit the error style.
    const invalidParams = ((raw.invalidParams ?? (f.data as Record<string, unknown>).invalidParams ?? 'unspecified') as InvalidParamsAnswer);
    // A Tauri command's rejection is its `tauri-string` error.
    const needs: Partial<Record<InvalidParamsAnswer, ErrorContract['style']>> = { rejected: transport === 'tauri' ? 'tauri-string' : 'rejection', 'error-branch': 'result-union' };
    if (callable && needs[invalidParams] && needs[invalidParams] !== errors.style) {
      fail(raw.invalidParams !== undefined ? at('invalidParams') : ['invalidParams'],
        `invalidParams: ${invalidParams} needs errors style ${needs[invalidParams]}, but channel ${name} has style ${errors.style}`);
    }

    // prerequisites, fixtures, cleanup: shapes here; channel names once includes are known.
    const prerequisites = (raw.prerequisites ?? []) as Prerequisite[];
    const bound = new Set<string>();
    prerequisites.forEach((p, i) => {
      if (p.as) {
        if (p.as === 'result') fail(at('prerequisites', i, 'as'), '"result" is reserved for the result of the channel itself');
        if (bound.has(p.as)) fail(at('prerequisites', i, 'as'), `"${p.as}" is bound twice`);
        bound.add(p.as);
      }
    });
    const fixtures = (raw.fixtures ?? {}) as Record<string, string>;
    for (const [param, ref] of Object.entries(fixtures)) {
      const head = ref.split('.')[0]!;
      if (!bound.has(head)) {
        fail(
          at('fixtures', param),
          `fixture "${ref}" names unknown prerequisite "${head}"` +
            (bound.size ? ` (prerequisites bind: ${[...bound].join(', ')})` : ' (no prerequisite binds a result with "as")'),
        );
      }
      if (params.style === 'positional' && !params.list.some((p, i) => p.name === param || String(i) === param)) {
        fail(at('fixtures', param), `fixture for unknown param "${param}" (params: ${params.list.map((p) => p.name).join(', ')})`, 'key');
      }
      if (params.style === 'none') fail(at('fixtures', param), `fixture for param "${param}" but the channel has no params`, 'key');
    }
    const cleanup = (raw.cleanup ?? []) as Prerequisite[];
    // Prerequisite args may use earlier bindings; cleanup may also use the channel's own result and args.
    const earlier = new Set<string>();
    prerequisites.forEach((pr, i) => {
      checkTemplates(f, at('prerequisites', i, 'args'), pr.args, { bound: earlier });
      if (pr.as) earlier.add(pr.as);
    });
    cleanup.forEach((c, i) => checkTemplates(f, at('cleanup', i, 'args'), c.args, { bound, result: true, params, owner: name }));

    // Args: the whole argument value as it crosses IPC, as one schema node.
    const argsSchema: JsonSchema =
      params.style === 'positional'
        ? {
            type: 'array',
            prefixItems: params.list.map((p) => ({ $ref: p.schema.uri, title: p.name })),
            minItems: params.list.filter((p) => !p.optional).length,
            maxItems: params.list.length,
          }
        : params.style === 'named'
          ? { $ref: params.schema.uri }
          : { type: 'array', maxItems: 0 };
    const args = params.style === 'named' ? params.schema : this.store.register(argsUri(this.src.name, name), argsSchema);

    return withLazyPos({
      name,
      kind,
      bridge,
      description: raw.description as string | undefined,
      params,
      args,
      returns,
      returnsVoid,
      payload,
      channelParam,
      errors,
      invalidParams: callable ? invalidParams : 'unspecified',
      assumed: {
        // Pack-wide assumptions (top-level `assumed:`) reach every channel they apply to.
        ...(bridge && packAssumed(f).bridge ? { bridge: packAssumed(f).bridge } : {}),
        ...(raw.budgetMs !== undefined && packAssumed(f).budgets ? { budgetMs: packAssumed(f).budgets } : {}),
        ...((raw.assumed ?? {}) as ChannelAssumptions),
      },
      budgetMs: raw.budgetMs as number | undefined,
      prerequisites: prerequisites.map((p) => ({ call: p.call, args: p.args, ...(p.as ? { as: p.as } : {}) })),
      fixtures,
      cleanup: cleanup.map((p) => ({ call: p.call, args: p.args, ...(p.as ? { as: p.as } : {}) })),
      ...(raw.destructive !== undefined ? { destructive: raw.destructive as string } : {}),
      notes: asNotes(raw.notes),
      definedIn: this.src.name,
    }, posOf);
  }

  /**
   * The values a variant field can take across the events' payloads (its `enum`/`const`, looking
   * through `$ref` and unions), or undefined when no payload pins them down.
   */
  private variantEnum(events: Channel[], field: string): string[] | undefined {
    const found = new Set<string>();
    const visit = (node: { uri: string; schema: unknown }, depth: number): void => {
      const sch = node.schema as Record<string, unknown>;
      if (depth > 12 || typeof sch !== 'object' || sch === null) return;
      if (typeof sch.$ref === 'string') return visit(this.store.resolve(sch.$ref, node.uri), depth + 1);
      for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
        (sch[k] as unknown[] | undefined)?.forEach((b) => visit({ uri: node.uri, schema: b }, depth + 1));
      }
      const prop = (sch.properties as Record<string, unknown> | undefined)?.[field];
      if (prop === undefined) return;
      let p = { uri: node.uri, schema: prop } as { uri: string; schema: unknown };
      for (let i = 0; i < 12 && typeof (p.schema as Record<string, unknown>)?.$ref === 'string'; i++) {
        p = this.store.resolve((p.schema as Record<string, string>).$ref, p.uri);
      }
      const ps = p.schema as Record<string, unknown>;
      for (const v of [...((ps.enum as unknown[]) ?? []), ...('const' in ps ? [ps.const] : [])]) if (typeof v === 'string') found.add(v);
    };
    for (const ev of events) if (ev.payload) visit(ev.payload, 0);
    return found.size ? [...found].sort() : undefined;
  }

  private checkCalls(ch: Channel, byName: Map<string, Channel>): void {
    const f = this.contract;
    const check = (list: Prerequisite[], key: 'prerequisites' | 'cleanup') =>
      list.forEach((p, i) => {
        const target = byName.get(p.call);
        const path: Seg[] = ['channels', ch.name, key, i, 'call'];
        if (!target) {
          throw new ContractError(
            `${keyPath(path)}: unknown channel "${p.call}"${suggest(p.call, [...byName.keys()])}`,
            f.posAt(path),
            'call',
          );
        }
        if (target.kind === 'event') {
          throw new ContractError(`${keyPath(path)}: "${p.call}" is an event; only callable channels can be called`, f.posAt(path), 'call');
        }
      });
    check(ch.prerequisites, 'prerequisites');
    check(ch.cleanup, 'cleanup');
  }

  // ---------------------------------------------------------------- collections

  private buildCollection(name: string, raw: Record<string, string>, byName: Map<string, Channel>): Collection {
    const f = this.contract;
    const at = (...p: Seg[]) => ['collections', name, ...p];
    const names = [...byName.keys()];
    for (const op of COLLECTION_OPS) {
      const chName = raw[op];
      if (chName === undefined) continue;
      const ch = byName.get(chName);
      if (!ch) {
        throw new ContractError(`${keyPath(at(op))}: collection references unknown channel "${chName}"${suggest(chName, names)}`, f.posAt(at(op)), op);
      }
      if (ch.kind === 'event') {
        throw new ContractError(`${keyPath(at(op))}: "${chName}" is an event; a collection operation is a callable channel`, f.posAt(at(op)), op);
      }
    }
    if (!COLLECTION_OPS.some((op) => raw[op] !== undefined)) {
      throw new ContractError(`${keyPath(at())}: a collection names at least one of ${COLLECTION_OPS.join(', ')}`, f.posAt(at(), 'key'), name);
    }
    const idParam = raw.idParam;
    if (idParam !== undefined) {
      for (const op of ['get', 'update', 'delete'] as const) {
        const ch = raw[op] ? byName.get(raw[op]!) : undefined;
        if (ch && ch.params.style === 'positional' && !ch.params.list.some((p, i) => p.name === idParam || String(i) === idParam)) {
          throw new ContractError(
            `${keyPath(at('idParam'))}: "${raw[op]}" (${op}) has no param "${idParam}" (params: ${ch.params.list.map((p) => p.name).join(', ')})`,
            f.posAt(at('idParam')),
            'idParam',
          );
        }
      }
    }
    const out: Collection = withLazyPos({ name, idField: raw.idField! }, () => f.posAt(['collections', name], 'key'));
    for (const key of ['idParam', 'itemPath', ...COLLECTION_OPS] as const) if (raw[key] !== undefined) out[key] = raw[key];
    return out;
  }

  // ---------------------------------------------------------------- streams

  private buildStream(name: string, raw: Record<string, unknown>, byName: Map<string, Channel>): Stream {
    const f = this.contract;
    const at = (...p: Seg[]) => ['streams', name, ...p];
    const fail = (p: Seg[], msg: string): never => {
      throw new ContractError(`${keyPath(p)}: ${msg}`, f.posAt(p), String(p[p.length - 1]));
    };
    const names = [...byName.keys()];
    const start = raw.start as string;
    const startCh = byName.get(start);
    if (!startCh) fail(at('start'), `stream references unknown channel "${start}"${suggest(start, names)}`);
    if (startCh!.kind === 'event') fail(at('start'), `"${start}" is an event; a stream starts with a call`);
    const variants = startCh!.kind === 'channel-stream';
    const events = raw.events as string[];
    if (!variants) {
      events.forEach((e, i) => {
        const ch = byName.get(e);
        if (!ch) fail(at('events', i), `stream references unknown channel "${e}"${suggest(e, names.filter((n) => byName.get(n)!.kind === 'event'))}`);
        if (ch!.kind !== 'event') fail(at('events', i), `"${e}" is a ${ch!.kind} channel, not an event`);
      });
    }
    const grammarSrc = raw.grammar as string | undefined;
    let grammar: CompiledGrammar | undefined;
    if (grammarSrc !== undefined) {
      try {
        grammar = compileGrammar(grammarSrc);
      } catch (err) {
        if (!(err instanceof GrammarError)) throw err;
        const msg = err.message.replace(/^grammar column \d+: /, '');
        throw new ContractError(`${keyPath(at('grammar'))}: bad grammar: ${msg}`, f.scalarPos(at('grammar'), err.column), 'grammar');
      }
      // With a variantField on an event stream, the grammar runs over payload variants (e.g.
      // `type: progress`), checked against the variant field's enum where the payload states one.
      const variantNames = !variants && raw.variantField ? this.variantEnum(events.map((e) => byName.get(e)!), raw.variantField as string) : undefined;
      const symbols = variants || !raw.variantField ? events : variantNames;
      for (const ev of symbols ? grammar.alphabet : []) {
        if (!symbols!.includes(ev)) {
          const col = findWord(grammarSrc, ev) + 1;
          throw new ContractError(
            `${keyPath(at('grammar'))}: grammar names unknown ${symbols === events ? 'event' : `${raw.variantField as string} variant`} "${ev}" (${symbols === events ? 'stream events' : 'variants'}: ${symbols!.join(', ')})${suggest(ev, symbols!)}`,
            f.scalarPos(at('grammar'), col),
            'grammar',
          );
        }
      }
    }
    const end = (raw.end as Stream['end'] | undefined) ?? (variants ? 'call-settles' : grammarSrc ? 'grammar' : 'call-settles');
    if (end === 'grammar' && !grammarSrc) fail(at('end'), 'end: grammar needs a "grammar" to say which events are terminal');
    if (end === 'grammar' && grammar && !raw.abort && !grammar.alphabet.some((e) => grammar!.isTerminal(e))) {
      fail(at('end'), `end: grammar, but no event of "${grammarSrc}" ends the stream and there is no abort: nothing ever ends it (use end: call-settles or a grammar with a terminal event)`);
    }

    const abortRaw = raw.abort as { call: string; args?: unknown; terminal?: string } | undefined;
    if (abortRaw) {
      const ch = byName.get(abortRaw.call);
      if (!ch) fail(at('abort', 'call'), `stream references unknown channel "${abortRaw.call}"${suggest(abortRaw.call, names)}`);
      if (ch!.kind === 'event') fail(at('abort', 'call'), `"${abortRaw.call}" is an event; abort needs a callable channel`);
      checkTemplates(f, at('abort', 'args'), abortRaw.args, { bound: new Set(), result: true, params: startCh!.params, owner: start });
      if (abortRaw.terminal !== undefined && !events.includes(abortRaw.terminal)) {
        fail(at('abort', 'terminal'), `terminal "${abortRaw.terminal}" is not one of the stream's events (${events.join(', ')})`);
      }
    }
    const correlation = ((raw.correlation ?? []) as Correlation[]).map((c, i) => {
      if (c.event !== '*' && !events.includes(c.event)) fail(at('correlation', i, 'event'), `"${c.event}" is not one of the stream's events (${events.join(', ')})`);
      const m = /^param:(.+)$/.exec(c.equals);
      if (m && startCh!.params.style === 'positional') {
        const list = startCh!.params.list;
        if (!list.some((p, j) => p.name === m[1] || String(j) === m[1])) {
          fail(at('correlation', i, 'equals'), `"${start}" has no param "${m[1]}" (params: ${list.map((p) => p.name).join(', ')})`);
        }
      } else if (m && startCh!.params.style === 'none') {
        fail(at('correlation', i, 'equals'), `"${start}" takes no params`);
      }
      return { event: c.event, field: c.field, equals: c.equals };
    });
    return withLazyPos({
      name,
      start,
      events: [...events],
      grammar: grammarSrc,
      end,
      variantField: raw.variantField as string | undefined,
      abort: abortRaw ? { ...abortRaw } : undefined,
      correlation,
      budget: raw.budget as Stream['budget'],
      assumed: {
        ...(raw.budget !== undefined && packAssumed(f).budgets ? { budget: packAssumed(f).budgets } : {}),
        ...((raw.assumed ?? {}) as StreamAssumptions),
      },
      notes: asNotes(raw.notes),
    }, () => f.posAt(['streams', name], 'key'));
  }
}

// ------------------------------------------------------------------ helpers

/**
 * `obj` with a `pos` looked up when first read: a place needs `yaml`'s parse of the file, which a
 * load that finds nothing wrong never pays for (reports read it for a failing channel only).
 */
function withLazyPos<T extends object>(obj: T, at: () => SourcePos): T & { pos: SourcePos } {
  let pos: SourcePos | undefined;
  Object.defineProperty(obj, 'pos', { enumerable: true, configurable: true, get: () => (pos ??= at()) });
  return obj as T & { pos: SourcePos };
}

/** The pack-level `assumed:` of a contract file: `bridge` (every bridge path), `budgets` (every budget). */
function packAssumed(f: YamlFile): { bridge?: string; budgets?: string } {
  return ((f.data as Record<string, unknown>).assumed ?? {}) as { bridge?: string; budgets?: string };
}

function pointerSegsTyped(data: unknown, pointer: string): Seg[] {
  return typedPath(data, pointerSegs(pointer));
}

/** Path (from `base`) of the first object key named `key` in a schema, depth first. */
function findKey(schema: unknown, key: string, base: Seg[]): Seg[] | undefined {
  if (Array.isArray(schema)) {
    for (let i = 0; i < schema.length; i++) {
      const r = findKey(schema[i], key, [...base, i]);
      if (r) return r;
    }
  } else if (isObj(schema)) {
    if (Object.prototype.hasOwnProperty.call(schema, key)) return [...base, key];
    for (const [k, v] of Object.entries(schema)) {
      if (NON_SCHEMA_VALUE_KEYS.has(k) && k !== 'x-guard') continue;
      const r = findKey(v, key, [...base, k]);
      if (r) return r;
    }
  }
  return undefined;
}

function findValue(schema: unknown, key: string, value: string, base: Seg[]): Seg[] | undefined {
  if (Array.isArray(schema)) {
    for (let i = 0; i < schema.length; i++) {
      const r = findValue(schema[i], key, value, [...base, i]);
      if (r) return r;
    }
  } else if (isObj(schema)) {
    if (schema[key] === value) return [...base, key];
    for (const [k, v] of Object.entries(schema)) {
      const r = findValue(v, key, value, [...base, k]);
      if (r) return r;
    }
  }
  return undefined;
}

/** Index of `word` in a grammar source as a whole event name (not part of a longer one). */
function findWord(src: string, word: string): number {
  const re = new RegExp(`(^|[^A-Za-z0-9_:.\\-/@])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_:.\\-/@])`);
  const m = re.exec(src);
  return m ? m.index + m[1]!.length : Math.max(0, src.indexOf(word));
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Close names to `name`, best first (edit distance, then shared substring). */
export function closeNames(name: string, candidates: string[], max = 3): string[] {
  const lower = name.toLowerCase();
  return candidates
    .map((c) => {
      const cl = c.toLowerCase();
      let d = editDistance(lower, cl);
      if (cl.includes(lower) || lower.includes(cl)) d = Math.min(d, Math.abs(cl.length - lower.length) / 2);
      return { c, d };
    })
    .filter(({ c, d }) => d <= Math.max(1, Math.floor(Math.max(c.length, name.length) / 4)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .filter(({ d }, _i, all) => d <= all[0]!.d + 1)
    .slice(0, max)
    .map(({ c }) => c);
}

function suggest(name: string, candidates: string[]): string {
  const close = closeNames(name, candidates);
  return close.length ? ` (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)` : '';
}
