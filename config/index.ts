// conform.config.{ts,mts,js,mjs,cjs,json}: `defineConfig` for the user's file, finding and loading
// it, and validating it with ajv so every error names the file (and line, for JSON) and the key.
// Relative paths in the file are resolved against the file's folder here, once.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { createAjv } from '../specs/schema-store.ts';
import { closeNames } from '../specs/loader.ts';
import { UsageError } from '../cli/errors.ts';
import { isNodeVersion } from '../runner/standin/node-choice.ts';
import { CONFIG_SCHEMA } from './schema.ts';

/** A command (stub backend, dev server) started before the app and stopped after it. */
export interface ServerConfig {
  /** Shown in messages; default: the command. */
  name?: string;
  command: string;
  args?: string[];
  /** Default: the config file's folder. */
  cwd?: string;
  env?: Record<string, string>;
  /** When it is ready: an HTTP URL answering, a TCP port accepting, or a line of its output matching (a regex). Default: as soon as it started. */
  ready?: { url?: string; port?: number; output?: string };
  /** Longest wait for `ready` in ms; default 30000. */
  timeout?: number;
}

export interface ConformConfig {
  /** The app's main script or its folder (with a package.json `main`). */
  app?: string;
  /** The contract pack's folder (or the name of a pack shipped with Conform). */
  pack?: string;
  /** An Electron binary; default: the app's installed Electron, else Conform's stand-in. */
  electron?: string;
  /** Node for main on the stand-in: a binary (relative to the file) or a version such as `24` or `24.11.1` (like `--node`). */
  node?: string;
  seed?: number;
  grep?: string;
  /** Run reporters: list, json, junit, html, md (...). */
  reporters?: string[];
  /** Folder for report files. */
  out?: string;
  /** Lowest finding severity that fails the run (exit 1); default 'error'. */
  failOn?: 'error' | 'warning';
  /** Baseline file: fail only on findings not recorded in it (`--baseline`). */
  baseline?: string;
  /** Waivers file (YAML/JSON list of { check, channel?, reason, expires? }) (`--waivers`). */
  waivers?: string;
  /** Record this run's findings as the baseline in this file (`--update-baseline`). */
  updateBaseline?: string;
  /** Timeout of one call inside the renderer, ms. */
  callTimeout?: number;
  /** Longest wait for a stream to end, ms. */
  streamTimeout?: number;
  launch?: {
    /** Extra arguments after the main script. */
    args?: string[];
    /** Extra environment for the app (and for servers). */
    env?: Record<string, string>;
    /** Working folder of the app. */
    cwd?: string;
    /** Launch timeout (first window), ms. */
    timeout?: number;
    servers?: ServerConfig[];
  };
}

/** Identity, for type checking and editor completion in conform.config.ts / .js. */
export function defineConfig(config: ConformConfig): ConformConfig {
  return config;
}

export const CONFIG_FILES = ['conform.config.ts', 'conform.config.mts', 'conform.config.js', 'conform.config.mjs', 'conform.config.cjs', 'conform.config.json'];

export interface LoadedConfig {
  /** Absolute path of the file. */
  file: string;
  /** Its folder: relative paths inside were resolved against it. */
  dir: string;
  config: ConformConfig;
}

/** The first conform.config.* in `dir`, or undefined. */
export function findConfigFile(dir: string): string | undefined {
  return CONFIG_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
}

class ConfigError extends UsageError {
  constructor(file: string, where: string, message: string) {
    super(`${file}${where}: ${message}`);
    this.name = 'ConfigError';
  }
}

/**
 * Load `file` (or the conform.config.* found in `cwd`). Returns undefined when no file is given
 * and none exists; throws a UsageError naming file, line (JSON) and key when it is invalid.
 */
export async function loadConfig(opts: { file?: string; cwd?: string } = {}): Promise<LoadedConfig | undefined> {
  const cwd = opts.cwd ?? process.cwd();
  const file = opts.file ? resolve(cwd, opts.file) : findConfigFile(cwd);
  if (!file) return undefined;
  if (!existsSync(file)) throw new UsageError(`--config ${opts.file}: no such file`);
  const raw = await readConfigValue(file);
  validate(file, raw);
  const dir = dirname(file);
  return { file, dir, config: resolvePaths(raw as ConformConfig, dir) };
}

