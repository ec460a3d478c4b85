'use strict';
// Emulated Ollama HTTP API (msw request handlers) so the app runs without a real Ollama server.
// It answers on any origin, keeps one model list per origin (deleting on one host does not touch
// another), streams NDJSON like Ollama does (/api/chat tokens, /api/pull progress) with real
// pacing, and has models that fail on purpose:
//   broken-runner:latest  the runner dies halfway: an {"error": ...} line, then the body ends
//   flaky-net:latest      the connection drops halfway: the body stream errors
const { http, HttpResponse } = require('msw');

const TOKEN_MS = Number(process.env.OLLAMA_EMULATOR_TOKEN_MS ?? 4);
const PULL_STEP_MS = Number(process.env.OLLAMA_EMULATOR_PULL_MS ?? 3);
// /api/show reads the model's files on a real server: a few hundred ms each.
const SHOW_MS = Number(process.env.OLLAMA_EMULATOR_SHOW_MS ?? 300);

const MB = 1024 * 1024;
/** What the emulated registry can pull (name -> size in bytes, family, parameter size, tools support). */
const REGISTRY = {
  'llama3.2:1b': { size: 1321 * MB, family: 'llama', parameterSize: '1.2B', tools: true },
  'llama3.2:3b': { size: 2019 * MB, family: 'llama', parameterSize: '3.2B', tools: true },
  'qwen2.5-coder:0.5b': { size: 398 * MB, family: 'qwen2', parameterSize: '494.03M', tools: true },
  'gemma2:2b': { size: 1629 * MB, family: 'gemma2', parameterSize: '2.6B', tools: false },
  'phi3:mini': { size: 2176 * MB, family: 'phi3', parameterSize: '3.8B', tools: false },
  // The tiny model the seed pack's generated checks pull first (its ModelName example).
  'conform-fixture:latest': { size: 12 * MB, family: 'llama', parameterSize: '15M', tools: true },
  'broken-runner:latest': { size: 98 * MB, family: 'llama', parameterSize: '135M', tools: false },
  'flaky-net:latest': { size: 98 * MB, family: 'llama', parameterSize: '135M', tools: false },
};
const PREINSTALLED = ['llama3.2:1b', 'qwen2.5-coder:0.5b', 'broken-runner:latest', 'flaky-net:latest'];

/** Ollama names without a tag mean `:latest`. */
function normalizeName(name) {
  if (typeof name !== 'string' || name.trim() === '') return '';
  const n = name.trim();
  return n.includes(':') ? n : `${n}:latest`;
}

