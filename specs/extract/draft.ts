// Turns the analysis of a preload into a draft pack (contract.yaml + types.yaml): channels with
// kind, bridge path and positional params; schemas from declared types where there are any,
// `x-unspecified` entries with a note where there are none.
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import ts from 'typescript';
import { analyzePreload } from './analyze.ts';
import type { FoundChannel } from './analyze.ts';
import { coverageOf } from './coverage.ts';
import type { ExtractCoverage } from './coverage.ts';
import { aliasesOf } from './imports.ts';
import type { SchemaFile } from './imports.ts';
import { TypeConverter, declaredAt, generateTypeSchemas, unspecified } from './schemas.ts';
import type { NamedSchemas, Schema } from './schemas.ts';
import { bridgeSignature, callbackArgType, declaredBridge, signatureParams, typed } from './signature.ts';
import { UsageError } from '../../cli/errors.ts';

export interface DraftOptions {
  preload: string;
  types?: string[];
  /** Pack/app name; default: the preload's folder name. */
  name?: string;
  /** Schemas the team already has (Zod, other tools' JSON Schema), first match wins. */
  schemaFiles?: SchemaFile[];
}

export interface Draft {
  name: string;
  contract: Record<string, unknown>;
  /** types.yaml document (`$defs`), when --types gave any. */
  types?: { $defs: Record<string, Schema> };
  /** Further schema files of the pack (zod.yaml, imported JSON Schema files). */
  schemaFiles: SchemaFile[];
  warnings: string[];
  coverage: ExtractCoverage;
  /** For reports and tests: channel -> bridge path as found. */
  found: { channel: string; kind: string; bridge: string | null }[];
}

const KIND: Record<FoundChannel['method'], 'invoke' | 'send' | 'event'> = {
  invoke: 'invoke',
  send: 'send',
  sendSync: 'send',
  on: 'event',
  once: 'event',
  addListener: 'event',
  removeListener: 'event',
  off: 'event',
};
/** Which call decides the kind and bridge path of a channel when several mention it. */
const RANK: Record<FoundChannel['method'], number> = { invoke: 0, send: 0, sendSync: 0, on: 1, once: 1, addListener: 1, removeListener: 2, off: 2 };

/** A preload's text; binary data (NUL bytes, invalid UTF-8) is a usage error, never echoed. */
function preloadText(file: string): string {
  const buf = readFileSync(file);
  try {
    if (buf.includes(0)) throw new Error('NUL byte');
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new UsageError(`--preload ${file}: not a text file (binary data or not UTF-8); give the preload's JavaScript or TypeScript source`);
  }
}

