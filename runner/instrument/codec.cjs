'use strict';
// Value codec shared by the main-process hook, the renderer harness and the runner.
// IPC values are richer than JSON (undefined, Date, Map, BigInt, typed arrays, cycles) and can be
// huge or secret; observations must cross app.evaluate / page.evaluate as plain JSON. So values
// are encoded into JSON with `{ "$conform": <tag> }` markers, truncated past a size budget and
// redacted by property name. `encodeValue` is self-contained (no closure over module scope)
// because the runner injects its source text into the renderer page.

/**
 * @param {unknown} value
 * @param {{ maxDepth?: number, maxString?: number, maxItems?: number, maxNodes?: number, redact?: boolean, secretName?: RegExp }} [opts]
 */
const CODEC_SECRET_NAME = require('../../specs/secret-names.cjs').SECRET_NAME;

function encodeValue(value, opts) {
  const o = opts || {};
  const maxDepth = o.maxDepth || 12;
  const maxString = o.maxString || 4096;
  const maxItems = o.maxItems || 500;
  let nodesLeft = o.maxNodes || 20000;
  const redact = o.redact !== false;
  // Names that hold credentials (the schema keyword `x-secret` marks them in packs; at record
  // time only the name is known): specs/secret-names.cjs, loaded at module scope where Node runs
  // this file. In a page (source injected, redact: false) that binding does not exist.
  const secretName = o.secretName || (typeof CODEC_SECRET_NAME !== 'undefined' ? CODEC_SECRET_NAME : null);
  const seen = new Set();
  const tag = (t, extra) => Object.assign({ $conform: t }, extra || {});
  function enc(v, depth) {
    if (--nodesLeft < 0) return tag('truncated', { reason: 'size' });
    if (v === null) return null;
    const t = typeof v;
    if (t === 'undefined') return tag('undefined');
    if (t === 'boolean') return v;
    if (t === 'string') return v.length > maxString ? tag('truncated', { reason: 'string', length: v.length, head: v.slice(0, 256) }) : v;
    if (t === 'number') {
      if (Number.isNaN(v)) return tag('number', { v: 'NaN' });
      if (v === Infinity) return tag('number', { v: 'Infinity' });
      if (v === -Infinity) return tag('number', { v: '-Infinity' });
      if (v === 0 && 1 / v < 0) return tag('number', { v: '-0' });
      return v;
    }
    if (t === 'bigint') return tag('bigint', { v: String(v) });
    if (t === 'symbol') return tag('symbol', { v: String(v) });
    if (t === 'function') return tag('function', { name: v.name || '' });
    if (seen.has(v)) return tag('cycle');
    if (depth >= maxDepth) return tag('truncated', { reason: 'depth' });
    seen.add(v);
    try {
      if (v instanceof Date) return tag('date', { v: isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString() });
      if (v instanceof RegExp) return tag('regexp', { source: v.source, flags: v.flags });
      if (v instanceof Error) return tag('error', { name: v.name, message: String(v.message), string: String(v) });
      if (typeof ArrayBuffer !== 'undefined' && (ArrayBuffer.isView(v) || v instanceof ArrayBuffer)) {
        const bytes = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
        const type = v.constructor && v.constructor.name ? v.constructor.name : 'ArrayBuffer';
        const n = Math.min(bytes.length, maxItems);
        const head = [];
        for (let i = 0; i < n; i++) head.push(bytes[i]);
        return tag('bytes', { type, length: bytes.length, head, truncated: bytes.length > n });
      }
      if (v instanceof Map) {
        const entries = [];
        let i = 0;
        for (const [k, val] of v) {
          if (i++ >= maxItems) { entries.push([tag('truncated', { reason: 'items', length: v.size }), null]); break; }
          entries.push([enc(k, depth + 1), enc(val, depth + 1)]);
        }
        return tag('map', { v: entries });
      }
      if (v instanceof Set) {
        const items = [];
        let i = 0;
        for (const val of v) {
          if (i++ >= maxItems) { items.push(tag('truncated', { reason: 'items', length: v.size })); break; }
          items.push(enc(val, depth + 1));
        }
        return tag('set', { v: items });
      }
      if (Array.isArray(v)) {
        const out = [];
        const n = Math.min(v.length, maxItems);
        for (let i = 0; i < n; i++) out.push(enc(v[i], depth + 1));
        if (v.length > n) out.push(tag('truncated', { reason: 'items', length: v.length }));
        return out;
      }
      const out = {};
      let i = 0;
      for (const k of Object.keys(v)) {
        if (i++ >= maxItems) { out['$conform:truncated'] = tag('truncated', { reason: 'keys' }); break; }
        if (redact && secretName && secretName.test(k) && v[k] !== undefined && v[k] !== null && v[k] !== '' && typeof v[k] !== 'boolean') {
          out[k] = tag('redacted');
        } else {
          let val;
          try { val = v[k]; } catch (e) { val = tag('unreadable'); }
          out[k] = enc(val, depth + 1);
        }
      }
      return out;
    } finally {
      seen.delete(v);
    }
  }
  return enc(value, 0);
}

/** Inverse of encodeValue where possible (redacted / truncated markers stay markers). */
function decodeValue(value) {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = [];
    for (const item of value) out.push(decodeValue(item));
    return out;
  }
  const t = value.$conform;
  if (typeof t === 'string') {
    switch (t) {
      case 'undefined': return undefined;
      case 'number': return Number(value.v);
      case 'bigint': return BigInt(value.v);
      case 'date': return new Date(value.v);
      case 'regexp': return new RegExp(value.source, value.flags);
      case 'map': return new Map(value.v.map(([k, v]) => [decodeValue(k), decodeValue(v)]));
      case 'set': return new Set(value.v.map(decodeValue));
      case 'error': { const e = new Error(value.message); e.name = value.name; return e; }
      case 'bytes': if (!value.truncated && value.type === 'Uint8Array') return Uint8Array.from(value.head); return value;
      default: return value;
    }
  }
  const out = {};
  for (const k of Object.keys(value)) out[k] = decodeValue(value[k]);
  return out;
}

/** True for markers that stand for data the recorder did not keep (compare as wildcards). */
function isOpaqueMarker(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) &&
    (value.$conform === 'truncated' || value.$conform === 'redacted' || value.$conform === 'unreadable');
}

module.exports = { encodeValue, decodeValue, isOpaqueMarker };
