// `conform mock --browser` serves the renderer over HTTP on 127.0.0.1, so a built `dist` with
// absolute asset paths (`/assets/app.js`) works and a developer can open the printed URL in any
// browser: static files from one root folder (never outside it), the bridge script put first into
// every HTML page, a single-page app's routes answered with index.html, and the renderer
// endpoints (mocks/endpoints.ts). Host names other than loopback are refused (DNS rebinding).
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { RendererEndpoints } from './endpoints.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;

export interface RendererServer {
  /** The renderer's URL (the page to open). */
  url: string;
  origin: string;
  close(): Promise<void>;
}

/** Root folder and entry page of a file or folder renderer. */
export function rendererRoot(target: string): { root: string; entry: string } {
  const abs = resolve(target);
  if (statSync(abs).isDirectory()) return { root: abs, entry: 'index.html' };
  return { root: dirname(abs), entry: basename(abs) };
}

/** Put the bridge first in <head> (before any of the page's scripts), or first in the file. */
export function injectScript(html: string, tag: string): string {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + tag + html.slice(head.index + head[0].length);
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  return doctype ? doctype[0] + tag + html.slice(doctype[0].length) : tag + html;
}

/**
 * Serve `target` (file or folder). `endpoints` may still be on its way (the mock engine loading):
 * the server listens at once so its URL can be printed, and requests wait for the endpoints.
 */
export async function serveRenderer(target: string, endpointsReady: RendererEndpoints | Promise<RendererEndpoints>, opts: { port?: number; log?: (line: string) => void } = {}): Promise<RendererServer> {
  const { root, entry } = rendererRoot(target);
  const log = opts.log ?? (() => {});
  let endpoints: RendererEndpoints | undefined;
  const sendHtml = (res: ServerResponse, file: string) => {
    res.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-store' });
    res.end(injectScript(readFileSync(file, 'utf8'), endpoints!.scriptTag()));
  };
  const notFound = (res: ServerResponse, path: string) => {
    log(`conform mock: 404 ${path} (no such file under ${root})`);
    res.writeHead(404, { 'content-type': TYPES['.txt']! });
    res.end(`not found: ${path}`);
  };
  const serveStatic = (req: IncomingMessage, res: ServerResponse) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return notFound(res, req.url ?? '');
    }
    const file = resolve(join(root, path === '/' ? entry : path));
    // Never outside the root (`..`, encoded or not).
    if (file !== root && !file.startsWith(root + sep)) return notFound(res, path);
    if (existsSync(file) && statSync(file).isFile()) {
      const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      if (type.startsWith('text/html')) return sendHtml(res, file);
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      createReadStream(file).pipe(res);
      return;
    }
    if (existsSync(join(file, 'index.html'))) return sendHtml(res, join(file, 'index.html'));
    // A route of a single-page app (no extension): the app's own page answers it.
    if (!extname(path) && (req.headers.accept ?? '').includes('text/html')) return sendHtml(res, join(root, entry));
    notFound(res, relative(root, file) ? path : '/');
  };
  const server: Server = createServer((req, res) => {
    if (!LOOPBACK_HOST.test(req.headers.host ?? '')) {
      res.writeHead(403, { 'content-type': TYPES['.txt']! });
      res.end('conform mock: only loopback host names are served');
      return;
    }
    Promise.resolve(endpointsReady).then(
      (ep) => {
        endpoints = ep;
        ep.handle(req, res, () => serveStatic(req, res));
      },
      (err: Error) => {
        res.writeHead(500, { 'content-type': TYPES['.txt']! });
        res.end(`conform mock could not start: ${err.message}`);
      },
    );
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/${entry === 'index.html' ? '' : encodeURI(entry)}`,
    origin,
    close: () =>
      new Promise<void>((ok) => {
        endpoints?.close();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** A server started before the mock engine exists (so its URL is printed at once); `provide` hands it the endpoints later. */
export interface EarlyServer {
  server: RendererServer;
  provide(endpoints: RendererEndpoints): void;
  fail(err: Error): void;
}

export async function serveRendererEarly(target: string, opts: { log?: (line: string) => void } = {}): Promise<EarlyServer> {
  let provide!: (ep: RendererEndpoints) => void;
  let fail!: (err: Error) => void;
  const ready = new Promise<RendererEndpoints>((ok, no) => {
    provide = ok;
    fail = no;
  });
  ready.catch(() => {}); // a failed start is answered per request; never an unhandled rejection
  return { server: await serveRenderer(target, ready, opts), provide, fail };
}
