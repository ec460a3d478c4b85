// What the runner observed, in the shape the checks read. Drivers fill these in; checks only
// judge them. Values crossing IPC are kept encoded (runner/instrument/codec.cjs) so they survive
// JSON; checks decode them before schema validation.

/** One record of the main-process hook (runner/instrument/index.cjs). */
export interface MainObservation {
  seq: number;
  /** Monotonic ms since the hook loaded (process.hrtime). */
  t: number;
  /** Which launch of the app recorded it (1-based; the app is relaunched after a crash). */
  launch?: number;
  kind:
    | 'register' | 'unregister' | 'handler-call' | 'handler-settle' | 'listener-call' | 'listener-error'
    | 'send' | 'window' | 'load' | 'uncaught-exception' | 'unhandled-rejection' | 'renderer-gone'
    | 'contents-destroyed';
  api?: string;
  channel?: string;
  callId?: number;
  args?: unknown[];
  ok?: boolean;
  value?: unknown;
  error?: ErrorInfo;
  ms?: number;
  webContentsId?: number;
  declared?: Record<string, unknown>;
  effective?: Record<string, boolean>;
  [extra: string]: unknown;
}

export interface ErrorInfo {
  name: string;
  message: string;
  /** String(err) as Electron puts it into the rejection message. */
  string: string;
  /** False when something other than an Error was thrown/rejected. */
  isError?: boolean;
}

export type CallRole = 'valid' | 'invalid' | 'prerequisite' | 'cleanup' | 'stream-start' | 'abort';

/** One call made through the bridge inside the renderer, joined with what main saw of it. */
export interface CallObservation {
  channel: string;
  role: CallRole;
  /** Index of the generated input (per role), for messages. */
  index: number;
  /** The rule an invalid input breaks (from the generator). */
  rule?: string;
  /** Args exactly as passed to the bridge method (encoded). */
  args: unknown[];
  outcome: 'resolved' | 'rejected' | 'timeout' | 'no-bridge' | 'skipped';
  value?: unknown;
  error?: ErrorInfo;
  /** Round trip measured inside the renderer (performance.now). */
  durationMs: number;
  /** What the handler in main received and answered, matched by channel and order; null: the handler was never called. */
  handler?: { args: unknown[]; settled: boolean; ok?: boolean; value?: unknown; error?: ErrorInfo; ms?: number } | null;
  /** Why the call was not made (outcome 'skipped'). */
  note?: string;
}

/** Everything observed while one channel's group ran. */
export interface GroupObservation {
  channel: string;
  calls: CallObservation[];
  /** Main process answered app.evaluate after the group. */
  mainAlive: boolean;
  /** Renderer answered page.evaluate after the group. */
  rendererAlive: boolean;
  /** Uncaught exceptions / unhandled rejections recorded in main while the group ran. */
  mainErrors: MainObservation[];
  /** The app died or hung during the group and was relaunched. */
  crash?: { reason: string; exitCode?: number | null; signal?: string | null; stderrTail: string[]; cleanExit?: boolean };
  /** Why the group could not run (e.g. a prerequisite failed). */
  skipped?: string;
  /**
   * For groups that start or abort a stream as a fixture: stream events that still mention the
   * group's fixture values (e.g. the script id) in a window after its cleanup; `windowMs` <
   * `wantedMs` when the app went away before the window ended.
   */
  lingering?: { windowMs: number; wantedMs: number; fixtureValues: unknown[]; events: { channel: string; payload: unknown }[] };
}

export interface StreamEvent {
  channel: string;
  /** Decoded-able encoded payload (first argument of webContents.send). */
  payload: unknown;
  seq: number;
  /** ms since the stream's start call was made (main clock). */
  atMs: number;
  /** Tauri Channel messages: the index the backend gave the message (the frontend delivers by index). */
  index?: number;
}

