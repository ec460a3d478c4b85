// The shapes a check produces and reads.
import type { Pack, SchemaNode } from '../../specs/model.ts';
import type { RunObservations } from './observations.ts';

export type CheckStatus = 'passed' | 'failed' | 'skipped';

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
  /** What `expected` / `actual` are, so reports redact each with its own schema (runner/run.ts redactCheck). */
  shapes?: { expected?: ValueShape; actual?: ValueShape };
  /** Security findings (failed security.* and window.posture results): how bad it is. */
  severity?: 'critical' | 'high' | 'medium' | 'low';
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
  run(ctx: CheckContext): CheckResult[];
}
