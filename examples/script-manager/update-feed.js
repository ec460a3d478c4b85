'use strict';
// msw handlers emulating the app's update feed (an HTTP server in production). The main process
// installs them with msw/node's setupServer, so `updates:*` runs real fetch/stream code against
// a feed whose answers are known. Feed layout, one folder per update channel:
//   GET <base>/<channel>/latest.json   -> { version, releaseDate, releaseNotes, files: [{ url, size, sha512 }] }
//   GET <base>/<channel>/<file name>   -> the update package, streamed in paced chunks
// Channels: stable (a newer release), beta (a newer pre-release), lts (the running version, so
// "no update"), broken (a newer release whose download fails half-way); any other channel -> 404.
const crypto = require('node:crypto');
const { http, HttpResponse, delay } = require('msw');

const FEED_BASE_URL = 'https://updates.script-manager.test';
const PACKAGE_BYTES = 384 * 1024;
const CHUNK_BYTES = 32 * 1024;
const CHUNK_DELAY_MS = 15;

/** Deterministic package content (mulberry32), so its sha512 is stable across runs. */
function packageBytes(seed) {
  const out = new Uint8Array(PACKAGE_BYTES);
  let a = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return out;
}

function releases(appVersion) {
  return {
    stable: { version: '1.1.0', releaseNotes: 'Faster log streaming; profile start order kept.', seed: 11 },
    beta: { version: '1.2.0-beta.1', releaseNotes: 'Preview: health checks for URLs.', seed: 12 },
    lts: { version: appVersion, releaseNotes: 'Current long-term release.', seed: 13 },
    broken: { version: '9.9.9', releaseNotes: 'A release whose download fails half-way.', seed: 14, failAt: PACKAGE_BYTES / 2 },
  };
}

/**
 * @param {{ baseUrl?: string, appVersion: string }} o
 * @returns {import('msw').HttpHandler[]}
 */
function createUpdateFeedHandlers({ baseUrl = FEED_BASE_URL, appVersion }) {
  const feed = releases(appVersion);
  const bytes = new Map();
  const bytesOf = (name) => {
    if (!bytes.has(name)) bytes.set(name, packageBytes(feed[name].seed));
    return bytes.get(name);
  };
  const fileName = (name) => `script-manager-${feed[name].version}.bin`;

  return [
    http.get(`${baseUrl}/:channel/latest.json`, async ({ params }) => {
      await delay(20);
      const name = String(params.channel);
      if (!Object.hasOwn(feed, name)) {
        return HttpResponse.json({ error: `unknown channel ${name}` }, { status: 404 });
      }
      const body = bytesOf(name);
      return HttpResponse.json({
        version: feed[name].version,
        releaseDate: '2026-11-02T09:00:00.000Z',
        releaseNotes: feed[name].releaseNotes,
        files: [{
          url: `${baseUrl}/${name}/${fileName(name)}`,
          size: body.length,
          sha512: crypto.createHash('sha512').update(body).digest('base64'),
        }],
      });
    }),
    http.get(`${baseUrl}/:channel/:file`, ({ params }) => {
      const name = String(params.channel);
      if (!Object.hasOwn(feed, name) || params.file !== fileName(name)) {
        return new HttpResponse('not found', { status: 404 });
      }
      const body = bytesOf(name);
      const failAt = feed[name].failAt;
      let offset = 0;
      const stream = new ReadableStream({
        async pull(controller) {
          await delay(CHUNK_DELAY_MS);
          if (failAt !== undefined && offset >= failAt) {
            controller.error(new Error('connection reset by update server'));
            return;
          }
          if (offset >= body.length) {
            controller.close();
            return;
          }
          controller.enqueue(body.slice(offset, offset + CHUNK_BYTES));
          offset += CHUNK_BYTES;
        },
      });
      return new HttpResponse(stream, {
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length) },
      });
    }),
  ];
}

module.exports = { createUpdateFeedHandlers, FEED_BASE_URL, PACKAGE_BYTES };
