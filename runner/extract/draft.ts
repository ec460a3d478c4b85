// Turns the analysis of a preload into a draft pack (contract.yaml + types.yaml): channels with
// kind, bridge path and positional params; schemas from declared types where there are any,
// `x-unspecified` entries with a note where there are none.
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import ts from 'typescript';
import { analyzePreload } from './analyze.ts';
import type { FoundChannel } from './analyze.ts';
import { TypeConverter, generateTypeSchemas, unspecified } from './schemas.ts';
import type { Schema } from './schemas.ts';
import { UsageError } from '../cli/errors.ts';

export interface DraftOptions {
  preload: string;
  types?: string[];
  /** Pack/app name; default: the preload's folder name. */
  name?: string;
}

export interface Draft {
  name: string;
  contract: Record<string, unknown>;
  /** types.yaml document (`$defs`), when --types gave any. */
  types?: { $defs: Record<string, Schema> };
  warnings: string[];
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
  const defs = typeFiles.length ? generateTypeSchemas(typeFiles) : {};
  const conv = new TypeConverter(checker, defs);
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
  for (const [name, calls] of byChannel) {
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
    const what = (s: string) => (js ? `${s} (JavaScript preload: no declared type)` : s);
    if (kind === 'event') {
      ch.payload = payloadSchema(main, checker, conv) ?? unspecified(what(`${name}: payload type not declared in the preload`));
    } else {
      const params: Record<string, unknown>[] = [];
      for (const a of main.args) {
        if (a.rest) {
          notes.push(`forwards ...${a.name}: the params are not visible in the preload`);
          break;
        }
        let schema: Schema;
        if (a.param) {
          const t = checker.getTypeAtLocation(a.param);
          schema = conv.convert(t, `${name} param ${a.name}`);
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
        ch.returns = returnSchema(main, checker, conv, name) ?? unspecified(what(`${name}: return type not declared in the preload`));
        ch.errors = { style: 'unspecified', note: 'the preload does not show how main reports failure (rejection or a result union)' };
      }
    }
    ch.notes = notes;
    channels[name] = ch;
    found.push({ channel: name, kind, bridge });
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
  return { name: packName, contract, types: Object.keys(defs).length ? { $defs: defs } : undefined, warnings, found };
}

function unwrapPromise(t: ts.Type, checker: ts.TypeChecker): ts.Type {
  const sym = t.getSymbol();
  if (sym?.getName() === 'Promise') {
    const [inner] = checker.getTypeArguments(t as ts.TypeReference);
    if (inner) return inner;
  }
  return t;
}

function returnSchema(c: FoundChannel, checker: ts.TypeChecker, conv: TypeConverter, name: string): Schema | 'void' | undefined {
  if (!c.fn) return undefined;
  const sig = checker.getSignatureFromDeclaration(c.fn);
  if (!sig) return undefined;
  const t = unwrapPromise(checker.getReturnTypeOfSignature(sig), checker);
  if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  if (t.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return 'void';
  return conv.convert(t, `${name} returns`);
}

/** The listener's payload param (after the event), or the bridge callback's first param. */
function payloadSchema(c: FoundChannel, checker: ts.TypeChecker, conv: TypeConverter): Schema | undefined {
  const tryType = (t: ts.Type | undefined) => (t && !(t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) ? conv.convert(t, `${c.channel} payload`) : undefined);
  if (c.listener && (ts.isArrowFunction(c.listener) || ts.isFunctionExpression(c.listener)) && c.listener.parameters[1]) {
    const s = tryType(checker.getTypeAtLocation(c.listener.parameters[1]));
    if (s) return s;
  }
  const cb = c.fn?.parameters[0];
  if (cb) {
    const sig = checker.getTypeAtLocation(cb).getCallSignatures()[0];
    const p = sig?.getParameters()[0];
    if (p) {
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      return tryType(decl ? checker.getTypeOfSymbolAtLocation(p, decl) : undefined);
    }
  }
  return undefined;
}
