// A corpus of broken contracts: each must be a ContractError (the CLI's exit 2) naming file:line:col
// where a line exists, with a message a person understands; never an internal error (exit 3),
// never a stack overflow, never an echo of binary garbage. One in-process load per case (fast).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPackSync } from '../../specs/loader.ts';
import { ContractError } from '../../specs/model.ts';

const HEAD = 'conform: 1\napp: x\ntransport: electron\nbridge:\n  roots: [window.api]\n';
/** A whole contract.yaml: the header plus `channels` (YAML text indented by the caller). */
const contract = (channels: string, extra = '') => `${HEAD}${extra}channels:\n${channels}`;
const invoke = (name: string, body = '    returns: { type: string }\n') => `  ${name}:\n    kind: invoke\n    bridge: window.api.${name}\n${body}`;
const OK = invoke('a');

interface Case {
  name: string;
  /** Files of the pack under test (contract.yaml at least); other packs go in `others`. */
  files: Record<string, string | Buffer>;
  others?: Record<string, Record<string, string>>;
  /** The message must match. */
  message: RegExp;
  /** Expected line of the location; null when no line exists (then no location is required). */
  line: number | null;
}

const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`);

const garbage = Buffer.alloc(6_000);
for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;

const CASES: Case[] = [
  // YAML syntax and encoding
  { name: 'unclosed flow sequence', files: { 'contract.yaml': `${HEAD}channels:\n  a: [\n` }, message: /malformed YAML/, line: 8 },
  { name: 'tab indentation', files: { 'contract.yaml': contract(`  a:\n\tkind: invoke\n`) }, message: /malformed YAML|tab/i, line: 8 },
  { name: 'duplicate channel', files: { 'contract.yaml': contract(OK + OK) }, message: /duplicate channel name "a"/, line: 11 },
  { name: 'duplicate key in channel', files: { 'contract.yaml': contract(invoke('a', '    returns: { type: string }\n    returns: void\n')) }, message: /duplicate key "returns"/, line: 11 },
  { name: 'undefined alias', files: { 'contract.yaml': contract(invoke('a', '    returns: *nothing\n')) }, message: /alias|anchor/i, line: 10 },
  { name: 'merge of an undefined alias', files: { 'contract.yaml': contract(`  a:\n    <<: *undefined\n    kind: invoke\n`) }, message: /alias|anchor/i, line: 8 },
  { name: 'alias bomb (billion laughs)', files: { 'contract.yaml': `${bomb.join('\n')}\n${HEAD}channels:\n${OK}` }, message: /alias/i, line: null },
  { name: 'invalid UTF-8', files: { 'contract.yaml': Buffer.concat([Buffer.from(`${HEAD}description: "caf`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(`"\nchannels:\n${OK}`)]) }, message: /UTF-8/, line: 6 },
  { name: 'UTF-16 file', files: { 'contract.yaml': Buffer.from(`\ufeff${contract(OK)}`, 'utf16le') }, message: /UTF-8|UTF-16|encoding/, line: null },
  { name: 'binary garbage', files: { 'contract.yaml': garbage }, message: /binary|UTF-8|not a text/i, line: null },
  { name: 'NUL bytes in text', files: { 'contract.yaml': `${HEAD}description: "a\u0000b"\nchannels:\n${OK}` }, message: /NUL|control|binary|malformed/i, line: 6 },
  { name: 'empty file', files: { 'contract.yaml': '' }, message: /contract|object|empty/i, line: null },
  { name: 'top level is a list', files: { 'contract.yaml': '- a\n- b\n' }, message: /object|mapping/i, line: 1 },
  { name: 'two YAML documents', files: { 'contract.yaml': `${contract(OK)}---\nfoo: 1\n` }, message: /document|malformed/i, line: 11 },
  // header
  { name: 'conform version 2', files: { 'contract.yaml': contract(OK).replace('conform: 1', 'conform: 2') }, message: /conform/, line: 1 },
  { name: 'conform: 1e400', files: { 'contract.yaml': contract(OK).replace('conform: 1', 'conform: 1e400') }, message: /1e400|infinit|too large/i, line: 1 },
  { name: 'missing app', files: { 'contract.yaml': contract(OK).replace('app: x\n', '') }, message: /app/, line: 1 },
  { name: 'unknown transport', files: { 'contract.yaml': contract(OK).replace('electron', 'qt') }, message: /transport/, line: 3 },
  { name: 'unknown top-level key', files: { 'contract.yaml': contract(OK, 'chanels: {}\n') }, message: /chanels/, line: 6 },
  { name: 'roots not a list', files: { 'contract.yaml': contract(OK).replace('[window.api]', 'window.api') }, message: /roots/, line: 5 },
  { name: 'no channels key', files: { 'contract.yaml': HEAD }, message: /channels/, line: 1 },
  { name: 'no contract.yaml', files: { 'types.yaml': '$defs: {}\n' }, message: /needs a contract\.yaml/, line: null },
  // channels
  { name: 'unknown kind', files: { 'contract.yaml': contract(`  a:\n    kind: invok\n    bridge: window.api.a\n`) }, message: /kind/, line: 8 },
  { name: 'bridge outside roots', files: { 'contract.yaml': contract(`  a:\n    kind: invoke\n    bridge: window.other.a\n`) }, message: /outside the declared roots/, line: 9 },
  { name: 'params not a list', files: { 'contract.yaml': contract(invoke('a', '    params: { x: 1 }\n')) }, message: /params/, line: 10 },
  { name: 'param without schema', files: { 'contract.yaml': contract(invoke('a', '    params:\n      - name: p\n')) }, message: /schema/, line: 11 },
  { name: 'unknown channel key', files: { 'contract.yaml': contract(invoke('a', '    retruns: void\n')) }, message: /retruns/, line: 10 },
  { name: 'tauri kind on electron', files: { 'contract.yaml': contract(`  a:\n    kind: command\n    bridge: window.api.a\n`) }, message: /kind|command/, line: 8 },
  // schemas
  { name: '$id in a pack schema', files: { 'contract.yaml': contract(invoke('a', '    returns: { $id: "http://x/y", type: string }\n')) }, message: /\$id/, line: 10 },
  { name: '$id in a schema file', files: { 'contract.yaml': contract(invoke('a', '    returns: { $ref: "types.yaml#/$defs/T" }\n')), 'types.yaml': '$defs:\n  T:\n    $id: urn:x\n    type: string\n' }, message: /\$id/, line: 3 },
  { name: 'circular $ref', files: { 'contract.yaml': contract(invoke('a', '    returns: { $ref: "#/$defs/A" }\n'), '$defs:\n  A: { $ref: "#/$defs/B" }\n  B: { $ref: "#/$defs/A" }\n') }, message: /circular|cycle/i, line: 7 },
  { name: 'self $ref', files: { 'contract.yaml': contract(invoke('a', '    returns: { $ref: "#/$defs/A" }\n'), '$defs:\n  A: { $ref: "#/$defs/A" }\n') }, message: /circular|cycle/i, line: 7 },
  { name: 'dangling $ref', files: { 'contract.yaml': contract(invoke('a', '    returns: { $ref: "#/$defs/Nope" }\n')) }, message: /dangling \$ref/, line: 10 },
  { name: 'ref to missing file', files: { 'contract.yaml': contract(invoke('a', '    returns: { $ref: "nope.yaml#/$defs/T" }\n')) }, message: /\$ref/, line: 10 },
  { name: 'invalid schema type', files: { 'contract.yaml': contract(invoke('a', '    returns: { type: strin }\n')) }, message: /type|schema/, line: 10 },
  { name: 'bad regex pattern', files: { 'contract.yaml': contract(invoke('a', '    returns: { type: string, pattern: "(" }\n')) }, message: /pattern|regular/i, line: 10 },
  { name: 'minimum 1e400', files: { 'contract.yaml': contract(invoke('a', '    returns: { type: number, maximum: 1e400 }\n')) }, message: /1e400|infinit|too large/i, line: 10 },
  { name: 'schema file with extra key', files: { 'contract.yaml': contract(OK), 'types.yaml': '$defs: {}\nchannels: {}\n' }, message: /channels/, line: 2 },
  { name: 'schema file without $defs', files: { 'contract.yaml': contract(OK), 'types.yaml': 'description: x\n' }, message: /\$defs/, line: 1 },
  // streams
  { name: 'stream with unknown start', files: { 'contract.yaml': `${contract(OK)}streams:\n  s:\n    start: nope\n    events: [a]\n` }, message: /nope/, line: 13 },
  { name: 'bad grammar', files: { 'contract.yaml': `${contract(OK + `  e:\n    kind: event\n    bridge: window.api.e\n    payload: { type: string }\n`)}streams:\n  s:\n    start: a\n    events: [e]\n    grammar: "e* ("\n` }, message: /grammar/, line: 19 },
  // includes
  { name: 'include of an unknown pack', files: { 'contract.yaml': contract(OK, 'include:\n  - pack: nope\n    channels: "*"\n') }, message: /no pack "nope"/, line: 7 },
  { name: 'include cycle', files: { 'contract.yaml': contract(OK, 'include:\n  - pack: other\n    channels: "*"\n') },
    others: { other: { 'contract.yaml': contract(invoke('b'), 'include:\n  - pack: case\n    channels: "*"\n') } }, message: /include cycle/, line: 7 },
  { name: 'include of an unknown channel', files: { 'contract.yaml': contract(OK, 'include:\n  - pack: other\n    channels: [zz]\n') },
    others: { other: { 'contract.yaml': contract(invoke('b')) } }, message: /zz/, line: 8 },
  { name: 'include with broken other pack', files: { 'contract.yaml': contract(OK, 'include:\n  - pack: other\n    channels: "*"\n') },
    others: { other: { 'contract.yaml': `${HEAD}channels: [\n` } }, message: /other\/contract\.yaml:\d+:\d+: malformed YAML/, line: 7 },
];

const root = mkdtempSync(join(tmpdir(), 'conform-broken-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writePack(packsDir: string, name: string, files: Record<string, string | Buffer>): string {
  const dir = join(packsDir, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

describe('broken contracts: exit 2 with a location, never an internal error', () => {
  it('has at least 40 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(40));
  it('the base contract of the corpus is valid (so each case breaks one thing)', () => {
    const packsDir = join(root, 'valid');
    expect(loadPackSync(writePack(packsDir, 'case', { 'contract.yaml': contract(OK) }), { packsDir }).channels).toHaveLength(1);
  });
  CASES.forEach((c, i) => {
    it(c.name, () => {
      const packsDir = join(root, String(i));
      const dir = writePack(packsDir, 'case', c.files);
      for (const [name, files] of Object.entries(c.others ?? {})) writePack(packsDir, name, files);
      let err: unknown;
      const started = Date.now();
      try {
        loadPackSync(dir, { packsDir });
      } catch (e) {
        err = e;
      }
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(err, 'the load must fail').toBeInstanceOf(ContractError);
      const msg = (err as ContractError).message;
      expect(msg).toMatch(c.message);
      // Never an echo of a long line, never a stack.
      expect(msg.length).toBeLessThan(600);
      expect(msg).not.toMatch(/\n\s+at /);
      if (c.line !== null) {
        const m = /^(\S+?):(\d+):(\d+): /.exec(msg);
        expect(m, `location in: ${msg}`).not.toBeNull();
        expect(Number(m![2]), msg).toBe(c.line);
      }
    });
  });
});
