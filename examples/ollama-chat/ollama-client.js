'use strict';
// Small client for the Ollama HTTP API: JSON calls and NDJSON streams (chat tokens, pull progress).
// Uses the global fetch, which msw intercepts when the app runs on its emulated API.

const DEFAULT_HOST = 'http://127.0.0.1:11434';

/** The base URL: the clientUrl param if given, else OLLAMA_HOST, else Ollama's default. */
function baseUrl(clientUrl) {
  const raw = clientUrl === undefined || clientUrl === null ? process.env.OLLAMA_HOST || DEFAULT_HOST : clientUrl;
  if (typeof raw !== 'string' || raw.trim() === '') throw new Error(`Invalid clientUrl: ${JSON.stringify(raw)}`);
  // OLLAMA_HOST may be a bare host:port, as Ollama itself accepts.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`Invalid clientUrl: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Unsupported clientUrl scheme: ${url.protocol}`);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

class OllamaHttpError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'OllamaHttpError';
    this.status = status;
  }
}

async function errorFrom(res) {
  let message = `${res.status} ${res.statusText}`.trim();
  try {
    const text = await res.text();
    try {
      const body = JSON.parse(text);
      if (body && typeof body.error === 'string') message = body.error;
    } catch {
      if (text) message = text;
    }
  } catch {
    // Keep the status line.
  }
  return new OllamaHttpError(res.status, message);
}

async function request(clientUrl, method, path, body, signal) {
  const res = await fetch(baseUrl(clientUrl) + path, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  if (!res.ok) throw await errorFrom(res);
  return res;
}

async function json(clientUrl, method, path, body) {
  const res = await request(clientUrl, method, path, body);
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/**
 * Read an NDJSON body line by line. `onLine` gets each parsed object; an `{ error }` line throws
 * (Ollama reports failures inside a 200 stream that way). `isCancelled()` stops reading early.
 */
async function readNdjson(res, onLine, isCancelled = () => false) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      if (isCancelled()) return 'cancelled';
      const { value, done } = await reader.read();
      if (isCancelled()) return 'cancelled';
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        const obj = JSON.parse(line);
        if (obj && typeof obj.error === 'string') throw new OllamaHttpError(200, obj.error);
        await onLine(obj);
        if (isCancelled()) return 'cancelled';
      }
    }
    const rest = buffer.trim();
    if (rest) {
      const obj = JSON.parse(rest);
      if (obj && typeof obj.error === 'string') throw new OllamaHttpError(200, obj.error);
      await onLine(obj);
    }
    return 'ended';
  } finally {
    reader.cancel().catch(() => {});
  }
}

module.exports = { DEFAULT_HOST, baseUrl, request, json, readNdjson, OllamaHttpError };
