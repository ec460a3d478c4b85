// Main refuses and then does it itself (test/security/fixtures/own-loader-app): the window.open
// and navigation probes take main's decision as it is made and then wait for exactly what main
// started while deciding (a window of its own, a loadURL of the page), never for a fixed look;
// a send channel's listener still gets its time to write; a bridge function that forwards any
// channel fire-and-forget is seen through the stand-in's ordered IPC flush.
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../runner/run.ts';

const DIR = new URL('./fixtures/', import.meta.url).pathname;

describe('security probes: main denies, then loads by itself', () => {
  it('window-open, navigation, a send channel\'s write and a fire-and-forget generic bridge all fail', { timeout: 120_000 }, async () => {
    const { report, observations, timing } = await runConformance({ pack: `${DIR}own-loader`, app: `${DIR}own-loader-app`, seed: 1, only: ['notes:save'] });
    // The handler's window is closed while main's IPC is flushed: the flush must not wait for a
    // window that is gone (it did until the app was closed, ~100 s).
    expect(timing.groups['(security probes)']).toBeLessThan(20_000);
    const check = (id: string) => report.checks.find((c) => c.id === id);
    const sec = observations.security!;
    // The handler said deny, and the window it opened itself is counted.
    expect(sec.windowOpen?.decision).toBe('deny');
    expect(sec.windowOpen?.newWindows).toHaveLength(1);
    expect(check('security.window-open')?.status).toBe('failed');
    // will-navigate said deny, and main's own loadURL took the page away.
    expect(sec.navigation?.decision).toBe('deny');
    expect(sec.navigation?.urlAfter).not.toBe(sec.navigation?.urlBefore);
    expect(check('security.navigation')?.status).toBe('failed');
    // notes:save (send) writes after an await: a fire-and-forget handler's write is still seen.
    const save = report.checks.find((c) => c.id === 'security.path-guard' && c.channel === 'notes:save');
    expect(save?.status, save?.message).toBe('failed');
    expect(save?.risk).toBe('critical');
    // window.notes.emit forwards the probe channel with ipcRenderer.send.
    expect(sec.bridge?.received).toEqual([{ path: 'window.notes.emit', kind: 'send' }]);
    expect(check('security.generic-bridge')?.status).toBe('failed');
  });
});
