// `conform record --drive` error paths, without launching an app: a script without a default
// export, one that does not load, and one that throws are each one clear message naming the
// script (the CLI prints it and exits 1, keeping what was recorded).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { driveRecording, DriveScriptError, type Recording } from '../../mocks/record.ts';

const FIX = fileURLToPath(new URL('./fixtures/drive/', import.meta.url));

/** A recording whose app has one window whose click fails like Playwright's. */
function fakeRecording(): Recording {
  const page = {
    waitForLoadState: async () => {},
    click: async (sel: string) => {
      throw new Error(`page.click: Timeout 30000ms exceeded.\nCall log:\n  - waiting for locator('${sel}')`);
    },
  };
  return { launched: { app: { firstWindow: async () => page } } } as unknown as Recording;
}

describe('record --drive errors', () => {
  it('a throwing script: its first message line, naming the script', async () => {
    const err = await driveRecording(fakeRecording(), `${FIX}throws.mjs`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriveScriptError);
    expect((err as Error).message).toBe(`the drive script ${FIX}throws.mjs failed: page.click: Timeout 30000ms exceeded. (everything recorded until then is in the cassette)`);
  });

  it('no default export, or a script that does not load', async () => {
    await expect(driveRecording(fakeRecording(), `${FIX}no-default.mjs`)).rejects.toThrow(/must export a default async function \(\{ page, app, log \}\)/);
    await expect(driveRecording(fakeRecording(), `${FIX}missing.mjs`)).rejects.toThrow(/^cannot load the drive script .*missing\.mjs: /);
  });
});
