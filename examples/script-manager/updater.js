'use strict';
// Update check and download against the update feed (see update-feed.js). Emits the
// `updates:event` sequence: check -> available | none | error; download -> progress* then
// downloaded | error. Results are `{ ok, error? }` unions: feed failures never reject.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const FETCH_TIMEOUT_MS = 15_000;
const PROGRESS_INTERVAL_MS = 50;

/** -1, 0, 1 comparing two semver strings (pre-releases sort before their release). */
function compareVersions(a, b) {
  const parse = (v) => {
    const [core, pre] = String(v).replace(/^v/, '').split('-', 2);
    return { nums: core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] || 0) - (y.nums[i] || 0);
    if (d) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (!x.pre) return 1;
  if (!y.pre) return -1;
  return x.pre < y.pre ? -1 : 1;
}

class Updater {
  /**
   * @param {object} o
   * @param {string} o.feedUrl
   * @param {string} o.currentVersion
   * @param {string} o.downloadDir
   * @param {() => string} o.channel  current update channel (from settings)
   * @param {(event: object) => void} o.emit  sends one `updates:event`
   * @param {(id: string) => boolean} o.fault
   */
  constructor({ feedUrl, currentVersion, downloadDir, channel, emit, fault }) {
    Object.assign(this, { feedUrl, currentVersion, downloadDir, channel, emit, fault });
    this.available = undefined; // release info from the last successful check, if newer
    this.downloaded = undefined; // { version, path } once a download completed
    this.downloading = undefined;
  }

  async check() {
    const channel = this.channel() || 'stable';
    try {
      const url = `${this.feedUrl}/${encodeURIComponent(channel)}/latest.json`;
      const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`update feed answered HTTP ${res.status} for channel "${channel}"`);
      const release = await res.json();
      if (!release || typeof release.version !== 'string' || !Array.isArray(release.files) || !release.files[0]) {
        throw new Error(`update feed sent an unreadable release for channel "${channel}"`);
      }
      const info = {
        version: release.version,
        releaseDate: release.releaseDate,
        releaseNotes: release.releaseNotes,
        size: release.files[0].size,
      };
      const newer = compareVersions(release.version, this.currentVersion) > 0;
      this.available = newer ? { ...info, file: release.files[0] } : undefined;
      // Bug (fault): the outcome is kept for the download but never announced to the renderer.
      if (this.fault('sm-check-silent')) return { ok: true };
      if (newer) {
        this.emit({ type: 'available', info });
        // Bug (fault): a missing `return`/`else` lets the "none" announcement run as well.
        if (!this.fault('sm-check-double-event')) return { ok: true };
      }
      this.emit({ type: 'none', info: { version: this.currentVersion } });
      return { ok: true };
    } catch (err) {
      const message = `Update check failed: ${err.message}`;
      this.emit({ type: 'error', message });
      // Bug (fault): the failure is thrown, so the renderer gets a rejection, not { ok: false }.
      if (this.fault('sm-check-rejects-on-feed-error')) throw new Error(message);
      return { ok: false, error: message };
    }
  }

  download() {
    if (!this.downloading) {
      this.downloading = this.runDownload().finally(() => {
        this.downloading = undefined;
      });
    }
    return this.downloading;
  }

  /** Release info for a download started without a check: fetched quietly (no event). */
  async latestRelease() {
    if (this.available) return this.available;
    const channel = this.channel() || 'stable';
    const res = await fetch(`${this.feedUrl}/${encodeURIComponent(channel)}/latest.json`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`update feed answered HTTP ${res.status} for channel "${channel}"`);
    const release = await res.json();
    if (!release || typeof release.version !== 'string' || !Array.isArray(release.files) || !release.files[0]) {
      throw new Error(`update feed sent an unreadable release for channel "${channel}"`);
    }
    if (compareVersions(release.version, this.currentVersion) <= 0) return undefined;
    this.available = { version: release.version, releaseDate: release.releaseDate, releaseNotes: release.releaseNotes, size: release.files[0].size, file: release.files[0] };
    return this.available;
  }

  async runDownload() {
    let release;
    try {
      release = await this.latestRelease();
    } catch (err) {
      const message = `Update download failed: ${err.message}`;
      this.emit({ type: 'error', message });
      return { ok: false, error: message };
    }
    if (!release) {
      const message = `No update available: ${this.currentVersion} is the latest version on this channel`;
      this.emit({ type: 'error', message });
      return { ok: false, error: message };
    }
    let trailing;
    try {
      const res = await fetch(release.file.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!res.ok || !res.body) throw new Error(`update feed answered HTTP ${res.status}`);
      const total = Number(res.headers.get('content-length')) || release.file.size || 0;
      const hash = crypto.createHash('sha512');
      const parts = [];
      let transferred = 0;
      const started = Date.now();
      const reader = res.body.getReader();
      const early = this.fault('sm-downloaded-before-progress');
      if (early) {
        // Bug (fault): "downloaded" sent as soon as the response headers arrive.
        this.emit({ type: 'downloaded', info: { version: release.version } });
      }
      // Progress is throttled (one event per PROGRESS_INTERVAL_MS) with a trailing update, so a
      // fast download does not flood the renderer.
      const progress = () => {
        const seconds = Math.max((Date.now() - started) / 1000, 0.001);
        return {
          type: 'progress',
          info: {
            percent: total ? Math.min(100, Math.round((transferred / total) * 1000) / 10) : 0,
            transferred,
            total,
            bytesPerSecond: Math.round(transferred / seconds),
          },
        };
      };
      let lastSent = 0;
      const reportProgress = () => {
        const wait = lastSent + PROGRESS_INTERVAL_MS - Date.now();
        if (wait <= 0) {
          clearTimeout(trailing);
          trailing = undefined;
          lastSent = Date.now();
          this.emit(progress());
        } else if (!trailing) {
          trailing = setTimeout(() => {
            trailing = undefined;
            lastSent = Date.now();
            this.emit(progress());
          }, wait);
        }
      };
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        hash.update(value);
        parts.push(value);
        transferred += value.length;
        reportProgress();
      }
      // The final 100% goes out now, before "downloaded". Bug (fault): the pending trailing
      // update is left to its timer, so it arrives after "downloaded" and after the call settled.
      if (this.fault('sm-progress-after-downloaded')) {
        trailing ??= setTimeout(() => this.emit(progress()), PROGRESS_INTERVAL_MS);
      } else {
        clearTimeout(trailing);
        trailing = undefined;
        this.emit(progress());
      }
      if (hash.digest('base64') !== release.file.sha512) throw new Error('checksum mismatch (sha512)');
      fs.mkdirSync(this.downloadDir, { recursive: true });
      const file = path.join(this.downloadDir, `script-manager-${release.version}.bin`);
      fs.writeFileSync(file, Buffer.concat(parts));
      this.downloaded = { version: release.version, path: file };
      if (!early) {
        this.emit({ type: 'downloaded', info: { version: release.version } });
      }
      return { ok: true };
    } catch (err) {
      clearTimeout(trailing);
      const message = `Update download failed: ${err.message}`;
      this.emit({ type: 'error', message });
      return { ok: false, error: message };
    }
  }
}

module.exports = { Updater, compareVersions };
