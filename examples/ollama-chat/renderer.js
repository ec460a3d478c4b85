'use strict';
// The page: models (list, pull, delete), a streamed chat, sessions saved through the bridge.
// Plain DOM code; it only talks to window.ollama / window.utils.
(() => {
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  };
  const api = window.ollama;
  const utils = window.utils;

  /** sessions: [{ id, title, model, messages: [{ role, content }], updatedAt }] */
  let sessions = [];
  let current = null;
  let streaming = null; // { bubble, text }

  function newSession() {
    const s = { id: `s-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`, title: 'New chat', model: null, messages: [], updatedAt: new Date().toISOString() };
    sessions.unshift(s);
    return s;
  }

  function renderSessions() {
    const ul = $('sessions');
    ul.replaceChildren(
      ...sessions.map((s) => {
        const li = el('li', s === current ? 'current' : '', s.title);
        li.addEventListener('click', () => openSession(s));
        return li;
      }),
    );
  }

  function renderTranscript() {
    $('chat-title').textContent = current.title;
    $('transcript').replaceChildren(...current.messages.map((m) => el('div', `msg ${m.role}`, m.content)));
  }

  async function openSession(s) {
    if (streaming) return;
    current = s;
    await api.resetChat(); // main keeps one conversation; a different session starts fresh there
    renderSessions();
    renderTranscript();
  }

  async function persist() {
    current.updatedAt = new Date().toISOString();
    await api.save(sessions);
    renderSessions();
  }

  async function refreshModels() {
    const select = $('models');
    const keep = select.value;
    try {
      const models = await api.listModels();
      select.replaceChildren(...models.map((m) => {
        const o = el('option', '', `${m.name}  ·  ${(m.size / 1e9).toFixed(1)} GB`);
        o.value = m.name;
        return o;
      }));
      const names = models.map((m) => m.name);
      select.value = names.includes(keep) ? keep : names[0] ?? '';
    } catch (err) {
      $('pull-status').textContent = `Could not list models: ${err.message}`;
    }
  }

  async function checkStatus() {
    const ok = await api.isAvailable().catch(() => false);
    const pill = $('status');
    pill.textContent = ok ? 'Ollama running' : 'Ollama offline';
    pill.className = `pill ${ok ? 'ok' : 'down'}`;
  }

  function setBusy(busy) {
    $('send').disabled = busy;
    $('stop').disabled = !busy;
  }

  function finishStream(note, cls) {
    if (!streaming) return;
    const { text } = streaming;
    if (text) current.messages.push({ role: 'assistant', content: text });
    if (note) current.messages.push({ role: cls, content: note });
    streaming = null;
    setBusy(false);
    renderTranscript();
    persist();
  }

  api.onResponse((token) => {
    if (!streaming) return;
    streaming.text += String(token);
    streaming.bubble.textContent = streaming.text;
    $('transcript').scrollTop = $('transcript').scrollHeight;
  });
  api.onDone((summary) => {
    $('chat-status').textContent = summary && summary.evalCount ? `${summary.evalCount} tokens in ${summary.totalDurationMs} ms` : 'done';
    finishStream();
  });
  api.onError((message) => {
    $('chat-status').textContent = 'failed';
    finishStream(`Error: ${message}`, 'error');
  });
  api.onAbort(() => {
    $('chat-status').textContent = 'stopped';
    finishStream('(stopped)', 'note');
  });

  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const prompt = $('prompt').value.trim();
    const model = $('models').value;
    if (!prompt || !model || streaming) return;
    if (!current.messages.some((m) => m.role === 'user')) {
      current.model = model;
      api.autoNameSession(model, prompt).then((title) => {
        current.title = String(title);
        renderTranscript();
        persist();
      });
    }
    current.messages.push({ role: 'user', content: prompt });
    $('prompt').value = '';
    renderTranscript();
    const bubble = el('div', 'msg assistant', '…');
    $('transcript').append(bubble);
    streaming = { bubble, text: '' };
    setBusy(true);
    $('chat-status').textContent = `asking ${model}…`;
    const tools = await api.getToolSupportingModels().catch(() => []);
    api.streamPrompt(model, prompt, tools.includes(model) ? ['get_current_time'] : []);
  });
  $('prompt').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.ctrlKey) $('composer').requestSubmit();
  });
  $('stop').addEventListener('click', () => api.stop());

  $('new-chat').addEventListener('click', async () => {
    if (streaming) return;
    await openSession(newSession());
    await persist();
  });

  $('refresh').addEventListener('click', () => {
    refreshModels();
    checkStatus();
  });

  $('delete').addEventListener('click', async () => {
    const name = $('models').value;
    if (!name) return;
    try {
      await api.deleteModel(name);
      $('pull-status').textContent = `Deleted ${name}`;
    } catch (err) {
      $('pull-status').textContent = err.message;
    }
    refreshModels();
  });

  api.onPullProgress((p) => {
    const bar = $('pull-bar');
    bar.hidden = false;
    if (typeof p.percent === 'number') bar.value = p.percent;
    $('pull-status').textContent = `${p.model}: ${p.status}${typeof p.percent === 'number' ? ` ${p.percent}%` : ''}`;
  });
  $('pull').addEventListener('click', async () => {
    const name = $('pull-name').value.trim();
    if (!name) return;
    $('pull').disabled = true;
    try {
      await api.pullModel(name);
      $('pull-status').textContent = `Pulled ${name}`;
      $('pull-name').value = '';
      await refreshModels();
      await api.fetchToolSupportingModels().catch(() => []);
    } catch (err) {
      $('pull-status').textContent = err.message.replace(/^Error invoking remote method '[^']+': (Error: )?/, '');
    } finally {
      $('pull').disabled = false;
      $('pull-bar').hidden = true;
    }
  });

  $('save-transcript').addEventListener('click', async () => {
    const lines = current.messages.map((m) => `${m.role}: ${m.content}`).join('\n\n');
    const file = `transcripts/${current.id}.txt`;
    try {
      const where = await utils.saveFile(file, lines);
      $('chat-status').textContent = `saved to ${where}`;
    } catch (err) {
      $('chat-status').textContent = err.message;
    }
  });

  async function start() {
    checkStatus();
    await refreshModels();
    const loaded = await api.load().catch(() => []);
    sessions = Array.isArray(loaded) ? loaded.filter((s) => s && Array.isArray(s.messages)) : [];
    current = sessions[0] ?? newSession();
    renderSessions();
    renderTranscript();
    const [dir, data] = await Promise.all([api.getPath(), utils.getPath()]);
    $('paths').textContent = `Sessions: ${dir} · Data: ${data}`;
    if (await utils.isFirstLaunch()) {
      current.messages.push({ role: 'note', content: 'Welcome! Pick a model on the left and ask something.' });
      renderTranscript();
    }
    api.fetchToolSupportingModels().catch(() => []);
  }
  start();
})();
