'use strict';
// Switchable faults of this app (catalog: examples/faults.json). CONFORM_FAULTS=<id>[,<id>...]
// turns them on; ids of other apps are ignored, unknown ids of this app are reported on stderr.
const FAULT_IDS = [
  'sm-create-drops-id',
  'sm-list-returns-map',
  'sm-snapshot-leaks-internals',
  'sm-import-args-spread',
  'sm-profiles-delete-unregistered',
  'sm-debug-dump-channel',
  'sm-log-event-raw-buffer',
  'sm-downloaded-before-progress',
  'sm-check-silent',
  'sm-check-double-event',
  'sm-progress-after-downloaded',
  'sm-check-rejects-on-feed-error',
  'sm-start-failure-as-union',
  'sm-error-thrown-as-object',
  'sm-upsert-crashes-main',
  'sm-readlog-crash',
  'sm-settings-get-hangs',
  'sm-list-slow',
  'sm-bridge-snapshots-renamed',
  'sm-stop-does-not-kill',
  'sm-window-sandbox-off',
  'sm-status-wrong-scriptid',
  'sm-killtree-leaves-grandchild',
  'sm-generic-invoke',
];

function activeFaults(env = process.env) {
  const mine = new Set(
    String(env.CONFORM_FAULTS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((id) => id.startsWith('sm-')),
  );
  for (const id of mine) {
    if (!FAULT_IDS.includes(id)) process.stderr.write(`script-manager: unknown fault id ${id} (known: ${FAULT_IDS.join(', ')})\n`);
  }
  return mine;
}

module.exports = { FAULT_IDS, activeFaults };
