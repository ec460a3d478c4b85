// The shapes a check produces and reads.
import type { Pack } from '../../specs/model.ts';
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
  /** The args the failing call was made with (encoded as observed), when one call is to blame. */
  input?: unknown;
  /** Schema validation issues of `actual` (ajv instance paths), so reports highlight the offending values. */
  issues?: { path: string; message: string; keyword?: string }[];
  /** One line on how to fix a failed security check (e.g. the setWindowOpenHandler call that denies). */
  hint?: string;
  /** Security findings (failed security.* and window.posture results): how bad it is. */
  severity?: 'critical' | 'high' | 'medium' | 'low';
}

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