export function draftPack(opts: DraftOptions): Draft {
  const given = resolve(opts.preload);
  const typeFiles = (opts.types ?? []).map((f) => resolve(f));
  const options: ts.CompilerOptions = {
    allowJs: true,
    checkJs: false,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    strict: true,
    types: [],
  };
  // TypeScript only reads the extensions it knows; a preload named otherwise (.txt, no extension,
  // a bundle) is read as JavaScript under a virtual `.js` name.
  const known = /\.([cm]?[jt]s|[jt]sx)$/.test(given);
  const preload = known ? given : `${given}.conform.js`;
  const host = ts.createCompilerHost(options);
  if (!known) {
    const text = preloadText(given);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) => (name === preload ? ts.createSourceFile(name, text, lang, true, ts.ScriptKind.JS) : getSourceFile(name, lang, ...rest));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === preload || fileExists(name);
  }
  const program = ts.createProgram([preload, ...typeFiles], options, host);
  const sf = program.getSourceFile(preload);
  if (!sf) throw new UsageError(`--preload ${opts.preload}: cannot be read as JavaScript or TypeScript`);
  const checker = program.getTypeChecker();
  const analysis = analyzePreload(opts.preload, sf.text, sf);
  const warnings = [...analysis.warnings];
  const generated = typeFiles.length ? generateTypeSchemas(typeFiles) : { defs: {}, warnings: [] };
  const defs = generated.defs;
  warnings.push(...generated.warnings);
  const schemaFiles = opts.schemaFiles ?? [];
  const named: NamedSchemas = new Map();
  for (const f of schemaFiles) for (const d of Object.keys(f.defs)) for (const alias of aliasesOf(d)) if (!named.has(alias)) named.set(alias, `${f.file}#/$defs/${d}`);
  for (const d of Object.keys(defs)) if (!named.has(d)) named.set(d, `types.yaml#/$defs/${d}`);
  const conv = new TypeConverter(checker, named);
  const declaredSignature = declaredBridge(program, checker);
  const js = !/\.[cm]?tsx?$/.test(preload);

  // Group the calls by channel; the invoke/send call (or else the subscribe) decides.
  const byChannel = new Map<string, FoundChannel[]>();
  for (const c of analysis.channels) {
    const list = byChannel.get(c.channel) ?? [];
    list.push(c);
    byChannel.set(c.channel, list);
  }
  const channels: Record<string, unknown> = {};
  const found: Draft['found'] = [];
  const usedBridges = new Set<string>();
  const paramsHidden = new Set<string>();
  const draftChannel = (name: string, calls: FoundChannel[]): void => {
    const main = [...calls].sort((a, b) => RANK[a.method] - RANK[b.method] || (a.bridge ? 0 : 1) - (b.bridge ? 0 : 1))[0]!;
    const kind = KIND[main.method];
    const notes: string[] = [`drafted by conform extract from ${basename(given)}:${main.pos.line}:${main.pos.col} (ipcRenderer.${main.method})`];
    if (calls.some((c) => KIND[c.method] !== kind)) notes.push(`the preload also uses this channel as ${[...new Set(calls.map((c) => c.method))].join(', ')}`);
    if (main.method === 'sendSync') notes.push('ipcRenderer.sendSync: synchronous; main answers through event.returnValue');
    let bridge = main.bridge;
    if (bridge && usedBridges.has(bridge)) {
      notes.push(`bridge ${bridge} also reaches another channel; kept on the first`);
      bridge = null;
    }
    if (bridge) usedBridges.add(bridge);
    const ch: Record<string, unknown> = { kind, bridge };
    conv.usedAt = declaredAt(main.site ?? main.fn ?? sf);
    const what = (s: string) => (js ? `${s} (JavaScript preload: no declared type)` : s);
    // The bridge method as a declaration file (global.d.ts) types it, for what the preload leaves untyped.
    const declared = main.bridge ? declaredSignature(main.bridge) : undefined;
    const declaredParams = declared ? signatureParams(declared, checker) : [];
    if (declared) notes.push(`types the preload leaves open are taken from the declared ${main.bridge}${declared.getDeclaration() ? ` (${declaredAt(declared.getDeclaration())})` : ""}`);
    if (kind === 'event') {
      ch.payload = payloadSchema(main, checker, conv, declaredParams[0]?.type) ?? unspecified(what(`${name}: payload type not declared in the preload`));
    } else {
      const params: Record<string, unknown>[] = [];
      const sig = bridgeSignature(main, checker);
      const sigParams = sig ? signatureParams(sig, checker) : [];
      const indexOf = (a: (typeof main.args)[number]) => (a.param && main.fn ? main.fn.parameters.indexOf(a.param) : -1);
      for (const a of main.args) {
        if (a.rest) {
          // A forwarded rest: the typed call site may still state each position.
          let tail = indexOf(a) >= 0 ? sigParams.slice(indexOf(a)) : [];
          if (!tail.some((x) => !x.rest) && declaredParams.length) tail = declaredParams.slice(Math.max(0, indexOf(a)));
          for (const p of tail.filter((x) => !x.rest)) params.push({ name: p.name, schema: conv.convert(p.type, `${name} param ${p.name}`), ...(p.optional ? { optional: true } : {}) });
          if (tail.length === 0 || tail.some((x) => x.rest)) {
            notes.push(`forwards ...${a.name}: the params are not visible in the preload`);
            paramsHidden.add(name);
          }
          break;
        }
        let schema: Schema;
        if (a.param) {
          const sp = sigParams[indexOf(a)];
          const dp = declaredParams[indexOf(a)];
          const t = typed(sp && !sp.rest ? sp.type : checker.getTypeAtLocation(a.param)) ?? (dp && !dp.rest ? dp.type : checker.getTypeAtLocation(a.param));
          schema = conv.convertWritten(a.param.type, t, `${name} param ${a.name}`);
          if (js && schema['x-unspecified'] !== undefined) schema = unspecified(what(`${name} param ${a.name}: type not declared in the preload`));
        } else {
          schema = unspecified(what(`${name} param ${a.name}: passes the expression \`${a.expression}\``));
        }
        params.push({ name: a.name, schema, ...(a.optional ? { optional: true } : {}) });
      }
      // Optional params must come last: an optional one followed by a required one is required.
      for (let i = params.length - 2; i >= 0; i--) if (params[i]!.optional && !params[i + 1]!.optional) delete params[i]!.optional;
      ch.params = params;
      if (kind === 'invoke') {
        ch.returns = returnSchema(main, checker, conv, name, declared) ?? unspecified(what(`${name}: return type not declared in the preload`));
        ch.errors = { style: 'unspecified', note: 'the preload does not show how main reports failure (rejection or a result union)' };
      }
    }
    if (!js && calls.some((c) => c.site && c.fn && c.site !== c.fn)) notes.push('types from the bridge member as written (a wrapper or factory with its generics filled in)');
    ch.notes = notes;
    channels[name] = ch;
    found.push({ channel: name, kind, bridge });
  };
  for (const [name, calls] of byChannel) {
    try {
      draftChannel(name, calls);
    } catch (err) {
      // Whatever one channel trips over stays with that channel: the draft goes on.
      const main = calls[0]!;
      const kind = KIND[main.method];
      const note = `${name}: extract could not read its types (${err instanceof Error ? err.message.split('\n')[0] : String(err)}) at ${basename(preload)}:${main.pos.line}`;
      warnings.push(note);
      const taken = new Set(Object.values(channels).map((c) => (c as { bridge?: string | null }).bridge));
      const bridge = main.bridge && !taken.has(main.bridge) ? main.bridge : null;
      if (bridge) usedBridges.add(bridge);
      channels[name] = kind === 'event' ? { kind, bridge, payload: unspecified(note), notes: [note] } : { kind, bridge, params: [], ...(kind === 'invoke' ? { returns: unspecified(note), errors: { style: 'unspecified', note: 'not read' } } : {}), notes: [note] };
      if (kind !== 'event') paramsHidden.add(name);
      found.push({ channel: name, kind, bridge });
    }
  }

  const packName = opts.name ?? basename(dirname(given));
  const contract: Record<string, unknown> = {
    conform: 1,
    app: packName,
    transport: 'electron',
    description: `Draft contract extracted from ${basename(given)} by conform extract: review every x-unspecified entry and the error contracts.`,
    source: `conform extract --preload ${basename(given)}`,
    bridge: { roots: analysis.roots },
    channels,
  };
  const fileDefs = new Map<string, Record<string, Schema>>([['types.yaml', defs], ...schemaFiles.map((f): [string, Record<string, Schema>] => [f.file, f.defs])]);
  // `zod.yaml#/$defs/X` from the contract, `#/$defs/X` inside a schema file: the defs are unique enough by name.
  const resolveRef = (ref: string) => {
    const [file, ptr] = ref.split('#');
    const name = ptr?.replace(/^\/\$defs\//, '') ?? '';
    if (file) return fileDefs.get(file)?.[name];
    for (const d of fileDefs.values()) if (d[name]) return d[name];
    return undefined;
  };
  const coverage = coverageOf(channels, resolveRef, paramsHidden);
  contract.notes = [`schema coverage of this draft: ${coverage.line}`, ...schemaFiles.map((f) => `${f.file}: ${f.source}`)];
  return { name: packName, contract, types: Object.keys(defs).length ? { $defs: defs } : undefined, schemaFiles, warnings, found, coverage };
}