async function readConfigValue(file: string): Promise<unknown> {
  if (file.endsWith('.json')) {
    const text = readFileSync(file, 'utf8');
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new ConfigError(file, '', `not valid JSON (${(e as Error).message})`);
    }
  }
  let mod: { default?: unknown };
  try {
    if (/\.[cm]?ts$/.test(file)) {
      // tsx compiles the file on the fly, so a TypeScript config needs no build step.
      const { tsImport } = await import('tsx/esm/api');
      mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: unknown };
    } else {
      mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    }
  } catch (e) {
    throw new ConfigError(file, '', `could not be loaded: ${(e as Error).message}`);
  }
  // A CommonJS file compiled by tsx may nest the default export once more.
  let value = mod.default;
  if (value && typeof value === 'object' && 'default' in value && Object.keys(value).length === 1) value = (value as { default: unknown }).default;
  if (value === undefined) throw new ConfigError(file, '', 'has no default export; write `export default defineConfig({ ... })`');
  return value;
}

let validator: ReturnType<ReturnType<typeof createAjv>['compile']> | undefined;

function validate(file: string, value: unknown): void {
  validator ??= createAjv().compile(CONFIG_SCHEMA);
  if (validator(value)) return;
  const err = pickConfigError(validator.errors ?? []);
  const key = keyOf(err);
  const line = file.endsWith('.json') ? jsonLine(file, err) : undefined;
  throw new ConfigError(file, line ? `:${line}` : '', `${key ? `key "${key}"` : 'the config'} ${describe(err)}`);
}

/** The most specific error: unknown keys first (typos), then the deepest. */
function pickConfigError(errors: ErrorObject[]): ErrorObject {
  const extra = errors.find((e) => e.keyword === 'additionalProperties');
  if (extra) return extra;
  return [...errors].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length)[0]!;
}

function pathSegments(err: ErrorObject): string[] {
  const segs = err.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (err.keyword === 'additionalProperties') segs.push(String((err.params as { additionalProperty: string }).additionalProperty));
  if (err.keyword === 'required') segs.push(String((err.params as { missingProperty: string }).missingProperty));
  return segs;
}

function keyOf(err: ErrorObject): string {
  return pathSegments(err).map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : `${i ? '.' : ''}${s}`)).join('');
}

function describe(err: ErrorObject): string {
  const known = Object.keys(CONFIG_SCHEMA.properties).filter((k) => k !== '$schema');
  switch (err.keyword) {
    case 'additionalProperties': {
      const close = closeNames(String((err.params as { additionalProperty: string }).additionalProperty), [...keysOf(CONFIG_SCHEMA)]);
      const hint = close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : '';
      return err.instancePath === '' ? `is not a Conform setting (known: ${known.join(', ')})${hint}` : `is not allowed here${hint}`;
    }
    case 'required':
      return 'is required';
    case 'enum':
      return `must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return err.message ?? 'is invalid';
  }
}

/** Every property name the schema knows, at any depth (for "did you mean"). */
function keysOf(schema: unknown, into = new Set<string>()): Set<string> {
  if (!schema || typeof schema !== 'object') return into;
  const props = (schema as { properties?: Record<string, unknown> }).properties;
  for (const [k, v] of Object.entries(props ?? {})) {
    if (k !== '$schema') into.add(k);
    keysOf(v, into);
  }
  keysOf((schema as { items?: unknown }).items, into);
  return into;
}

/** Line of the offending key in a JSON file (JSON is YAML, whose parser keeps positions). */
function jsonLine(file: string, err: ErrorObject): number | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: counter });
  let node: unknown = doc.contents;
  let at: number | undefined = (node as Node | null)?.range?.[0];
  for (const seg of pathSegments(err)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === seg);
      if (!pair) break;
      at = (pair.key as Node).range?.[0] ?? at;
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(seg)];
      at = (node as Node | undefined)?.range?.[0] ?? at;
    } else break;
  }
  return at === undefined ? undefined : counter.linePos(at).line;
}

function resolvePaths(c: ConformConfig, dir: string): ConformConfig {
  const abs = (p: string | undefined) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(dir, p));
  // A pack given by a bare name (no slash, no such folder) is one of Conform's shipped packs.
  const pack = c.pack === undefined || (!c.pack.includes('/') && !existsSync(join(dir, c.pack))) ? c.pack : abs(c.pack);
  return {
    ...c,
    app: abs(c.app),
    pack,
    electron: abs(c.electron),
    // A version stays a version; anything else is a binary's path.
    node: c.node === undefined || isNodeVersion(c.node) ? c.node : abs(c.node),
    out: abs(c.out),
    baseline: abs(c.baseline),
    waivers: abs(c.waivers),
    updateBaseline: abs(c.updateBaseline),
    launch: c.launch && {
      ...c.launch,
      cwd: abs(c.launch.cwd),
      servers: c.launch.servers?.map((s) => ({ ...s, cwd: abs(s.cwd) ?? dir })),
    },
  };
}
