// Shapes shared by the diff engine, its rule catalog and its renderers.
import type { Channel, Pack, Stream } from '../model.ts';

export type Severity = 'breaking' | 'warning' | 'info';
export const SEVERITIES: Severity[] = ['breaking', 'warning', 'info'];
export const severityRank: Record<Severity, number> = { breaking: 3, warning: 2, info: 1 };

/** Which side has to act (or is broken) because of a change. */
export type Who = 'renderer' | 'main' | 'both' | 'none';

/**
 * Data direction of a schema: `in` flows into the privileged side (params), `out` flows out of it
 * (returns, event payloads, error branches). Direction decides whether a tightening breaks.
 */
export type Flow = 'in' | 'out';

/** Where a compared schema sits; prefixes the ids of schema rules (`return-type-widened`). */
export type SchemaLocation = 'param' | 'return' | 'payload' | 'error-branch';

export const locationFlow: Record<SchemaLocation, Flow> = {
  param: 'in',
  return: 'out',
  payload: 'out',
  'error-branch': 'out',
};

/** One reported change. This is also the JSON output shape (see specs/diff/README.md). */
export interface Change {
  rule: string;
  severity: Severity;
  /** Channel or stream the change is about; absent for pack-level changes. */
  channel?: string;
  stream?: string;
  /** Part of the channel: `params`, `params[0] id`, `returns`, `payload`, `errors`, `bridge`... */
  location?: string;
  /** JSON pointer into the value (`*` for any array item, `anyOf[i]` for a variant); '' = the whole value. */
  path?: string;
  /** What changed. */
  message: string;
  /** Who breaks (or has to act) and how. */
  breaks: { who: Who; what: string };
  before?: string;
  after?: string;
}

/** What a rule function returns; the engine adds the rule id, severity and subject. */
export interface Finding {
  message: string;
  location?: string;
  path?: string;
  before?: string;
  after?: string;
  /** Overrides the rule's severity where the rule documents a condition. */
  severity?: Severity;
  who?: Who;
  what?: string;
}

export interface RuleInfo {
  /** Stable id (for schema rules: the suffix after the location prefix). */
  id: string;
  family: 'pack' | 'channel' | 'params' | 'errors' | 'stream' | 'schema' | 'security';
  summary: string;
  severity: Severity;
  who: Who;
  /** What breaks and for whom, in words. */
  what: string;
  /** Documented condition under which a finding carries another severity. */
  condition?: string;
}

export interface PackPair {
  old: Pack;
  new: Pack;
}

export interface ChannelPair extends PackPair {
  oldChannel: Channel;
  newChannel: Channel;
}

export interface StreamPair extends PackPair {
  oldStream: Stream;
  newStream: Stream;
}

export interface PackRule extends RuleInfo {
  check(p: PackPair): (Finding & { channel?: string; stream?: string })[];
}
export interface ChannelRule extends RuleInfo {
  check(p: ChannelPair): Finding[];
}
export interface StreamRule extends RuleInfo {
  check(p: StreamPair): Finding[];
}

export interface DiffReport {
  /** Shape version of this JSON document: a pack-to-pack diff, or a pack-to-running-app drift. */
  format: 'conform-diff/1' | 'conform-drift/1';
  old: { pack: string; source: string };
  new: { pack: string; source: string };
  summary: Record<Severity, number>;
  changes: Change[];
}
