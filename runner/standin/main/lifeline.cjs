'use strict';
// What ties the stand-in's life to Conform's and keeps its start-up output: the main process (and
// with it Chromium, whose pipe closes) ends when the process that launched it dies, even by SIGKILL;
// everything main prints is also kept in a file Conform reads when a launch fails (Playwright
// swallows the output of a launch that fails); and a `process.exit()` before Playwright attached
// is held until it did (an earlier exit makes Playwright's launcher reject promises nobody handles).
const fs = require('node:fs');

const OUTPUT_CAP = 256 * 1024;

/** Copy every write to stdout/stderr into `file` (first 256 KiB; the tail is what Conform shows). */
function teeOutput(file) {
  if (!file) return;
  let written = 0;
  let fd;
  try { fd = fs.openSync(file, 'a'); } catch { return; }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    stream.write = function (chunk, ...rest) {
      if (written < OUTPUT_CAP) {
        try {
          const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
          // Sync, so lines written just before a crash or process.exit() are kept.
          fs.writeSync(fd, buf.subarray(0, OUTPUT_CAP - written));
          written += buf.length;
        } catch { /* the run folder went away: Conform is gone too */ }
      }
      return write.call(this, chunk, ...rest);
    };
  }
}

/** Every other live process of our process group (Chromium, its helpers and reaper, the app's children). */
function groupMembers() {
  const out = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[2]) === process.pid) out.push(Number(e));
    } catch { /* gone meanwhile */ }
  }
  return out;
}

/**
 * End when the launching process is gone: its pid is in CONFORM_PARENT_PID and node is its direct
 * child (the launcher execs node), so a changed ppid means it died and we were re-parented. Then
 * the whole process group goes (SIGKILL: nothing of it may outlive Conform), the app's run folder
 * is removed (Conform cannot do it any more), and we go last.
 */
function watchParent(expected, runDir) {
  const parent = Number(expected);
  if (!Number.isInteger(parent) || parent <= 0) return;
  const check = () => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    try {
      for (const pid of groupMembers()) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    } catch { /* no /proc: the group kill below still takes them */ }
    if (runDir) { try { fs.rmSync(runDir, { recursive: true, force: true }); } catch { /* best effort */ } }
    try { process.kill(-process.pid, 'SIGKILL'); } catch { /* not a group leader */ }
    process.kill(process.pid, 'SIGKILL');
  };
  const timer = setInterval(check, 200);
  timer.unref();
  check();
}

const EXIT_HELD = Symbol('process.exit() held until Playwright attached');

/**
 * Until `attached()` is true, `process.exit(code)` prints what happened and calls `deferExit(code)`
 * instead of exiting; it then throws EXIT_HELD so the app's code after it does not run on.
 */
function holdEarlyExit(attached, deferExit) {
  const realExit = process.exit;
  process.exit = function (code) {
    if (attached()) return realExit.call(process, code);
    const c = code === undefined ? (process.exitCode ?? 0) : Number(code);
    process.stderr.write(`[conform stand-in] main called process.exit(${c}) during start-up\n`);
    process.exit = realExit;
    deferExit(c);
    throw EXIT_HELD;
  };
  return realExit;
}

module.exports = { teeOutput, watchParent, holdEarlyExit, EXIT_HELD };
