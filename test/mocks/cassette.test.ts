import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { argsMatch, CassetteError, createCassetteWriter, parseCassette, readCassette } from '../../mocks/cassette.ts';
import { REDACTED } from '../../specs/redact.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conform-cassette-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const header = { app: 'script-manager', pack: 'script-manager', runtime: 'standin' as const, startedAt: '2026-11-21T10:00:00.000Z' };

describe('cassette writer and reader', () => {
  it('round-trips invoke, send and event entries in order with sequence numbers', () => {
    const file = join(dir, 'c.jsonl');
    const w = createCassetteWriter(file, header);
    w.append({ t: 1.5, type: 'invoke', channel: 'scripts:list', args: [], result: [{ id: 'a' }], durationMs: 0.4 });
    w.append({ t: 2, type: 'send', channel: 'app:close-window', args: [] });
    w.append({ t: 3.25, type: 'event', channel: 'process:log:event', args: [{ scriptId: 'a', text: 'tick\n' }] });
    const c = readCassette(file);
    expect(c.header).toMatchObject({ conform: 'cassette', version: 1, app: 'script-manager' });
    expect(c.entries.map((e) => [e.seq, e.type, e.channel])).toEqual([
      [1, 'invoke', 'scripts:list'],
      [2, 'send', 'app:close-window'],
      [3, 'event', 'process:log:event'],
    ]);
    expect(c.entries[2].args).toEqual([{ scriptId: 'a', text: 'tick\n' }]);
  });

  it('keeps every complete line on disk as it is written (nothing lost if the app dies)', () => {
    const file = join(dir, 'c.jsonl');
    const w = createCassetteWriter(file, header);
    w.append({ t: 1, type: 'send', channel: 'x', args: [1] });
    // Read while the writer is still "open": the first entry is already there.
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('stores non-JSON values as JSON (BigInt as string, Map as entries, undefined dropped)', () => {
    const file = join(dir, 'c.jsonl');
    const w = createCassetteWriter(file, header);
    w.append({ t: 1, type: 'event', channel: 'e', args: [{ n: 10n, m: new Map([['k', 1]]), u: undefined }] });
    expect(readCassette(file).entries[0].args).toEqual([{ n: '10', m: [['k', 1]] }]);
  });

  it('names the line of a malformed entry', () => {
    const file = join(dir, 'c.jsonl');
    createCassetteWriter(file, header).append({ t: 1, type: 'send', channel: 'x', args: [] });
    appendFileSync(file, '{"seq":2,"t":2,"type":"bogus","channel":"x","args":[]}\n');
    expect(() => readCassette(file)).toThrow(CassetteError);
    expect(() => readCassette(file)).toThrow(/c\.jsonl:3: bad entry: \/type must be equal to one of the allowed values/);
  });

  it('reports invalid JSON with its line number', () => {
    const text = `${JSON.stringify({ conform: 'cassette', version: 1, ...header })}\n{not json}\n{"seq":2}\n`;
    expect(() => parseCassette(text, 'x.jsonl')).toThrow(/^x\.jsonl:2: not valid JSON/);
  });

  it('explains a truncated last line and can drop it on request, keeping what was recorded', () => {
    const file = join(dir, 'c.jsonl');
    const w = createCassetteWriter(file, header);
    w.append({ t: 1, type: 'send', channel: 'a', args: [] });
    w.append({ t: 2, type: 'send', channel: 'b', args: [] });
    appendFileSync(file, '{"seq":3,"t":3,"type":"se');
    expect(() => readCassette(file)).toThrow(/c\.jsonl:4: the last line is truncated .* the 3 lines before it are intact/);
    const c = readCassette(file, { tolerateTruncatedTail: true });
    expect(c.entries.map((e) => e.channel)).toEqual(['a', 'b']);
    expect(c.truncatedLine).toBe(4);
  });

  it('rejects a missing or foreign header, empty files, and backwards timestamps', () => {
    expect(() => parseCassette('', 'e.jsonl')).toThrow(/e\.jsonl:1: the cassette is empty/);
    expect(() => parseCassette('{"hello":1}\n', 'h.jsonl')).toThrow(/h\.jsonl:1: bad header/);
    const hdr = JSON.stringify({ conform: 'cassette', version: 1, ...header });
    const back = `${hdr}\n{"seq":1,"t":5,"type":"send","channel":"a","args":[]}\n{"seq":2,"t":4,"type":"send","channel":"a","args":[]}\n`;
    expect(() => parseCassette(back, 'b.jsonl')).toThrow(/b\.jsonl:3: timestamps go backwards/);
    const future = JSON.stringify({ conform: 'cassette', version: 99, ...header });
    expect(() => parseCassette(`${future}\n`, 'f.jsonl')).toThrow(/version 99 is newer/);
  });

  it('requires durationMs on invoke entries', () => {
    const hdr = JSON.stringify({ conform: 'cassette', version: 1, ...header });
    expect(() => parseCassette(`${hdr}\n{"seq":1,"t":1,"type":"invoke","channel":"a","args":[]}\n`, 'd.jsonl')).toThrow(/d\.jsonl:2: bad entry: entry must have required property 'durationMs'/);
  });

  it('gives a clear error for a missing file', () => {
    writeFileSync(join(dir, 'present'), '');
    expect(() => readCassette(join(dir, 'absent.jsonl'))).toThrow(/absent\.jsonl:0: cannot read the cassette: ENOENT/);
  });
});

describe('argsMatch', () => {
  it('matches structurally and treats redacted recorded values as wildcards', () => {
    expect(argsMatch([{ email: 'a@b.c', password: REDACTED }], [{ email: 'a@b.c', password: 'hunter2' }])).toBe(true);
    expect(argsMatch([{ email: 'a@b.c', password: REDACTED }], [{ email: 'x@b.c', password: 'hunter2' }])).toBe(false);
    expect(argsMatch([1, 2], [1, 2, 3])).toBe(false);
    expect(argsMatch([{ a: 1 }], [[1]])).toBe(false);
    expect(argsMatch([null], [null])).toBe(true);
  });
});
