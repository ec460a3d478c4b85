// A Tauri command that answers at once (a stream id) and keeps streaming on its Channel until a
// terminal message: modelled with `end: grammar` on a channel-stream (test/mocks/fixtures/packs/
// tauri-chat). The mock resolves the call before the first message, correlates every message with
// the id it returned, ends with the terminal variant and then closes the Channel.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../mocks/host.ts';

const PACK = fileURLToPath(new URL('./fixtures/packs/tauri-chat', import.meta.url));

describe('a command that returns at once and keeps streaming on its Channel', () => {
  it('resolves first, then token* done on the Channel with the returned id, then the end message', async () => {
    const { engine } = await createEngine({ pack: PACK, seed: 4, speed: 1 });
    const messages: { index: number; message?: { type: string; streamId: string }; end?: true }[] = [];
    let ended!: () => void;
    const end = new Promise<void>((r) => (ended = r));
    engine.attach({
      event: () => {},
      channelMessage: (id, m) => {
        expect(id).toBe(7);
        messages.push(m as (typeof messages)[number]);
        if (m.end) ended();
      },
    });
    const out = (await engine.call('start_chat', { prompt: 'hi', onEvent: '__CHANNEL__:7' })) as { ok: true; value: { streamId: string } };
    expect(out.ok).toBe(true);
    expect(messages).toEqual([]); // answered before any message
    await end;
    const body = messages.slice(0, -1);
    expect(messages.at(-1)).toEqual({ index: body.length, end: true });
    expect(body.map((m) => m.index)).toEqual(body.map((_, i) => i));
    expect(body.map((m) => m.message!.type).join(' ')).toMatch(/^(token )+done$/);
    for (const m of body) expect(m.message!.streamId).toBe(out.value.streamId);
  });
});
