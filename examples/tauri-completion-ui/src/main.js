// The example frontend: talks to its backend only through @tauri-apps/api, as a real Tauri app
// does. Under `conform mock --browser` the backend is the mock (window.__TAURI_INTERNALS__).
import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';

const $ = (id) => document.getElementById(id);
const state = { messages: [], sessions: [], events: [], streaming: false, channelId: null };

/** Streams one completion: every CompletionEvent arrives, in order, on the Channel. */
async function streamCompletion(prompt) {
  state.messages = [];
  state.streaming = true;
  $('stream-status').textContent = 'streaming…';
  $('output').textContent = '';
  const onEvent = new Channel();
  state.channelId = onEvent.id;
  onEvent.onmessage = (message) => {
    state.messages.push(message);
    $('output').textContent += `${JSON.stringify(message)}\n`;
  };
  try {
    await invoke('generate_completion_stream', {
      model: 'llama3.2:1b',
      messages: [{ role: 'user', content: prompt }],
      host: 'http://localhost:11434',
      apiKey: 'sk-example-not-a-secret',
      onEvent,
    });
    $('stream-status').textContent = `done (${state.messages.length} events)`;
  } catch (err) {
    $('stream-status').textContent = `failed: ${err}`;
    $('stream-status').className = 'error';
  } finally {
    state.streaming = false;
  }
  return state.messages;
}

async function refreshSessions() {
  state.sessions = await invoke('list_sessions');
  const list = $('sessions');
  list.replaceChildren(
    ...state.sessions.map((s) => {
      const li = document.createElement('li');
      li.textContent = `${s.id} · ${s.channelId} · ${s.messageCount} messages`;
      const del = document.createElement('button');
      del.textContent = 'delete';
      del.addEventListener('click', async () => {
        await invoke('delete_session', { sessionId: s.id });
        await refreshSessions();
      });
      li.append(' ', del);
      return li;
    }),
  );
  return state.sessions;
}

async function newSession() {
  const s = await invoke('create_session', { channelId: 'desktop' });
  await refreshSessions();
  return s;
}

$('prompt-form').addEventListener('submit', (e) => {
  e.preventDefault();
  if (!state.streaming) void streamCompletion($('prompt').value);
});
$('new-session').addEventListener('click', () => void newSession());
$('refresh').addEventListener('click', () => void refreshSessions());

// Global events of the session stream (clawdesk): shown as they come.
for (const name of ['stream-start', 'stream-chunk', 'stream-end', 'stream-error']) {
  void listen(name, (event) => state.events.push({ event: event.event, payload: event.payload }));
}

void refreshSessions();
// For tests and the console.
window.completionUi = { state, streamCompletion, refreshSessions, newSession };
