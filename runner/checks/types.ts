// The shapes a check produces and reads.
import type { Pack, SchemaNode } from '../../specs/model.ts';
import type { RunObservations } from './observations.ts';

/** `blocked`: the check could not run because something it depends on failed (see `blockedBy`). */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'blocked';

/**
 * How much a non-passed result weighs (decided by the check's rule in the catalog):
 * `error` a contract violation (or a blocked check), `warning` a violated pack assumption or drift,
 * `info` an observation of what the app did where the contract is silent (and every skip).
 */
export type Severity = 'error' | 'warning' | 'info';

/** Security findings: how bad it is (runner/security/README.md). */
export type Risk = 'critical' | 'high' | 'medium' | 'low';

export interface CheckResult {
  /** Stable check id from the catalog, e.g. `returns.schema`. */
  id: string;
  /** Channel the result is about; for stream checks the stream's start channel; null for run-wide checks. */
  channel: string | null;
  status: CheckStatus;
  message: string;
  expected?: unknown;
  actual?: unknown;
  durationMs?: number;
  /** Stream name for stream checks. */
  stream?: string;
  /** Set on every non-passed result; a `failed` result is a finding of this weight. */
  severity?: Severity;
  /** Security findings (failed security.* and window.posture results). */
  risk?: Risk;
  /** Blocked results: the failed check that kept this one from running. */
  blockedBy?: { id: string; channel: string | null; message: string };
  /** Judged against a constraint the pack marked as assumed (not in its source document): what was assumed. */
  assumption?: string;
  /** The args the failing call was made with (encoded as observed), when one call is to blame. */
  input?: unknown;
  /** Schema validation issues of `actual` (ajv instance paths), so reports highlight the offending values. */
  issues?: { path: string; message: string; keyword?: string }[];
  /** One line on how to fix a failed security check (e.g. the setWindowOpenHandler call that denies). */
  hint?: string;
  /** What `expected` / `actual` are, so reports redact each with its own schema (runner/run.ts redactCheck; `input` goes by the params schema). */
  shapes?: { expected?: ValueShape; actual?: ValueShape };
}

/**
 * The kind of value a result shows. Without one, a value is redacted by names and free-text forms
 * only (and scrubbed of every secret seen in the run, as everything is).
 * - `node`: a value of that schema (a channel's args, its return, an event payload);
 * - `outcome`: `{ args?, resolved?, rejected? }` wrappers: args and resolved by their schemas;
 * - `schema`: a schema shown as expected (`x-secret: true` and `password: {...}` stay readable);
 * - `events`: a list of `{ channel, payload }`, each payload by its channel's payload schema.
 */
export type ValueShape =
  | { node: SchemaNode }
  | { outcome: { args?: SchemaNode; returns?: SchemaNode } }
  | { schema: true }
  | { events: true };

export interface CheckContext {
  pack: Pack;
  obs: RunObservations;
}

export interface CheckDefinition {
  id: string;
  /** One line for the README table and report legends. */
  title: string;
  /** What the check runs over: each channel, each stream run, or the run as a whole. */
  scope: 'channel' | 'stream' | 'run';
  /**
   * Severity of a failure when the check does not set one itself, and the rule behind it
   * (one line, for the README catalog table).
   */
  severity: { default: Severity; rule: string };
  run(ctx: CheckContext): CheckResult[];
}
