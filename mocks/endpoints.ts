// The renderer's way to the mock over HTTP (`conform mock --browser`'s server and the Vite
// plugin): `POST <base>/host` answers one bridge message, `GET <base>/events` streams pushes as
// Server-Sent Events. Both need the token the server injects into the page it serves, and refuse
// requests whose Origin is not the page's own, so another site open in the same browser cannot
// call the mock (a cross-origin `text/plain` POST needs no CORS preflight).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newToken, sameToken } from './control.ts';
import type { EngineSink, MockEngine } from './engine.ts';
import { answerHostMessage, batchingSink, type DispatchItem, type HostMessage } from './host.ts';
import { generateBrowserBridge } from './preload.ts';

export interface RendererEndpoints {
  readonly base: string;
  readonly token: string;
  /** Connect-style handler: answers `<base>/host` and `<base>/events`, calls `next()` for anything else. */
  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void;
  /** Where engines push events for the pages connected over SSE. */
  sink: EngineSink & { idle(): Promise<void> };
  /** The `<script>` element to put first in every served HTML page (bridge + event stream). */
  scriptTag(): string;
  /** End the event streams. */
  close(): void;
}

export interface EndpointOptions {
  base?: string;
  /** The app's own preload (Electron packs), run in the page instead of the generated bridge. */
  preload?: { source: string; file: string };
  log?: (line: string) => void;
}

const TOKEN_HEADER = 'x-conform-token';
const MAX_BODY = 16 * 1024 * 1024;

/** Whether a request's Origin (when it has one) is the server it was sent to. */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not sent by a page of another site (curl, same-origin GET)
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function rendererEndpoints(engines: MockEngine[], opts: EndpointOptions = {}): RendererEndpoints {
  const base = opts.base ?? '/__conform';
  const token = newToken();
  const log = opts.log ?? (() => {});
  const clients = new Set<ServerResponse>();
  const sink = batchingSink(async (batch: DispatchItem[]) => {
    const frame = `data: ${JSON.stringify(batch)}\n\n`;
    for (const res of clients) res.write(frame);
  }, (err) => log(`conform mock: ${err.message}`));

  const hostExpr = `(m) => fetch(${JSON.stringify(`${base}/host`)}, { method: 'POST', headers: { 'content-type': 'application/json', ${JSON.stringify(TOKEN_HEADER)}: ${JSON.stringify(token)} }, body: JSON.stringify(m) }).then((r) => r.json())`;
  const script = `${generateBrowserBridge(engines[0]!.pack, hostExpr, opts.preload)}
(() => {
  // Conform's own Chromium talks through its binding (__conformHost); other browsers over SSE.
  if (window.top !== window || window.__conformEvents || typeof window.__conformHost === 'function') return;
  window.__conformEvents = new EventSource(${JSON.stringify(`${base}/events?token=${token}`)});
  window.__conformEvents.onmessage = (e) => window.__conformDispatch && window.__conformDispatch(JSON.parse(e.data));
})();`;

  const handle = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== `${base}/host` && url.pathname !== `${base}/events`) return next();
    if (!sameOrigin(req)) return reply(res, 403, { ok: false, error: `conform mock: requests from ${req.headers.origin} are refused (only the served renderer may call the mock)` });
    const given = url.pathname === `${base}/events` ? url.searchParams.get('token') ?? '' : String(req.headers[TOKEN_HEADER] ?? '');
    if (!sameToken(given, token)) return reply(res, 401, { ok: false, error: 'conform mock: missing or wrong token (the served page carries it)' });
    if (url.pathname === `${base}/events`) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(': conform mock events\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (req.method !== 'POST') return reply(res, 405, { ok: false, error: 'conform mock: POST only' });
    void (async () => {
      try {
        const msg = JSON.parse(await readBody(req)) as HostMessage;
        reply(res, 200, await answerHostMessage(engines, msg));
      } catch (err) {
        reply(res, 400, { ok: false, error: `conform mock: ${(err as Error).message}` });
      }
    })();
  };

  return {
    base,
    token,
    handle,
    sink,
    // `</script` inside a preload's text would end the element early.
    scriptTag: () => `<script>${script.replace(/<\/(script)/gi, '<\\/$1')}</script>`,
    close: () => {
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
