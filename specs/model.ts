// The resolved contract model: what the loader returns and what every other part of Conform reads.
// The YAML format it is loaded from is documented in specs/README.md; this file is the single
// source of truth for its shape in code. Keep it free of behaviour (types + tiny pure helpers).

/** A JSON Schema 2020-12 object as written in a pack (plus Conform's `x-` annotation keywords). */
export type JsonSchema = { [key: string]: unknown } | boolean;

/** Where a thing was written, for error messages (`file:line:col`). 1-based line and column. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/**
 * A schema together with the absolute URI it lives at, so `$ref`s inside it resolve against the
 * right file (`conform:/packs/<pack>/<file>.yaml#/<json pointer>`). Schemas are never copied or
 * dereferenced into each other: recursive types and cross-file refs stay refs.
 */
export interface SchemaNode {
  uri: string;
  schema: JsonSchema;
  pos?: SourcePos;
}

export interface ValidationIssue {
  /** JSON pointer into the validated value, '' for the root. */
  path: string;
  message: string;
  keyword: string;
  /** The broken keyword sits in a schema the pack marked `x-assumed`: the note. */
  assumed?: string;
  /** The broken keyword sits in an object the document declares closed (`x-exact: true`). */
  exact?: boolean;
}

/** Compile-once, validate-many access to every schema of a pack (and of packs it includes). */
export interface SchemaStore {
  validate(node: SchemaNode, value: unknown): { valid: boolean; issues: ValidationIssue[] };
  /** Compile now what `validate` would compile on a later use (a replay that must not pause then). */
  precompile?(node: SchemaNode): void;
  /** Resolve a `$ref` string as written inside the schema at `baseUri`. Throws if dangling. */
  resolve(ref: string, baseUri: string): SchemaNode;
}

export type Transport = 'electron' | 'tauri';

/** Electron: invoke | send | event (main -> renderer). Tauri: command | event | channel-stream. */
export type ChannelKind = 'invoke' | 'send' | 'event' | 'command' | 'channel-stream';

/** One positional parameter of an Electron channel, in call order. */
export interface PositionalParam {
  name: string;
  schema: SchemaNode;
  optional: boolean;
  description?: string;
}

/**
 * How the params reach the privileged side.
 * - positional (Electron): the bridge method's arguments, in order, become the ipc args.
 * - named (Tauri): one object whose properties are the camelCase argument names.
 * - none: the channel takes nothing (events have no params).
 */
export type Params =
  | { style: 'positional'; list: PositionalParam[] }
  | { style: 'named'; schema: SchemaNode }
  | { style: 'none' };

/**
 * The error contract a channel really has.
 * - rejection: Electron invoke rejects; the renderer sees
 *   `Error: Error invoking remote method '<channel>': <String(err)>` (message only survives).
 *   `message` (optional) is a regex the part after the prefix must match.
 * - result-union: the call resolves either way; `error` is the failure branch schema and
 *   `discriminator` tells how to pick the branch (e.g. `{ ok: false }` or `{ success: false }`).
 * - tauri-string: Tauri `Result<T, String>`: the promise rejects with a bare string.
 * - none: the document states no failure mode (fire-and-forget send, events).
 * - unspecified: the document leaves it open; `note` says what is unknown.
 * `when` (rejection, result-union): the condition under which a VALID input can fail, as the
 * document states it (e.g. "the id names no script"); without it a valid call that fails is a
 * violation.
 */
export type ErrorContract =
  | { style: 'rejection'; message?: string; note?: string; when?: string }
  | { style: 'result-union'; error: SchemaNode; discriminator?: Record<string, unknown>; note?: string; when?: string }
  | { style: 'tauri-string'; note?: string; when?: string }
  | { style: 'none'; note?: string }
  | { style: 'unspecified'; note: string };

/**
 * What a channel answers to invalid params, as the contract states it (`invalidParams:`; the pack's
 * top-level `invalidParams:` is the default, `unspecified` when neither says):
 * - rejected: the call rejects (errors style `rejection`);
 * - error-branch: the call resolves to the error branch (errors style `result-union`);
 * - tolerated: the app accepts invalid input (defaults, ignores extra properties);
 * - unspecified: the document says nothing; what the app did is reported, never a violation.
 */
export type InvalidParamsAnswer = 'rejected' | 'error-branch' | 'tolerated' | 'unspecified';
export const INVALID_PARAMS_ANSWERS: InvalidParamsAnswer[] = ['rejected', 'error-branch', 'tolerated', 'unspecified'];

