// What a report shows beside a result so a failure can be found and fixed: the channel's place in
// the pack, a command that reproduces the failure, and a fix hint for security findings.
import { relative } from 'node:path';
import type { Pack } from '../../specs/model.ts';
import type { ReportCheck } from '../../reports/run/model.ts';
import { FIX_HINTS } from '../security/hints.ts';

export interface ReproContext {
  /** The pack as the user named it (name or folder). */
  pack: string;
  /** The app path as the run used it. */
  app: string;
  seed: number;
  cwd?: string;
}

const SAFE = /^[\w@%+=:,./-]+$/;
export const shellQuote = (s: string) => (SAFE.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** `conform run <pack> --app <app> --grep <channel> --seed N`: just this channel (exactly), same inputs. */
export function reproCommand(pack: Pack, channel: string | null, ctx: ReproContext): string {
  const cwd = ctx.cwd ?? process.cwd();
  const parts = ['conform', 'run', shellQuote(ctx.pack), '--app', shellQuote(shown(ctx.app, cwd))];
  if (channel && pack.byName.has(channel)) {
    // --grep is a substring match: the bare name when it names one channel only, else an anchored regex.
    const unique = pack.channels.filter((c) => c.name.includes(channel)).length === 1 && !channel.includes('*') && !/^\/.*\/$/.test(channel);
    parts.push('--grep', shellQuote(unique ? channel : `/^${escapeRegex(channel)}$/`));
  }
  parts.push('--seed', String(ctx.seed));
  return parts.join(' ');
}

/** The result with `source` (every result on a pack channel), and `repro` and `hint` on failures. */
export function withDetail(pack: Pack, c: ReportCheck, ctx: ReproContext): ReportCheck {
  const ch = c.channel ? pack.byName.get(c.channel) : undefined;
  const out: ReportCheck = { ...c };
  if (ch?.pos) out.source = { file: shown(ch.pos.file, ctx.cwd ?? process.cwd()), line: ch.pos.line };
  if (c.status === 'failed') {
    out.repro = reproCommand(pack, c.channel, ctx);
    if (FIX_HINTS[c.id] && !c.hint) out.hint = FIX_HINTS[c.id];
  }
  return out;
}
