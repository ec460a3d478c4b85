// The stand-in's waiter for main's next security decision (runner/standin/main/decisions.cjs):
// Conform's window.open and navigation probes resolve on it instead of polling the records.
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';

const { createDecisions } = createRequire(import.meta.url)('../../runner/standin/main/decisions.cjs') as {
  createDecisions(o: { sideEffects: Record<string, unknown[]>; state: { nextWindowId: number; loadSeq: number } }): {
    record(kind: string, rec: { url: string; action: string }, wc?: { _loadSeq?: number }): void;
    api: {
      mark(): Record<string, number>;
      next(kind: string, from: Record<string, number>, prefix: string, timeoutMs: number): Promise<{ action: string; windowsCreated: number; pageLoaded: boolean } | null>;
      settle(): void;
    };
  };
};

function fresh() {
  const sideEffects = { navigations: [] as unknown[], windowOpen: [] as unknown[] };
  const state = { nextWindowId: 2, loadSeq: 1 };
  return { state, ...createDecisions({ sideEffects, state }) };
}
const turn = () => new Promise((r) => setImmediate(r));

describe('stand-in decisions: waiting for main', () => {
  it('a deny resolves within a turn of being recorded: no fixed look after it', async () => {
    const d = fresh();
    const mark = d.api.mark();
    let got: unknown;
    void d.api.next('windowOpen', mark, 'https://probe.invalid/', 10_000).then((x) => { got = x; });
    await turn();
    expect(got).toBeUndefined();
    d.record('windowOpen', { url: 'https://probe.invalid/popup', action: 'deny' }, {});
    await turn();
    await turn();
    expect(got).toEqual({ action: 'deny', windowsCreated: 0, pageLoaded: false });
  });

  it('a decision made long after the wait began is still awaited', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const d = fresh();
      const mark = d.api.mark();
      const waiting = d.api.next('navigations', mark, 'https://probe.invalid/', 10_000);
      // Main decides 9 s later (a page whose timers fire late, on a loaded machine).
      await vi.advanceTimersByTimeAsync(9_000);
      d.record('navigations', { url: 'https://probe.invalid/navigate', action: 'allow' }, {});
      expect(await waiting).toMatchObject({ action: 'allow' });
      // ... and the bound holds: nothing within 10 s is null.
      const never = d.api.next('navigations', d.api.mark(), 'https://probe.invalid/', 10_000);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(await never).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('counts only records after the mark and under the prefix; none within the timeout is null', async () => {
    const d = fresh();
    d.record('navigations', { url: 'https://probe.invalid/navigate', action: 'allow' });
    const mark = d.api.mark();
    d.record('navigations', { url: 'https://other.example/', action: 'allow' });
    d.record('windowOpen', { url: 'https://probe.invalid/navigate', action: 'allow' });
    expect(await d.api.next('navigations', mark, 'https://probe.invalid/', 50)).toBeNull();
  });

  it('a record already there resolves at once; settle() ends a wait with what main decided, else null', async () => {
    const d = fresh();
    const mark = d.api.mark();
    d.record('windowOpen', { url: 'https://probe.invalid/popup', action: 'deny' });
    expect(await d.api.next('windowOpen', mark, 'https://probe.invalid/', 10_000)).toMatchObject({ action: 'deny' });
    const none = d.api.next('navigations', mark, 'https://probe.invalid/', 10_000);
    d.api.settle();
    expect(await none).toBeNull();
  });

  it('what the handler did while deciding counts: windows it created, a loadURL of the deciding page', async () => {
    const d = fresh();
    const page: { _loadSeq?: number } = {};
    const mark = d.api.mark();
    const popup = d.api.next('windowOpen', mark, 'https://probe.invalid/', 10_000);
    const nav = d.api.next('navigations', mark, 'https://probe.invalid/', 10_000);
    // The window-open handler denies and opens a window of its own ...
    d.state.nextWindowId++;
    d.record('windowOpen', { url: 'https://probe.invalid/popup', action: 'deny' }, page);
    // ... and the will-navigate handler prevents the navigation and loads the URL itself.
    page._loadSeq = ++d.state.loadSeq;
    d.record('navigations', { url: 'https://probe.invalid/navigate', action: 'deny' }, page);
    expect(await popup).toEqual({ action: 'deny', windowsCreated: 1, pageLoaded: true });
    expect(await nav).toEqual({ action: 'deny', windowsCreated: 1, pageLoaded: true });
  });
});
