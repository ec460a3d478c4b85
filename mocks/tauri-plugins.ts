// Tauri's official plugins as a frontend calls them at startup, answered in memory so a real
// frontend gets past its first screen without a backend: store, fs, path, dialog, shell, os,
// window/webview, app and resources (the event plugin lives in the page's bridge, mocks/preload.ts).
// Nothing touches the disk or opens anything: fs is an in-memory tree, dialogs answer "cancelled",
// shell.open is logged. Commands of these plugins the mock does not know answer null with a
// warning; every other `plugin:*` command is not handled here.
import { basename, dirname, extname, isAbsolute, join, normalize, posix } from 'node:path';

type Args = Record<string, unknown>;
export type PluginAnswer = { ok: true; value: unknown; note?: string } | { ok: false; error: string };

const PLUGINS = new Set(['store', 'fs', 'path', 'dialog', 'shell', 'os', 'window', 'webview', 'app', 'resources']);

/** BaseDirectory numbers of @tauri-apps/api v2 (path.js) and where the mock pretends they are. */
const BASE_DIRS: Record<number, string> = {
  1: '/home/user/Music', 2: '/home/user/.cache', 3: '/home/user/.config', 4: '/home/user/.local/share', 5: '/home/user/.local/share',
  6: '/home/user/Documents', 7: '/home/user/Downloads', 8: '/home/user/Pictures', 9: '/home/user/Public', 10: '/home/user/Videos',
  11: '/opt/{app}/resources', 12: '/tmp', 13: '/home/user/.config/{app}', 14: '/home/user/.local/share/{app}', 15: '/home/user/.local/share/{app}',
  16: '/home/user/.cache/{app}', 17: '/home/user/.local/share/{app}/logs', 18: '/home/user/Desktop', 19: '/home/user/.local/bin',
  20: '/home/user/.local/share/fonts', 21: '/home/user', 22: '/run/user/1000', 23: '/home/user/Templates',
};

function bytes(text: string): number[] {
  return [...Buffer.from(text, 'utf8')];
}

/** Decode what a frontend sends as file contents: a string, a byte array, or a Uint8Array that crossed JSON as `{0: .., 1: ..}`. */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return Buffer.from(v as number[]).toString('utf8');
  if (v && typeof v === 'object') return Buffer.from(Object.values(v as Record<string, number>)).toString('utf8');
  return '';
}

export class TauriPlugins {
  private stores = new Map<number, { path: string; data: Map<string, unknown> }>();
  private storeByPath = new Map<string, number>();
  private nextRid = 1;
  private files = new Map<string, string>();
  private dirs = new Set<string>(['/']);

  constructor(private app: string) {}

  /** Whether `cmd` is a command of a plugin emulated here. */
  handles(cmd: string): boolean {
    const m = /^plugin:([^|]+)\|/.exec(cmd);
    return !!m && PLUGINS.has(m[1]!);
  }

  answer(cmd: string, raw: unknown): PluginAnswer {
    const a = (typeof raw === 'object' && raw !== null ? raw : {}) as Args;
    const [plugin, command] = cmd.slice('plugin:'.length).split('|') as [string, string];
    switch (plugin) {
      case 'store':
        return this.store(command, a);
      case 'resources':
        if (command === 'close') this.stores.delete(Number(a.rid));
        return { ok: true, value: null };
      case 'fs':
        return this.fs(command, a);
      case 'path':
        return this.path(command, a);
      case 'dialog':
        // No user to ask: pickers are cancelled, questions get the affirmative answer.
        if (command === 'ask' || command === 'confirm') return { ok: true, value: true, note: `dialog ${command} answered yes` };
        if (command === 'message') return { ok: true, value: 'Ok', note: 'dialog message shown' };
        return { ok: true, value: null, note: `dialog ${command} answered "cancelled"` };
      case 'shell':
        if (command === 'open') return { ok: true, value: null, note: `shell open ${String(a.path ?? '')} (not opened)` };
        return { ok: false, error: `conform mock: plugin:shell|${command} does not run programs in the mock` };
      case 'os':
        return this.os(command);
      case 'window':
      case 'webview':
        return { ok: true, value: this.windowValue(command) };
      case 'app':
        return { ok: true, value: ({ version: '1.0.0', name: this.app, tauri_version: '2.0.0', identifier: `com.example.${this.app}` } as Args)[command] ?? null };
      default:
        return { ok: true, value: null };
    }
  }

