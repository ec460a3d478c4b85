// What a Tauri run needs on this machine, said in one line when something is missing.
import { spawnSync } from 'node:child_process';
import { findWebKitDriver, installHint, needsXvfb, onPath } from './webdriver.ts';

/** Null when `conform run` can drive a Tauri app here; else one line naming what is missing. */
export function tauriRuntimeMissing(env: NodeJS.ProcessEnv = process.env): string | null {
  const driver = findWebKitDriver();
  if ('missing' in driver) return driver.missing;
  if (needsXvfb(env) && !onPath('Xvfb')) return `there is no display and Xvfb is not installed; ${installHint}`;
  return null;
}

/** The test double (examples/tauri-double) also needs Python GObject with WebKit2GTK 4.1. */
export function tauriDoubleMissing(python = '/usr/bin/python3'): string | null {
  const r = spawnSync(python, ['-c', "import gi; gi.require_version('WebKit2', '4.1'); gi.require_version('Gtk', '3.0'); from gi.repository import WebKit2, Gtk"], { encoding: 'utf8' });
  if (r.status === 0) return null;
  return `${python} cannot load WebKit2GTK 4.1 through GObject (${(r.stderr || r.error?.message || '').trim().split('\n').pop()}); install them with: apt-get install -y gir1.2-webkit2-4.1 python3-gi (as root)`;
}