/** Parts of a channel a pack may mark as assumed (not in its source document), each with a note. */
export type ChannelAssumptions = Partial<Record<'bridge' | 'invalidParams' | 'errors' | 'budgetMs', string>>;
/** Parts of a stream a pack may mark as assumed. */
export type StreamAssumptions = Partial<Record<'grammar' | 'budget' | 'abort' | 'correlation', string>>;

/** A call made before a stateful channel is exercised, so generated checks have a fixture. */
export interface Prerequisite {
  /** Channel to call (must be an invoke/command channel of the pack). */
  call: string;
  /** Literal args: array for positional channels, object for named ones. */
  args: unknown;
  /** Name the result is bound to; `fixtures` refer to it as `<as>.<path>`. */
  as?: string;
}

export interface Channel {
  name: string;
  kind: ChannelKind;
  /** Dotted bridge path, e.g. `window.ollama.listModels`; null where the channel has no bridge method. */
  bridge: string | null;
  description?: string;
  params: Params;
  /**
   * Schema of the whole argument value as it crosses IPC, built by the loader and registered in
   * the pack's SchemaStore: a tuple array (`prefixItems` of `$ref`s to each param, minItems =
   * required count, maxItems = total) for positional params, the named object for Tauri, and an
   * empty tuple for 'none'. Generators and checks work on this one node.
   */
  args: SchemaNode;
  /** Return value schema for invoke/command/channel-stream; absent for send, events and void returns. */
  returns?: SchemaNode;
  /** `returns: void` in YAML: the call resolves to `undefined` (Promise<void>, Rust `()`). */
  returnsVoid: boolean;
  /** Event payload (kind 'event') or Channel<T> message (kind 'channel-stream'). */
  payload?: SchemaNode;
  /** kind 'channel-stream': name of the named param that carries the Tauri Channel (e.g. `onEvent`). */
  channelParam?: string;
  errors: ErrorContract;
  /** What invalid params get (the channel's statement, else the pack's default, else `unspecified`). */
  invalidParams: InvalidParamsAnswer;
  /** Constraints the pack added beyond its document (`assumed:`): a violation is a warning naming the note. */
  assumed: ChannelAssumptions;
  /** Latency budget for one call, ms. */
  budgetMs?: number;
  prerequisites: Prerequisite[];
  /** Param name (or positional index as string) -> `<as>.<dotted path>` into a prerequisite result. */
  fixtures: Record<string, string>;
  /** Calls to undo what the channel did (e.g. stop a started process). Same shape as prerequisites. */
  cleanup: Prerequisite[];
  /**
   * Why generated calls must not exercise this channel (quits the app, deletes the account...):
   * the runner and mock still know it, but never call it on their own.
   */
  destructive?: string;
  /** Free-form notes; `unspecified` lists what the source document leaves open. */
  notes?: string[];
  /** The pack that defines this channel (differs from the loading pack for included channels). */
  definedIn: string;
  pos: SourcePos;
}

/** Event field that must equal a request value. */
export interface Correlation {
  /** Event the rule applies to, or '*' for every event of the stream. */
  event: string;
  /** Dotted path in the event payload, e.g. `scriptId`. */
  field: string;
  /** Value from the start call: `param:<name|index>`, `result` (the whole result) or `result:<dotted path>`. */
  equals: string;
}

export interface Stream {
  name: string;
  /** Channel whose call starts the stream. */
  start: string;
  /** Event channels (Electron event / Tauri event) or message variant names (channel-stream). */
  events: string[];
  /** Ordering grammar over `events`, e.g. `ollama:chat-token* (ollama:chat-done | ollama:chat-error)`. */
  grammar?: string;
  /**
   * How the stream ends: 'grammar' when a terminal event (accepting state with no way on) ends it,
   * 'call-settles' when the start call's promise settling ends it (Tauri Channel, pull progress).
   */
  end: 'grammar' | 'call-settles';
  /** Payload field naming the variant (e.g. `type`): the grammar then runs over variant values, for channel-streams and event streams alike. */
  variantField?: string;
  /** Call that aborts the stream and the terminal event it must produce. */
  abort?: { call: string; args?: unknown; terminal?: string };
  correlation: Correlation[];
  budget?: { firstEventMs?: number; totalMs?: number };
  /** Parts the pack added beyond its document (`assumed:`): a violation is a warning naming the note. */
  assumed: StreamAssumptions;
  notes?: string[];
  pos: SourcePos;
}