/** Deterministic fake sha256 digest from a string (the emulator needs stable, plausible digests). */
function fakeDigest(seed) {
  let h = 2166136261;
  let out = '';
  for (let round = 0; out.length < 64; round++) {
    for (const c of `${seed}#${round}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

function modelEntry(name, modifiedAt) {
  const info = REGISTRY[name] ?? { size: 64 * MB, family: 'llama', parameterSize: 'unknown', tools: false };
  return {
    name,
    model: name,
    modified_at: modifiedAt,
    size: info.size,
    digest: fakeDigest(name),
    details: {
      parent_model: '',
      format: 'gguf',
      family: info.family,
      families: [info.family],
      parameter_size: info.parameterSize,
      quantization_level: 'Q4_K_M',
    },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const encoder = new TextEncoder();

/**
 * NDJSON body fed by an async generator. Pull-based, so a reader that cancels (the app's stop)
 * ends the generator instead of letting it run on in the background.
 */
function ndjsonStream(gen) {
  const it = gen();
  return new ReadableStream({
    async pull(controller) {
      try {
        const { value, done } = await it.next();
        if (done) controller.close();
        else if (value instanceof Error) controller.error(value);
        else controller.enqueue(encoder.encode(JSON.stringify(value) + '\n'));
      } catch (err) {
        controller.error(err);
      }
    },
    cancel() {
      it.return(undefined);
    },
  });
}

const ndjson = (gen) =>
  new HttpResponse(ndjsonStream(gen), { status: 200, headers: { 'content-type': 'application/x-ndjson' } });
const jsonError = (status, error) => HttpResponse.json({ error }, { status });

/** A canned, deterministic assistant answer built from the conversation, split into tokens. */
function answerTokens(model, messages) {
  const last = [...messages].reverse().find((m) => m && m.role === 'user');
  const prompt = String(last?.content ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);
  const turn = messages.filter((m) => m && m.role === 'user').length;
  const text =
    `Hello from ${model}. You asked: "${prompt}". ` +
    `This is turn ${turn} of our chat, and here is a short, emulated answer with a few more words to stream.`;
  return text.match(/\S+\s*/g) ?? [];
}

async function readJson(request) {
  try {
    return await request.json();
  } catch {
    return null;
  }
}

/**
 * Build the handlers. `state` is exposed for tests and the app's own diagnostics: a Map from
 * origin to that emulated server's installed models.
 */
function createOllamaApi() {
  const servers = new Map();
  const started = new Date('2026-01-05T09:30:00Z').getTime();

  function serverFor(request) {
    const origin = new URL(request.url).origin;
    let s = servers.get(origin);
    if (!s) {
      s = { models: new Map() };
      PREINSTALLED.forEach((name, i) => s.models.set(name, modelEntry(name, new Date(started + i * 3600_000).toISOString())));
      servers.set(origin, s);
    }
    return s;
  }

  const handlers = [
    // `*/` would match every path ending in a slash; answer only the root (others fall through).
    http.get('*/', ({ request }) =>
      new URL(request.url).pathname === '/'
        ? new HttpResponse('Ollama is running', { headers: { 'content-type': 'text/plain' } })
        : undefined),
    http.get('*/api/version', () => HttpResponse.json({ version: '0.6.2' })),

    http.get('*/api/tags', ({ request }) => HttpResponse.json({ models: [...serverFor(request).models.values()] })),

    http.post('*/api/show', async ({ request }) => {
      const body = await readJson(request);
      await sleep(SHOW_MS);
      const name = normalizeName(body?.model ?? body?.name);
      const entry = serverFor(request).models.get(name);
      if (!entry) return jsonError(404, `model '${name || body?.model}' not found`);
      const info = REGISTRY[name];
      return HttpResponse.json({
        modelfile: `FROM ${name}\n`,
        parameters: 'stop "<|eot_id|>"',
        template: '{{ .Prompt }}',
        details: entry.details,
        model_info: { 'general.architecture': entry.details.family, 'general.parameter_count': entry.size },
        capabilities: info?.tools ? ['completion', 'tools'] : ['completion'],
        modified_at: entry.modified_at,
      });
    }),

    http.delete('*/api/delete', async ({ request }) => {
      const body = await readJson(request);
      const name = normalizeName(body?.model ?? body?.name);
      const s = serverFor(request);
      if (!s.models.has(name)) return jsonError(404, `model '${name || body?.model}' not found`);
      s.models.delete(name);
      return new HttpResponse(null, { status: 200 });
    }),

    http.post('*/api/pull', async ({ request }) => {
      const body = await readJson(request);
      const name = normalizeName(body?.model ?? body?.name);
      const s = serverFor(request);
      const info = REGISTRY[name];
      const stream = body?.stream !== false;
      if (!stream) {
        if (!info) return jsonError(500, 'pull model manifest: file does not exist');
        s.models.set(name, modelEntry(name, new Date().toISOString()));
        return HttpResponse.json({ status: 'success' });
      }
      return ndjson(async function* () {
        yield { status: 'pulling manifest' };
        await sleep(PULL_STEP_MS);
        if (!info) {
          yield { error: 'pull model manifest: file does not exist' };
          return;
        }
        // Two layers: the weights (most of the size) and the template/params blob.
        const layers = [
          { digest: `sha256:${fakeDigest(name + ':weights')}`, total: info.size - 4096 },
          { digest: `sha256:${fakeDigest(name + ':params')}`, total: 4096 },
        ];
        for (const layer of layers) {
          const steps = layer.total > 4096 ? 6 : 1;
          for (let i = 0; i <= steps; i++) {
            const completed = Math.round((layer.total * i) / steps);
            yield { status: `pulling ${layer.digest.slice(7, 19)}`, digest: layer.digest, total: layer.total, completed };
            await sleep(PULL_STEP_MS);
          }
        }
        yield { status: 'verifying sha256 digest' };
        await sleep(PULL_STEP_MS);
        yield { status: 'writing manifest' };
        s.models.set(name, modelEntry(name, new Date().toISOString()));
        yield { status: 'success' };
      });
    }),

    http.post('*/api/chat', async ({ request }) => {
      const body = await readJson(request);
      if (!body || typeof body.model !== 'string') return jsonError(400, 'model is required');
      const name = normalizeName(body.model);
      if (!serverFor(request).models.has(name)) {
        return jsonError(404, `model "${body.model}" not found, try pulling it first`);
      }
      const messages = Array.isArray(body.messages) ? body.messages : [];
      const tokens = answerTokens(name, messages);
      const createdAt = () => new Date().toISOString();
      const final = (evalCount) => ({
        model: name,
        created_at: createdAt(),
        message: { role: 'assistant', content: '' },
        done_reason: 'stop',
        done: true,
        total_duration: tokens.length * TOKEN_MS * 1e6,
        load_duration: 1e6,
        prompt_eval_count: messages.length * 8,
        prompt_eval_duration: 2e6,
        eval_count: evalCount,
        eval_duration: tokens.length * TOKEN_MS * 1e6,
      });
      if (body.stream === false) {
        await sleep(TOKEN_MS * 2);
        return HttpResponse.json({ ...final(tokens.length), message: { role: 'assistant', content: tokens.join('') } });
      }
      const failAt = name === 'broken-runner:latest' || name === 'flaky-net:latest' ? Math.floor(tokens.length / 2) : -1;
      return ndjson(async function* () {
        for (let i = 0; i < tokens.length; i++) {
          await sleep(TOKEN_MS);
          if (i === failAt) {
            if (name === 'flaky-net:latest') {
              yield new Error('socket hang up');
            } else {
              yield { error: 'llama runner process has terminated: signal: killed' };
            }
            return;
          }
          yield { model: name, created_at: createdAt(), message: { role: 'assistant', content: tokens[i] }, done: false };
        }
        yield final(tokens.length);
      });
    }),
  ];

  return { handlers, servers, registry: REGISTRY, normalizeName };
}

module.exports = { createOllamaApi, normalizeName, REGISTRY, PREINSTALLED };
