// Vite plugin: `vite dev` serves the renderer with the mock bridge injected, so developers keep hot
// reload while the backend is the contract alone. Calls go to `POST /__conform/host` on the dev
// server (answered by the mock engine in Vite's Node process); pushes (events, Tauri Channel
// messages) come back over Server-Sent Events on `/__conform/events`.
//
//   // vite.config.ts
//   import { conformMock } from 'conform/mocks/vite-plugin.ts';
//   export default { plugins: [conformMock({ pack: 'tauri-completion' })] };
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { startControlServer, type ControlServer } from './control.ts';
import type { MockEngine } from './engine.ts';
import { answerHostMessage, batchingSink, createEngine, type DispatchItem, type HostMessage, type MockConfig } from './host.ts';
import { generateBrowserBridge } from './preload.ts';
import { writeVerifyReports } from './verify.ts';

export interface ConformMockPluginOptions extends Omit<MockConfig, 'pack' | 'renderer' | 'preload'> {
  /** Pack name or folder; several Tauri packs can be mocked together. */
  pack: string | string[];
  /** URL prefix of the plugin's endpoints (default `/__conform`). */
  base?: string;
}

const HOST_EXPR = (base: string) =>
  `(m) => fetch(${JSON.stringify(`${base}/host`)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(m) }).then((r) => r.json())`;

/** The script injected into index.html: the bridge plus the event stream that feeds it. */
export function bridgeScript(engine: MockEngine, base = '/__conform'): string {
  return `${generateBrowserBridge(engine.pack, HOST_EXPR(base))}
(() => {
  const events = new EventSource(${JSON.stringify(`${base}/events`)});
  events.onmessage = (e) => window.__conformDispatch && window.__conformDispatch(JSON.parse(e.data));
})();`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function conformMock(options: ConformMockPluginOptions): Plugin {
  const base = options.base ?? '/__conform';
  const packs = Array.isArray(options.pack) ? options.pack : [options.pack];
  let engines: MockEngine[] | undefined;
  let ready: Promise<MockEngine[]> | undefined;
  let control: ControlServer | undefined;
  const clients = new Set<ServerResponse>();
  const log = (line: string) => process.stderr.write(line + '\n');
  const load = () =>
    (ready ??= (async () => {
      const list: MockEngine[] = [];
      for (const pack of packs) list.push((await createEngine({ ...options, pack }, log)).engine);
      if (list.length > 1 && list.some((e) => e.pack.transport !== 'tauri')) throw new Error('conform mock: only Tauri packs can be mocked together');
      const sink = batchingSink(async (batch: DispatchItem[]) => {
        const frame = `data: ${JSON.stringify(batch)}\n\n`;
        for (const res of clients) res.write(frame);
      }, (err) => log(`conform mock: ${err.message}`));
      for (const e of list) e.attach(sink);
      engines = list;
      if (options.control) {
        control = await startControlServer(list);
        log(`conform mock: control ${control.url} token ${control.token}`);
      }
      return list;
    })());

  return {
    name: 'conform-mock',
    apply: 'serve',
    async configureServer(server) {
      await load();
      server.middlewares.use(`${base}/events`, (req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        res.write(': conform mock events\n\n');
        clients.add(res);
        req.on('close', () => clients.delete(res));
      });
      server.middlewares.use(`${base}/host`, (req, res) => {
        void (async () => {
          try {
            const msg = JSON.parse(await readBody(req)) as HostMessage;
            const answer = await answerHostMessage(await load(), msg);
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify(answer));
          } catch (err) {
            res.writeHead(400, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ ok: false, error: `conform mock: ${(err as Error).message}` }));
          }
        })();
      });
      server.httpServer?.once('close', () => {
        for (const res of clients) res.end();
        clients.clear();
        for (const e of engines ?? []) e.close();
        void control?.close();
        if (options.verifyOut && engines) {
          const files = writeVerifyReports(engines[0]!.pack, engines.flatMap((e) => e.calls), { outDir: options.verifyOut, reporters: options.reporters, seed: options.seed });
          log(`conform mock: verification report written: ${files.join(', ')}`);
        }
      });
    },
    async transformIndexHtml() {
      const [engine] = await load();
      return [{ tag: 'script', children: bridgeScript(engine!, base), injectTo: 'head-prepend' }];
    },
  };
}

export default conformMock;