/**
 * A stateful collection the mock keeps consistent: what `create`/`upsert` returned is listed by
 * `list`, found by `get`, changed by `update`, gone after `delete`. Each operation names a channel;
 * `idField` is the id property of an item; `idParam` the param (name or index) carrying the id in
 * get/update/delete calls (default: the first param).
 */
export interface Collection {
  name: string;
  idField: string;
  idParam?: string;
  /** Dotted path of the item inside create/get results when they wrap it (e.g. `data.item`). */
  itemPath?: string;
  list?: string;
  get?: string;
  create?: string;
  upsert?: string;
  update?: string;
  delete?: string;
  pos: SourcePos;
}

/** Window security posture the app promises for its renderer windows. */
export interface WindowPosture {
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  webSecurity?: boolean;
  allowRunningInsecureContent?: boolean;
  /** A Content-Security-Policy must be present on every page. */
  csp?: boolean;
}

/**
 * Security annotations, written as schema keywords so they can sit on any (nested) field:
 * - `x-secret: true`: value is a credential; never echoed in returns/events, never recorded.
 * - `x-guard: { pathUnder: <root> }` root is `userData`, `temp`, `downloads`, or a named root.
 * - `x-guard: { schemes: [http, https] }`, `{ hosts: [...] }`, `{ maxBytes: N }`.
 * - `x-unspecified: "<note>"`: the document leaves this type open; accepts anything.
 * - `x-assumed: "<note>"`: the constraints of this schema node were added by the pack, not the
 *   document: a value breaking them is a warning that names the note.
 * - `x-exact: true`: the document declares the object closed: an undocumented field is an error
 *   (elsewhere undocumented fields are drift, a warning).
 * This type mirrors the `x-guard` keyword.
 */
export interface Guard {
  pathUnder?: string;
  schemes?: string[];
  hosts?: string[];
  maxBytes?: number;
}

export interface Pack {
  /** Pack name = folder name under specs/packs. */
  name: string;
  app: string;
  transport: Transport;
  description?: string;
  /** Where the contract comes from (document name), informational. */
  source?: string;
  /** Pack-level notes (what the source document leaves open, conventions of the pack). */
  notes?: string[];
  /** Bridge roots, e.g. ['window.api']; every bridge path starts with one of them. */
  roots: string[];
  window?: WindowPosture;
  /** Channels in declaration order (own channels then included ones), keyed by name in `byName`. */
  channels: Channel[];
  byName: Map<string, Channel>;
  streams: Stream[];
  /** Stateful collections (mock answers stay consistent across create/list/get/update/delete). */
  collections: Collection[];
  /** Pack-level default of `Channel.invalidParams` (`invalidParams:` at the top of contract.yaml). */
  invalidParams: InvalidParamsAnswer;
  /** Packs whose channels this pack includes, with the channel names taken. */
  includes: { pack: string; channels: string[] }[];
  /** Absolute folder and files the pack was loaded from. */
  dir: string;
  files: string[];
  schemas: SchemaStore;
}

/** A user-facing error with a location: the CLI prints `message` as one paragraph, exit code 2. */
export class ContractError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly pos?: SourcePos,
    readonly key?: string,
  ) {
    super(pos ? `${pos.file}:${pos.line}:${pos.col}: ${message}` : message);
    this.name = 'ContractError';
  }
}

/** The value at a path of keys and indexes; undefined where the path leads nowhere. */
export function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let cur = value;
  for (const k of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[k] : undefined;
  return cur;
}

/** Channels that are called (as opposed to listened to). */
export function isCallable(ch: Channel): boolean {
  return ch.kind === 'invoke' || ch.kind === 'send' || ch.kind === 'command' || ch.kind === 'channel-stream';
}

/** A call that settles with a result or an error: Electron invoke, Tauri command and channel-stream. */
export function isRequestChannel(ch: Channel): boolean {
  return ch.kind === 'invoke' || ch.kind === 'command' || ch.kind === 'channel-stream';
}

/** A channel called with nothing: no params, or a Tauri args object with no properties. */
export function takesNoParams(ch: Channel): boolean {
  if (ch.params.style === 'none') return true;
  if (ch.params.style === 'positional') return ch.params.list.length === 0;
  const schema = ch.params.schema.schema;
  const props = schema && typeof schema === 'object' ? (schema as { properties?: object }).properties : undefined;
  return !props || Object.keys(props).length === 0;
}
