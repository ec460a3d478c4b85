'use strict';
// The switchable faults of this app (catalog: examples/faults.json). CONFORM_FAULTS=<id>[,<id>...]
// turns them on; ids of other apps are ignored, unknown ids of this app are reported on stderr.
const FAULT_IDS = [
  'oc-chat-done-twice',
  'oc-chat-done-missing',
  'oc-chat-error-swallowed',
  'oc-chat-done-overtakes-token',
  'oc-stop-ignored',
  'oc-delete-args-swapped',
  'oc-stream-args-object',
  'oc-fetch-tool-models-unregistered',
  'oc-debug-state-channel',
  'oc-available-renamed',
  'oc-context-isolation-off',
  'oc-reset-hang',
  'oc-sessions-load-crash',
  'oc-getpath-returns-object',
  'oc-tool-models-uncached',
  'oc-savefile-startswith',
  'oc-navigation-unguarded',
];

function parseFaults(value) {
  return new Set(
    String(value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

function activeFaults(env = process.env) {
  const all = parseFaults(env.CONFORM_FAULTS);
  const mine = new Set([...all].filter((id) => id.startsWith('oc-')));
  for (const id of mine) {
    if (!FAULT_IDS.includes(id)) process.stderr.write(`ollama-chat: unknown fault id ${id} (known: ${FAULT_IDS.join(', ')})\n`);
  }
  return mine;
}

module.exports = { FAULT_IDS, activeFaults };
