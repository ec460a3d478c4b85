'use strict';
// Persistence of scripts, profiles and settings as one JSON document (PersistedData) under
// userData. Writes go to a temp file first and are renamed over the old one, so a crash in the
// middle of a write never leaves a half-written document behind.
const fs = require('node:fs');
const path = require('node:path');

const SCHEMA_VERSION = 1;

const DEFAULT_SETTINGS = Object.freeze({
  theme: 'system',
  notificationsNativeEnabled: true,
  notificationsToastEnabled: true,
  startMinimized: false,
  updateChannel: 'stable',
  crashReportingEnabled: false,
});

function emptyData() {
  return { schemaVersion: SCHEMA_VERSION, scripts: [], profiles: [], settings: { ...DEFAULT_SETTINGS } };
}

class Store {
  constructor(dir) {
    this.dir = dir;
    this.file = path.join(dir, 'script-manager.json');
    this.data = this.load();
  }

  load() {
    let text;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if (err.code === 'ENOENT') return emptyData();
      throw err;
    }
    try {
      const parsed = JSON.parse(text);
      return {
        schemaVersion: SCHEMA_VERSION,
        scripts: Array.isArray(parsed.scripts) ? parsed.scripts : [],
        profiles: Array.isArray(parsed.profiles) ? parsed.profiles : [],
        settings: { ...DEFAULT_SETTINGS, ...(parsed.settings && typeof parsed.settings === 'object' ? parsed.settings : {}) },
      };
    } catch {
      // Keep the unreadable file for the user instead of silently overwriting it.
      const aside = `${this.file}.corrupt-${Date.now()}`;
      fs.renameSync(this.file, aside);
      console.error(`[script-manager] ${this.file} was not valid JSON; moved it to ${aside}`);
      return emptyData();
    }
  }

  save() {
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data, null, 2));
    fs.renameSync(tmp, this.file);
  }

  /** A deep copy, so callers (and IPC) never hold references into the live document. */
  snapshot() {
    return structuredClone(this.data);
  }
}

module.exports = { Store, SCHEMA_VERSION, DEFAULT_SETTINGS, emptyData };
