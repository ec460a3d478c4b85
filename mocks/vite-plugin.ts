// Vite plugin: `vite dev` serves the renderer with the mock bridge injected, so developers keep hot
// reload while the backend is the contract alone. Calls go to `POST /__conform/host` on the dev
// server (answered by the mock engine in Vite's Node process); pushes (events, Tauri Channel
// messages) come back over Server-Sent Events on `/__conform/events`.
//
//   // vite.config.ts
//   import { conformMock } from 'conform/mocks/vite-plugin.ts';
//   export default { plugins: [conformMock({ pack: 'tauri-completion' })] };
//
// The endpoints need the token the plugin puts into the page and refuse other Origins.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { controlAnnouncement, startControlServer, writeControlTokenFile, type ControlServer } from './control.ts';
import type { MockEngine } from './engine.ts';
import { rendererEndpoints, type RendererEndpoints } from './endpoints.ts';
import { injectScript } from './serve.ts';
import { createEngine, type MockConfig } from './host.ts';
import { writeVerifyReports } from './verify.ts';

export interface ConformMockPluginOptions extends Omit<MockConfig, 'pack' | 'renderer' | 'preload'> {
  /** Pack name or folder; several Tauri packs can be mocked together. */
  pack: string | string[];
  /** The app's own preload (Electron packs): run in the page against an `ipcRenderer` that talks to the mock. */
  preload?: string;
  /** URL prefix of the plugin's endpoints (default `/__conform`). */
  base?: string;
}

export function conformMock(options: ConformMockPluginOptions): Plugin {
  const packs = Array.isArray(options.pack) ? options.pack : [options.pack];
  let engines: MockEngine[] | undefined;
  let endpoints: RendererEndpoints | undefined;
  let ready: Promise<RendererEndpoints> | undefined;
  let control: ControlServer | undefined;
  let tokenFile: ReturnType<typeof writeControlTokenFile> | undefined;
  const log = (line: string) => process.stderr.write(line + '\n');
  const load = () =>
    (ready ??= (async () => {
      const list: MockEngine[] = [];
      for (const pack of packs) list.push((await createEngine({ ...options, pack }, log)).engine);
      if (list.length > 1 && list.some((e) => e.pack.transport !== 'tauri')) throw new Error('conform mock: only Tauri packs can be mocked together');
      const preload = options.preload ? { source: readFileSync(resolve(options.preload), 'utf8'), file: resolve(options.preload) } : undefined;
      endpoints = rendererEndpoints(list, { base: options.base, preload, log });
      for (const e of list) e.attach(endpoints.sink);
      engines = list;
      if (options.control) {
        control = await startControlServer(list);
        // The token in a 0600 file for `conform mock ctl --token-file`; shown only on a terminal.
        tokenFile = writeControlTokenFile(control.token!);
        log(controlAnnouncement(control.url, control.token!, tokenFile.file, !!process.stderr.isTTY));
      }
      return endpoints;
    })());

  return {
    name: 'conform-mock',
    apply: 'serve',
    async configureServer(server) {
      const ep = await load();
      // Token and Origin are checked by the endpoints; everything else goes on to Vite.
      server.middlewares.use((req, res, next) => ep.handle(req, res, next));
      server.httpServer?.once('close', () => {
        ep.close();
        for (const e of engines ?? []) e.close();
        void control?.close();
        tokenFile?.remove();
        if (options.verifyOut && engines) {
          const files = writeVerifyReports(engines[0]!.pack, engines.flatMap((e) => e.calls), { outDir: options.verifyOut, reporters: options.reporters, seed: options.seed });
          log(`conform mock: verification report written: ${files.join(', ')}`);
        }
      });
    },
    async transformIndexHtml(html) {
      const ep = await load();
      // The same injection as `conform mock --browser`'s own server (first in <head>).
      return injectScript(html, ep.scriptTag());
    },
  };
}

export default conformMock;