/** One run of a stream: the start call, the events that belong to it and how it ended. */
export interface StreamRun {
  stream: string;
  /** 'run': started and left to end by itself; 'abort': started then aborted. */
  mode: 'run' | 'abort';
  /** Which valid input of the start channel (0: the documented example; 1: a generated one). */
  input?: number;
  start: CallObservation;
  events: StreamEvent[];
  /** How collection stopped. */
  end: 'terminal' | 'call-settled' | 'timeout' | 'start-failed' | 'quiet';
  /** ms from start to the end (terminal event, call settle or timeout). */
  durationMs: number;
  /** Events of the stream's channels that came after the end (within the grace period). */
  afterEnd: StreamEvent[];
  /** Timeout used for this run, ms. */
  timeoutMs: number;
  abort?: { call: CallObservation; sentAtMs: number; quietAfterMs?: number; endedBeforeAbort?: boolean };
  skipped?: string;
  /** A prerequisite of the start call failed: the run was not made (`skipped` says so too). */
  prerequisiteFailed?: CallObservation;
  /** How long Conform followed the stream (wall clock, ms), whatever the events said. */
  waitedMs?: number;
  /** The quiet window after the abort was judged later from main's records (runner/run.ts, StreamQuietWatch). */
  quietJudgedLater?: boolean;
}

export interface WindowObservation {
  webContentsId: number;
  declared: Record<string, unknown>;
  effective: Record<string, boolean>;
  prefsKnown: boolean;
}

/** One launch that failed, or a launch the app left before any channel group completed. */
export interface LaunchRecord {
  attempt: number;
  /** A LaunchPhase of runner/run/session.ts, or 'went-away' (the app exited or hung after starting). */
  phase: string;
  message: string;
  exitCode: number | null;
  signal: string | null;
  /** The app's last stdout/stderr lines. */
  output: string[];
}

/** An entry of the host's temp dir or real HOME that changed during the run (runner/run/host.ts). */
export interface HostChange {
  where: string;
  path: string;
  change: 'created' | 'changed' | 'removed';
  /** Tied to the app: its name is in the entry's name, or the path was in what main saw or sent. */
  byApp: boolean;
}

export interface RunObservations {
  /** Bridge path -> typeof the value found there in the renderer ('function', 'undefined', ...). */
  bridges: Record<string, string>;
  groups: GroupObservation[];
  streams: StreamRun[];
  /** Every main-process observation of the run (all launches, in order). */
  main: MainObservation[];
  windows: WindowObservation[];
  /** Channels whose generated checks were not run (grep filter, or a relaunch failed). */
  notRun?: string[];
  /**
   * What the app's own source says about channels (specs/extract analysis of its preload and main):
   * bridge methods and the channel each invokes/sends, channels the preload subscribes to, channels
   * main sends on. Absent when no preload could be read.
   */
  source?: SourceChannels;
  /** Bridge paths the run filled in from the preload for channels whose pack gives none. */
  foundBridges?: Record<string, string>;
  /** What changed outside the run's own folder in the host's temp dir and real HOME; absent when not compared. */
  host?: { dirs: string[]; changes: HostChange[] };
  /** Failed launches and whether the run stopped relaunching (runner/run/launches.ts). */
  launch?: { launches: number; failures: LaunchRecord[]; gaveUp?: string; interrupted?: string };
  /** What the security probes observed (runner/security/driver.ts); absent when they did not run. */
  security?: import('../security/observations.ts').SecurityObservations;
}

/** Conform's own plumbing channels (the mock main process: `conform:listen`, `conform:unknown`), never an app's drift. */
export const isConformChannel = (channel: string): boolean => channel.startsWith('conform:');

/** Channels named in the app's source, found by static analysis (no code of the app is run for it). */
export interface SourceChannels {
  /** Files read (for messages). */
  files: string[];
  /** Bridge path -> channel it invokes or sends on, e.g. `window.api.ping` -> `process:ping`. */
  bridgeChannels: Record<string, string>;
  /** Channels the preload subscribes to (`ipcRenderer.on/once/addListener`), with how. */
  subscribed: { channel: string; how: string }[];
  /** Channels main sends on (`webContents.send`, `win.webContents.send`), with how. */
  mainSends: { channel: string; how: string }[];
}
