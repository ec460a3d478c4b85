// Reading and writing the gate's files: a baseline (JSON written by --update-baseline) and a
// waiver list (YAML or JSON). Bad files are usage errors naming file:line.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { UsageError } from '../../cli/errors.ts';
import type { CheckResult } from '../checks/types.ts';
import { baselineEntries, type Baseline, type BaselineEntry, type GateOptions, type Waiver } from './gate.ts';

const FORMAT = 'conform-baseline';

/** The baseline document for a run's findings (sorted, so updates diff well in review). */
export function baselineFile(pack: string, seed: number, checks: CheckResult[]): string {
  return `${JSON.stringify({ [FORMAT]: 1, pack, seed, findings: baselineEntries(checks) }, null, 2)}\n`;
}

export function writeBaseline(file: string, pack: string, seed: number, checks: CheckResult[]): number {
  mkdirSync(dirname(file), { recursive: true });
  const text = baselineFile(pack, seed, checks);
  writeFileSync(file, text);
  return (JSON.parse(text) as { findings: unknown[] }).findings.length;
}

export function readBaseline(file: string): Baseline {
  if (!existsSync(file)) throw new UsageError(`--baseline ${file}: no such file (write one with --update-baseline ${file})`);
  let doc: { findings?: unknown };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file}: not a baseline file: ${(err as Error).message}`);
  }
  if (!doc || !Array.isArray(doc.findings) || !(FORMAT in doc)) {
    throw new UsageError(`${file}: not a baseline file (expected { "${FORMAT}": 1, "findings": [...] } as written by --update-baseline)`);
  }
  const findings = doc.findings.map((f, i) => {
    const e = f as Partial<BaselineEntry>;
    if (typeof e.id !== 'string' || typeof e.fingerprint !== 'string' || !(typeof e.channel === 'string' || e.channel === null)) {
      throw new UsageError(`${file}: findings[${i}] needs a string id, a string fingerprint and a channel (string or null)`);
    }
    return { id: e.id, channel: e.channel, fingerprint: e.fingerprint, message: String(e.message ?? ''), ...(e.stream ? { stream: e.stream } : {}) };
  });
  return { file, findings };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A waiver list: `waivers: [{ check, channel?, reason, expires? }]` or the bare list, in YAML or
 * JSON (JSON is YAML). Every entry needs a check id and a reason; expiry is a YYYY-MM-DD date.
 */
export function readWaivers(file: string): Waiver[] {
  if (!existsSync(file)) throw new UsageError(`--waivers ${file}: no such file`);
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false });
  const lineOf = (node: YamlNode | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new UsageError(`${file}:${lines.linePos(e.pos[0]).line}: not valid YAML/JSON: ${e.message.split('\n')[0]}`);
  }
  let list = doc.contents as YamlNode | null;
  if (isMap(list)) list = list.get('waivers', true) as YamlNode | null;
  if (!isSeq(list)) throw new UsageError(`${file}:${lineOf(list ?? (doc.contents as YamlNode))}: expected a list of waivers (or waivers: [...]) with check, reason and optional channel and expires`);
  return list.items.map((item) => {
    const line = lineOf(item as YamlNode);
    const at = `${file}:${line}`;
    const w = (item as YamlNode & { toJSON(): unknown }).toJSON() as Record<string, unknown> | null;
    if (!w || typeof w !== 'object' || Array.isArray(w)) throw new UsageError(`${at}: a waiver is a mapping with check, reason and optional channel and expires`);
    const unknown = Object.keys(w).filter((k) => !['check', 'channel', 'reason', 'expires'].includes(k));
    if (unknown.length) throw new UsageError(`${at}: unknown waiver key ${unknown.join(', ')} (use check, channel, reason, expires)`);
    if (typeof w.check !== 'string' || !w.check) throw new UsageError(`${at}: a waiver needs a check id (e.g. check: security.csp)`);
    if (typeof w.reason !== 'string' || !w.reason.trim()) throw new UsageError(`${at}: the waiver of ${w.check} needs a reason`);
    if (w.channel !== undefined && w.channel !== null && typeof w.channel !== 'string') throw new UsageError(`${at}: channel must be a channel name`);
    // YAML reads an unquoted 2027-01-31 as a string with the core schema; a Date would come from JSON-ish tags.
    const expires = w.expires instanceof Date ? w.expires.toISOString().slice(0, 10) : w.expires;
    if (expires !== undefined && (typeof expires !== 'string' || !DATE.test(expires))) throw new UsageError(`${at}: expires must be a date YYYY-MM-DD, got ${JSON.stringify(w.expires)}`);
    return { check: w.check, ...(w.channel !== undefined ? { channel: w.channel as string | null } : {}), reason: w.reason.trim(), ...(expires ? { expires } : {}), at };
  });
}

/** Gate options from file paths: what the CLI flags (and the config file) name. */
export function loadGate(o: { baseline?: string; waivers?: string; today?: string }): Omit<GateOptions, 'ran'> {
  return {
    ...(o.baseline ? { baseline: readBaseline(o.baseline) } : {}),
    ...(o.waivers ? { waivers: readWaivers(o.waivers), waiversFile: o.waivers } : {}),
    today: o.today ?? new Date().toISOString().slice(0, 10),
  };
}
