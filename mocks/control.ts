// The mock's control endpoint: a small HTTP server on 127.0.0.1 (random port) that switches
// scenarios, emits events and injects faults while the app runs. Every request needs the random
// token (`Authorization: Bearer <token>`); requests from anything but loopback are refused even if
// the port were reachable. In the Electron mock the server runs in the mock's main process, which
// gets only the token's SHA-256 (`tokenSha256`): the token itself never exists there.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MockEngine } from './engine.ts';
import { pickEngine } from './host.ts';
import { resolveScenario, type Override } from './scenario.ts';

export interface ControlServer {
  url: string;
  /** The token, when this server made it (undefined when it was given only its hash). */
  token: string | undefined;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Constant-time token comparison (also used by the renderer endpoints, mocks/endpoints.ts). */
export function sameToken(given: string, want: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A fresh 192-bit random token, hex: the control server's and the renderer endpoints' token. */
export const newToken = (): string => randomBytes(24).toString('hex');

/** SHA-256 of a control token, hex: what the Electron mock's main process is given instead of the token. */
export function controlTokenSha256(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * `token` in a 0600 file inside a fresh 0700 temp folder, for `conform mock ctl --token-file`;
 * `remove()` deletes the folder (call it when the mock stops).
 */
export function writeControlTokenFile(token: string): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'conform-mock-'));
  const file = join(dir, 'control-token');
  writeFileSync(file, token, { mode: 0o600 });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The line announcing a control endpoint. The token is shown on a terminal only: CI logs keep
 * output, so there the line names the 0600 file holding it.
 */
export function controlAnnouncement(url: string, token: string, tokenFile: string, terminal: boolean): string {
  return terminal ? `conform mock: control ${url} token ${token}` : `conform mock: control ${url} token-file ${tokenFile}`;
}

function tokenOk(req: IncomingMessage, wantSha256: string): boolean {
  const h = req.headers.authorization ?? '';
  // Both sides are fixed-length hex digests, so the constant-time comparison covers any given token.
  return sameToken(controlTokenSha256(h.startsWith('Bearer ') ? h.slice(7) : ''), wantSha256);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 1_000_000) throw new Error('request body too large');
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const v = JSON.parse(text) as unknown;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('the body must be a JSON object');
  return v as Record<string, unknown>;
}

/** The commands, shared by the HTTP server and tests. Returns the JSON answer. */
export function controlCommand(engines: MockEngine | MockEngine[], path: string, body: Record<string, unknown>, onQuit?: () => void): unknown {
  const all = Array.isArray(engines) ? engines : [engines];
  const engine = pickEngine(all, String(body.channel ?? body.event ?? ''));
  switch (path) {
    case '/quit':
      if (!onQuit) throw new Error('this mock cannot be stopped over the control endpoint');
      // Answer first, then stop (the server goes away with the mock).
      setTimeout(onQuit, 50);
      return { quitting: true };
    case '/status':
      return { pack: all.map((e) => e.pack.name).join(','), scenario: engine.scenarioName, calls: all.reduce((n, e) => n + e.calls.length, 0) };
    case '/calls':
      return { calls: all.flatMap((e) => e.calls) };
    case '/scenario': {
      const name = String(body.name ?? '');
      if (!name) throw new Error('give { "name": <scenario name or file> }');
      for (const e of all) e.setScenario(resolveScenario(name, e.pack));
      return { scenario: engine.scenarioName };
    }
    case '/emit': {
      const event = String(body.event ?? '');
      if (!event) throw new Error('give { "event": <name>, "payload"?: <json> }');
      const warning = engine.emit(event, body.payload, 'payload' in body);
      return warning ? { emitted: event, warning } : { emitted: event };
    }
    case '/fault': {
      const channel = String(body.channel ?? '');
      const { channel: _c, ...fault } = body;
      engine.setFault(channel, fault as Override);
      return { fault: channel };
    }
    case '/clear': {
      if (body.channel) engine.setFault(String(body.channel), null);
      else for (const e of all) e.clearFaults();
      return { cleared: body.channel ?? 'all' };
    }
    case '/speed': {
      const speed = Number(body.speed);
      if (!Number.isFinite(speed) || speed < 0) throw new Error('speed must be a number >= 0');
      for (const e of all) e.setSpeed(speed);
      return { speed };
    }
    default:
      throw Object.assign(new Error(`unknown command ${path} (status, calls, scenario, emit, fault, clear, speed, quit)`), { status: 404 });
  }
}

export async function startControlServer(
  engine: MockEngine | MockEngine[],
  opts: { port?: number; onQuit?: () => void; tokenSha256?: string } = {},
): Promise<ControlServer> {
  const token = opts.tokenSha256 ? undefined : newToken();
  const wantSha256 = opts.tokenSha256 ?? controlTokenSha256(token!);
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return send(res, 403, { error: 'loopback only' });
      if (!tokenOk(req, wantSha256)) return send(res, 401, { error: 'missing or wrong token (Authorization: Bearer <token>)' });
      try {
        const body = req.method === 'POST' ? await readJson(req) : {};
        const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
        send(res, 200, controlCommand(engine, path, body, opts.onQuit));
      } catch (err) {
        send(res, (err as { status?: number }).status ?? 400, { error: (err as Error).message });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
