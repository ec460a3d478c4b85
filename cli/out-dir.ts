// `--out <dir>`: checked and created before anything runs, so an unusable path is a usage error in
// a moment instead of reports lost after a whole run.
import { accessSync, constants, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.ts';

/** Kernel pseudo-filesystems: writes there are not files (mkdir under /proc can even loop forever). */
const PSEUDO_FS = ['/proc', '/sys', '/dev'];

/** Make sure `dir` exists and is a writable folder; returns its absolute path. Throws UsageError. */
export function prepareOutDir(dir: string, flag = '--out'): string {
  const abs = resolve(dir);
  const pseudo = PSEUDO_FS.find((p) => abs === p || abs.startsWith(`${p}/`));
  if (pseudo) throw new UsageError(`${flag} ${dir}: ${pseudo} is a kernel pseudo-filesystem, not a place for report files; choose a folder on disk`);
  // Walk up to the nearest existing ancestor; every missing part is created one by one (Node's
  // recursive mkdir is what spun forever on /proc).
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    let st;
    try {
      st = statSync(cur);
    } catch {
      missing.unshift(cur);
      if (dirname(cur) === cur) break;
      cur = dirname(cur);
      continue;
    }
    if (!st.isDirectory()) {
      throw new UsageError(`${flag} ${dir}: ${cur} is ${st.isFile() ? 'a file' : 'not a folder'}, so no report folder can be made ${cur === abs ? 'there' : 'under it'}`);
    }
    try {
      accessSync(cur, constants.W_OK | constants.X_OK);
    } catch {
      throw new UsageError(`${flag} ${dir}: ${cur} is not writable by this user`);
    }
    break;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`${flag} ${dir}: cannot create ${d} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  // A folder that says it is writable may still refuse files (read-only mount, full disk).
  const probe = join(abs, `.conform-write-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (err) {
    throw new UsageError(`${flag} ${dir}: cannot write files in ${abs} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return abs;
}