  private store(command: string, a: Args): PluginAnswer {
    const open = (path: string) => {
      let rid = this.storeByPath.get(path);
      if (rid === undefined || !this.stores.has(rid)) {
        rid = this.nextRid++;
        const defaults = (a.options as Args | undefined)?.defaults;
        this.stores.set(rid, { path, data: new Map(Object.entries(typeof defaults === 'object' && defaults ? defaults : {})) });
        this.storeByPath.set(path, rid);
      }
      return rid;
    };
    if (command === 'load') return { ok: true, value: open(String(a.path ?? 'store.json')) };
    if (command === 'get_store') {
      const rid = this.storeByPath.get(String(a.path));
      return { ok: true, value: rid !== undefined && this.stores.has(rid) ? rid : null };
    }
    const s = this.stores.get(Number(a.rid));
    if (!s) return { ok: false, error: `conform mock: store resource ${String(a.rid)} is not open (call load first)` };
    const key = String(a.key ?? '');
    switch (command) {
      case 'set':
        s.data.set(key, a.value);
        return { ok: true, value: null };
      case 'get':
        return { ok: true, value: [s.data.has(key) ? s.data.get(key) : null, s.data.has(key)] };
      case 'has':
        return { ok: true, value: s.data.has(key) };
      case 'delete':
        return { ok: true, value: s.data.delete(key) };
      case 'clear':
      case 'reset':
        s.data.clear();
        return { ok: true, value: null };
      case 'keys':
        return { ok: true, value: [...s.data.keys()] };
      case 'values':
        return { ok: true, value: [...s.data.values()] };
      case 'entries':
        return { ok: true, value: [...s.data.entries()] };
      case 'length':
        return { ok: true, value: s.data.size };
      default: // save, reload, set_autosave...
        return { ok: true, value: null };
    }
  }

  private resolvePath(a: Args): string {
    const base = typeof a.baseDir === 'number' ? this.baseDir(a.baseDir) : typeof (a.options as Args | undefined)?.baseDir === 'number' ? this.baseDir((a.options as Args).baseDir as number) : '/';
    const p = String(a.path ?? '');
    return normalize(isAbsolute(p) ? p : join(base, p));
  }

  private baseDir(n: number): string {
    return (BASE_DIRS[n] ?? '/home/user').replace('{app}', `com.example.${this.app}`);
  }

  private fs(command: string, a: Args): PluginAnswer {
    const path = this.resolvePath(a);
    const missing = (): PluginAnswer => ({ ok: false, error: `failed to open file at path: ${path} with error: No such file or directory (os error 2)` });
    switch (command) {
      case 'exists':
        return { ok: true, value: this.files.has(path) || this.dirs.has(path) };
      case 'read_text_file':
      case 'read_file':
        return this.files.has(path) ? { ok: true, value: bytes(this.files.get(path)!) } : missing();
      case 'write_text_file':
      case 'write_file':
        this.files.set(path, text(a.data ?? a.contents ?? ''));
        this.dirs.add(dirname(path));
        return { ok: true, value: null };
      case 'mkdir':
        this.dirs.add(path);
        return { ok: true, value: null };
      case 'remove':
        this.files.delete(path);
        this.dirs.delete(path);
        return { ok: true, value: null };
      case 'read_dir':
        return {
          ok: true,
          value: [...this.files.keys()].filter((f) => dirname(f) === path).map((f) => ({ name: basename(f), isFile: true, isDirectory: false, isSymlink: false })),
        };
      case 'stat':
      case 'lstat':
        if (!this.files.has(path) && !this.dirs.has(path)) return missing();
        return { ok: true, value: { isFile: this.files.has(path), isDirectory: this.dirs.has(path), isSymlink: false, size: (this.files.get(path) ?? '').length, mtime: null, atime: null, birthtime: null, readonly: false } };
      default:
        return { ok: true, value: null };
    }
  }

  private path(command: string, a: Args): PluginAnswer {
    const paths = Array.isArray(a.paths) ? (a.paths as string[]) : [];
    const p = String(a.path ?? '');
    switch (command) {
      case 'resolve_directory':
        return { ok: true, value: posix.join(this.baseDir(Number(a.directory)), p) };
      case 'resolve':
        return { ok: true, value: posix.resolve('/', ...paths) };
      case 'join':
        return { ok: true, value: posix.join(...paths) };
      case 'normalize':
        return { ok: true, value: posix.normalize(p) };
      case 'dirname':
        return { ok: true, value: dirname(p) };
      case 'extname':
        return { ok: true, value: extname(p).slice(1) };
      case 'basename':
        return { ok: true, value: basename(p, typeof a.ext === 'string' ? a.ext : undefined) };
      case 'is_absolute':
        return { ok: true, value: isAbsolute(p) };
      default:
        return { ok: true, value: null };
    }
  }

  private os(command: string): PluginAnswer {
    const values: Args = { platform: 'linux', version: '6.1.0', family: 'unix', os_type: 'linux', type: 'linux', arch: 'x86_64', locale: 'en-US', hostname: 'conform-mock', exe_extension: '', eol: '\n' };
    return { ok: true, value: values[command] ?? null };
  }

  private windowValue(command: string): unknown {
    const size = { width: 1280, height: 800 };
    const values: Args = {
      title: this.app, scale_factor: 1, inner_size: size, outer_size: size, inner_position: { x: 0, y: 0 }, outer_position: { x: 0, y: 0 },
      is_fullscreen: false, is_minimized: false, is_maximized: false, is_focused: true, is_decorated: true, is_resizable: true,
      is_maximizable: true, is_minimizable: true, is_closable: true, is_visible: true, is_enabled: true, is_always_on_top: false, theme: 'light',
      get_all_windows: ['main'], get_all_webviews: [{ windowLabel: 'main', label: 'main' }],
    };
    return values[command] ?? null;
  }
}
