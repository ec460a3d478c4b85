// Shared fixtures for the mock tests: start the Electron mock (stand-in) or the browser mock, and
// build per-channel call plans (generated valid args, prerequisites and fixtures from the pack).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { generateValid } from '../../specs/generate.ts';
import type { Channel, Pack } from '../../specs/model.ts';
import { launchApp, type LaunchedApp } from '../../runner/runtime.ts';
import { electronMockApp, type MockConfig } from '../../mocks/host.ts';

export const BLANK_PAGE = fileURLToPath(new URL('./fixtures/blank.html', import.meta.url));

export interface ElectronMock {
  launched: LaunchedApp;
  page: Page;
  /** The control endpoint's token (held by the caller; the mock's main has only its hash). */
  controlToken?: string;
  close(): Promise<void>;
}

export async function startElectronMock(cfg: MockConfig, opts: { require?: string[] } = {}): Promise<ElectronMock> {
  const mock = electronMockApp({ renderer: BLANK_PAGE, ...cfg });
  const launched = await launchApp({ main: mock.main, args: mock.args, require: opts.require, timeoutMs: 60_000 }).catch((err) => {
    mock.remove();
    throw err;
  });
  const stderr: string[] = [];
  launched.app.process().stderr?.on('data', (d: Buffer) => stderr.push(String(d)));
  const close = async () => {
    await launched.close();
    mock.remove();
  };
  try {
    const page = await launched.app.firstWindow({ timeout: 60_000 });
    await page.waitForFunction(() => typeof (window as unknown as { __conformMock?: unknown }).__conformMock === 'object', undefined, { timeout: 30_000 });
    return { launched, page, close, controlToken: mock.controlToken };
  } catch (err) {
    await close();
    throw new Error(`${(err as Error).message}\nmock stderr:\n${stderr.join('').slice(-2000)}`);
  }
}

export interface CallPlan {
  channel: string;
  kind: Channel['kind'];
  bridge: string | null;
  args: unknown;
  prereqs: { channel: string; bridge: string | null; args: unknown; as?: string }[];
  fixtures: Record<string, string>;
  /** Positional param index per fixture name (Electron). */
  fixtureIndex: Record<string, number>;
}

export function validArgs(pack: Pack, ch: Channel, seed: number): unknown {
  return generateValid(ch.args, pack.schemas, { seed, count: 1 })[0];
}

export function callPlans(pack: Pack, seed = 7): CallPlan[] {
  return pack.channels
    .filter((c) => c.kind !== 'event')
    .map((ch) => ({
      channel: ch.name,
      kind: ch.kind,
      bridge: ch.bridge,
      args: validArgs(pack, ch, seed),
      prereqs: ch.prerequisites.map((p) => ({ channel: p.call, bridge: pack.byName.get(p.call)?.bridge ?? null, args: p.args, as: p.as })),
      fixtures: ch.fixtures,
      fixtureIndex: Object.fromEntries(
        Object.keys(ch.fixtures).map((k) => [k, ch.params.style === 'positional' ? (/^\d+$/.test(k) ? Number(k) : ch.params.list.findIndex((p) => p.name === k)) : -1]),
      ),
    }));
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `node bin/conform.js ...args`; resolves with exit code and output. The caller kills `child` if the test fails early. */
export function runCli(
  args: string[],
  onStdout?: (text: string, child: ChildProcess) => void,
  onStderr?: (text: string, child: ChildProcess) => void,
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['bin/conform.js', ...args], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += String(d);
    onStdout?.(stdout, child);
  });
  child.stderr!.on('data', (d) => {
    stderr += String(d);
    onStderr?.(stderr, child);
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((r) => child.once('exit', (code) => r({ code, stdout, stderr })));
  return { child, done };
}
