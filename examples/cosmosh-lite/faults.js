'use strict';
// The switchable faults of this app (catalog: examples/faults.json). CONFORM_FAULTS=<id>[,<id>...]
// turns them on; ids of other apps are ignored, unknown ids of this app are reported on stderr.
const FAULT_IDS = [
  'cl-version-info-extra-field',
  'cl-version-info-missing-commit',
  'cl-update-server-throws',
  'cl-set-locale-envelope',
  'cl-show-in-folder-throws-object',
  'cl-menu-action-object',
  'cl-update-server-args-object',
  'cl-list-folders-unregistered',
  'cl-raw-request-channel',
  'cl-open-external-renamed',
  'cl-sandbox-off',
  'cl-downloads-path-object',
  'cl-test-ping-hang',
  'cl-settings-get-crash',
  'cl-open-url-includes-http',
  'cl-window-open-allowed',
];

function activeFaults(env = process.env) {
  const all = String(env.CONFORM_FAULTS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const mine = new Set(all.filter((id) => id.startsWith('cl-')));
  for (const id of mine) {
    if (!FAULT_IDS.includes(id)) process.stderr.write(`cosmosh-lite: unknown fault id ${id} (known: ${FAULT_IDS.join(', ')})\n`);
  }
  return mine;
}

module.exports = { FAULT_IDS, activeFaults };
