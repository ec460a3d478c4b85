'use strict';
// Tagged codec for IPC values: carries what structured clone carries (Date, Map, Set, BigInt,
// typed arrays, ArrayBuffer, RegExp, Error, boxed primitives, undefined, NaN, +-Infinity, -0,
// shared references and cycles) through JSON, and refuses what structured clone refuses with
// Electron's own message. `makeCodec` is self-contained: the renderer bundle embeds its source.
function makeCodec() {
  const NOT_CLONEABLE = 'An object could not be cloned.';
  const toTag = (v) => Object.prototype.toString.call(v).slice(8, -1);
  const TYPED = {
    Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView,
  };

  function bytesToBase64(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }
  function base64ToBytes(b64) {
    const s = atob(b64);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }

  /** value -> JSON-safe tree. Every object gets an index in pre-order so refs can point back. */
  function encode(root) {
    const seen = new Map();
    let next = 0;
    function enc(v) {
      switch (typeof v) {
        case 'string': case 'boolean': return v;
        case 'number':
          if (Number.isFinite(v) && !Object.is(v, -0)) return v;
          return { $: 'n', v: Object.is(v, -0) ? '-0' : String(v) };
        case 'undefined': return { $: 'u' };
        case 'bigint': return { $: 'b', v: v.toString() };
        case 'object': break;
        default: throw new Error(NOT_CLONEABLE); // function, symbol
      }
      if (v === null) return null;
      const ref = seen.get(v);
      if (ref !== undefined) return { $: 'r', i: ref };
      seen.set(v, next++);
      if (Array.isArray(v)) {
        const out = new Array(v.length);
        // Holes stay holes (structured clone keeps sparse arrays sparse).
        for (let i = 0; i < v.length; i++) out[i] = i in v ? enc(v[i]) : { $: 'h' };
        return out;
      }
      const tag = toTag(v);
      switch (tag) {
        case 'Object': {
          const o = {};
          for (const k of Object.keys(v)) o[k] = enc(v[k]);
          return Object.prototype.hasOwnProperty.call(o, '$') ? { $: 'o', v: o } : o;
        }
        case 'Date': { const t = v.getTime(); return { $: 'd', v: Number.isNaN(t) ? null : t }; }
        case 'RegExp': return { $: 'x', s: v.source, f: v.flags };
        case 'Map': {
          const out = { $: 'm', v: [] };
          for (const [k, val] of v) out.v.push([enc(k), enc(val)]);
          return out;
        }
        case 'Set': {
          const out = { $: 's', v: [] };
          for (const val of v) out.v.push(enc(val));
          return out;
        }
        case 'ArrayBuffer': return { $: 'ab', v: bytesToBase64(new Uint8Array(v)) };
        case 'Error': {
          const known = ['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'];
          return { $: 'e', n: known.includes(v.name) ? v.name : 'Error', m: String(v.message), s: typeof v.stack === 'string' ? v.stack : undefined };
        }
        case 'Boolean': case 'Number': case 'String': case 'BigInt':
          return { $: 'bo', t: tag, v: enc(v.valueOf()) };
        default:
          if (ArrayBuffer.isView(v) && TYPED[tag]) {
            return { $: 't', k: tag, v: bytesToBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
          }
          throw new Error(NOT_CLONEABLE); // Promise, WeakMap, DOM nodes, ...
      }
    }
    return enc(root);
  }

  /** JSON-safe tree -> fresh values (never the sender's objects). */
  function decode(root) {
    const refs = [];
    function dec(v) {
      if (v === null || typeof v !== 'object') return v;
      if (Array.isArray(v)) {
        const out = new Array(v.length);
        refs.push(out);
        for (let i = 0; i < v.length; i++) {
          const item = v[i];
          if (item !== null && typeof item === 'object' && item.$ === 'h' && !Array.isArray(item)) continue;
          out[i] = dec(item);
        }
        return out;
      }
      if (!Object.prototype.hasOwnProperty.call(v, '$')) {
        const o = {};
        refs.push(o);
        for (const k of Object.keys(v)) o[k] = dec(v[k]);
        return o;
      }
      switch (v.$) {
        case 'u': return undefined;
        case 'n': return v.v === '-0' ? -0 : Number(v.v);
        case 'b': return BigInt(v.v);
        case 'r': return refs[v.i];
        case 'o': {
          const o = {};
          refs.push(o);
          for (const k of Object.keys(v.v)) o[k] = dec(v.v[k]);
          return o;
        }
        case 'd': { const d = new Date(v.v === null ? NaN : v.v); refs.push(d); return d; }
        case 'x': { const r = new RegExp(v.s, v.f); refs.push(r); return r; }
        case 'm': {
          const m = new Map();
          refs.push(m);
          for (const [k, val] of v.v) m.set(dec(k), dec(val));
          return m;
        }
        case 's': {
          const s = new Set();
          refs.push(s);
          for (const val of v.v) s.add(dec(val));
          return s;
        }
        case 'ab': { const b = base64ToBytes(v.v).buffer; refs.push(b); return b; }
        case 'e': {
          const Ctor = { EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError }[v.n] || Error;
          const e = new Ctor(v.m);
          if (v.s !== undefined) e.stack = v.s;
          refs.push(e);
          return e;
        }
        case 'bo': {
          const box = Object(dec(v.v));
          refs.push(box);
          return box;
        }
        case 't': {
          const bytes = base64ToBytes(v.v);
          const Ctor = TYPED[v.k];
          const view = v.k === 'DataView' ? new DataView(bytes.buffer)
            : new Ctor(bytes.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
          refs.push(view);
          return view;
        }
        default: throw new Error(`conform stand-in: unknown codec tag ${JSON.stringify(v.$)}`);
      }
    }
    return dec(root);
  }

  return { encode, decode, NOT_CLONEABLE };
}

module.exports = { makeCodec, ...makeCodec() };