function unwrapPromise(t: ts.Type, checker: ts.TypeChecker): ts.Type {
  const sym = t.getSymbol();
  if (sym?.getName() === 'Promise') {
    const [inner] = checker.getTypeArguments(t as ts.TypeReference);
    if (inner) return inner;
  }
  return t;
}

function returnSchema(c: FoundChannel, checker: ts.TypeChecker, conv: TypeConverter, name: string, declared?: ts.Signature): Schema | 'void' | undefined {
  const own = bridgeSignature(c, checker);
  const ownType = own && typed(unwrapPromise(checker.getReturnTypeOfSignature(own), checker));
  const sig = ownType ? own : declared;
  if (!sig) return undefined;
  const t = unwrapPromise(checker.getReturnTypeOfSignature(sig), checker);
  if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  if (t.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return 'void';
  // The return type as written, when the bridge method is the declared function itself.
  const written = sig === own && c.fn && (!c.site || c.site === c.fn) ? c.fn.type : undefined;
  return conv.convertWritten(written, t, `${name} returns`);
}

/** The listener's payload param (after the event), or the bridge callback's first param. */
function payloadSchema(c: FoundChannel, checker: ts.TypeChecker, conv: TypeConverter, declaredCallback?: ts.Type): Schema | undefined {
  const tryType = (t: ts.Type | undefined, written?: ts.TypeNode) => (t && !(t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) ? conv.convertWritten(written, t, `${c.channel} payload`) : undefined);
  if (c.listener && (ts.isArrowFunction(c.listener) || ts.isFunctionExpression(c.listener)) && c.listener.parameters[1]) {
    const p = c.listener.parameters[1];
    const s = tryType(checker.getTypeAtLocation(p), p.type);
    if (s) return s;
  }
  // The bridge method's callback, as the typed call site has it (`listener<T>('ch')` fills T in).
  const sig = bridgeSignature(c, checker);
  const cb = sig ? signatureParams(sig, checker)[0] : undefined;
  const cbNode = c.fn && (!c.site || c.site === c.fn) ? c.fn.parameters[0]?.type : undefined;
  const writtenArg = cbNode && ts.isFunctionTypeNode(cbNode) ? cbNode.parameters[0]?.type : undefined;
  return tryType(callbackArgType(cb?.type, checker), writtenArg) ?? tryType(callbackArgType(declaredCallback, checker));
}
