// `--headed` without a display: the mock starts a private Xvfb (and stops it), so a developer on a
// machine without X still gets a headed Chromium instead of "internal error".
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { headedDisplay } from '../../mocks/browser.ts';

const XVFB = existsSync('/usr/bin/Xvfb') || existsSync('/usr/local/bin/Xvfb');
if (!XVFB) console.log('headed-display.test.ts: skipped, Xvfb is not installed (the mock then runs headless and says so in one line)');

describe.skipIf(!XVFB)('--headed without DISPLAY', () => {
  const saved = { DISPLAY: process.env.DISPLAY, WAYLAND_DISPLAY: process.env.WAYLAND_DISPLAY };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  });

  it('starts a private Xvfb, hands its DISPLAY to Chromium and stops it', async () => {
    delete process.env.DISPLAY;
    delete process.env.WAYLAND_DISPLAY;
    const lines: string[] = [];
    const display = await headedDisplay((l) => lines.push(l));
    expect(display).toBeDefined();
    try {
      expect(display!.env.DISPLAY).toMatch(/^:\d+$/);
      expect(lines).toEqual([expect.stringMatching(/^conform mock: no DISPLAY; started Xvfb on :\d+/)]);
      expect(display!.pid).toBeGreaterThan(0);
    } finally {
      await display!.stop();
    }
    // Gone: signal 0 to the pid fails.
    expect(() => process.kill(display!.pid!, 0)).toThrow();
  }, 30_000);
});
