// The stand-in's CDP client (runner/standin/main/cdp.cjs) over in-memory pipes: a command in flight
// on a session whose target goes away fails at once instead of waiting for an answer Chromium
// never sends (a probe once waited ~100 s for a window the app had closed).
import { PassThrough } from 'node:stream';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const { CdpPipe } = createRequire(import.meta.url)('../../runner/standin/main/cdp.cjs') as { CdpPipe: new (w: NodeJS.WritableStream, r: NodeJS.ReadableStream) => { send(m: string, p?: object, s?: string): Promise<unknown> } };

function pipes() {
  const toChromium = new PassThrough();
  const fromChromium = new PassThrough();
  const sent: { id: number; method: string; sessionId?: string }[] = [];
  toChromium.setEncoding('utf8');
  toChromium.on('data', (chunk: string) => { for (const m of chunk.split('\0').filter(Boolean)) sent.push(JSON.parse(m)); });
  const reply = (msg: object) => fromChromium.write(JSON.stringify(msg) + '\0');
  return { cdp: new CdpPipe(toChromium, fromChromium), sent, reply };
}

describe('CdpPipe', () => {
  it('fails the commands in flight on a detached session, and only those', { timeout: 10_000 }, async () => {
    const { cdp, sent, reply } = pipes();
    const gone = cdp.send('Runtime.evaluate', { expression: '1' }, 'S1');
    const kept = cdp.send('Runtime.evaluate', { expression: '2' }, 'S2');
    reply({ method: 'Target.detachedFromTarget', params: { sessionId: 'S1', targetId: 'T1' } });
    await expect(gone).rejects.toThrow(/Runtime\.evaluate: the target went away/);
    await expect.poll(() => sent.length).toBe(2);
    reply({ id: sent[1]!.id, result: { value: 2 } });
    await expect(kept).resolves.toEqual({ value: 2 });
  });
});
