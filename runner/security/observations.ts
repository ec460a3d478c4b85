// What the security phase observed (runner/security/driver.ts fills it in, runner/security/checks.ts
// judges it). Side effects are observed on the host and in main, never assumed from return values.
import type { ErrorInfo } from '../checks/observations.ts';
import type { Probe, ProbeFamily } from './probes.ts';

export type { Risk } from '../checks/types.ts';

export interface ProbeCall {
  outcome: 'resolved' | 'rejected' | 'timeout' | 'no-bridge' | 'skipped';
  /** Encoded (runner/instrument/codec.cjs) value the bridge call resolved to. */
  value?: unknown;
  error?: ErrorInfo;
  note?: string;
}

export interface ProbeObservation {
  probe: Probe;
  call: ProbeCall;
  /** Probe targets found on disk after the call: a write outside the guard root. */
  written: string[];
}

/**
 * Everything observed while one channel's probes ran. Several channels' probes share one renderer
 * batch when nothing in it needs attributing (runner/security/driver.ts): then `events` and `logs`
 * are the whole batch's (none mentions a canary) and `opened`/`outsideWrites` are empty.
 */
export interface ProbeGroupObservation {
  channel: string;
  probes: ProbeObservation[];
  /** URLs/paths main handed to shell.openExternal / openPath / showItemInFolder during the batch. */
  opened: { api: string; url: string }[];
  /** Files that appeared in the probe's outside folder during the batch (whatever their name). */
  outsideWrites: string[];
  /** Payloads main sent to the renderer during the batch, encoded (for secret echo). */
  events: { channel: string; payload: unknown }[];
  /** Main's stdout + stderr during the batch, raw (judged, then only shown redacted). */
  logs: string;
  mainAlive: boolean;
  skipped?: string;
}

export interface BridgeProbeObservation {
  /** Functions on the bridge roots that are not a pack bridge method, each called with a channel name outside the pack. */
  candidates: { path: string; threw?: string }[];
  /** Calls main received on the out-of-pack probe channel: the function that forwarded it. */
  received: { path: string; kind: 'invoke' | 'send' }[];
  /** Objects on the bridge roots (or window) that look like the raw ipcRenderer. */
  rawIpc: string[];
  probeChannel: string;
}

export interface NavigationObservation {
  attempted: string;
  urlBefore: string;
  urlAfter: string;
  /** The stand-in's record of the will-navigate decision (absent on real Electron). */
  decision?: 'allow' | 'deny';
}

/** Two URLs of the same document (a fragment change is no navigation away). */
export const sameDocument = (a: string, b: string): boolean => a.split('#')[0] === b.split('#')[0];

export interface WindowOpenObservation {
  attempted: string;
  /** What window.open returned in the renderer. */
  returned: 'null' | 'window' | 'threw';
  /** Windows (page URLs) present after the attempt that were not there before. */
  newWindows: string[];
  decision?: 'allow' | 'deny';
}

export interface CspObservation {
  /** Content of every `<meta http-equiv="Content-Security-Policy">` of the page. */
  meta: string[];
  /** eval() threw an EvalError: only a CSP (without 'unsafe-eval') does that. */
  evalBlocked: boolean;
  url: string;
}

export interface SecurityObservations {
  groups: ProbeGroupObservation[];
  /** Renderer round trips the guarded channels' probes took (1: one shared batch). */
  probeBatches?: number;
  /** Annotated params that were not probed, with why. */
  skipped: { channel: string; param: string; reason: string; families: ProbeFamily[] }[];
  bridge?: BridgeProbeObservation;
  csp?: CspObservation;
  windowOpen?: WindowOpenObservation;
  navigation?: NavigationObservation;
  /** Why a run-wide probe could not run. */
  notes: string[];
  /** Host folders of this run (temp names), shown as `<outside>` / `<userData>` so reports stay the same per seed. */
  paths?: { outsideDir: string; roots: Record<string, string> };
}
