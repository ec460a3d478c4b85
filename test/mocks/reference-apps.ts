// The reference apps' renderers as a new user mocks them from the README:
// `conform mock <pack> --browser --renderer <page> --preload <preload> [--types <global.d.ts>]`.
// Shared by test/mocks/reference-renderers.test.ts and scripts/mock-screenshots.mts (docs/).
import { fileURLToPath } from 'node:url';
import { startBrowserMock, type BrowserMock } from '../../mocks/browser.ts';
import { createEngine } from '../../mocks/host.ts';
import type { MockEngine } from '../../mocks/engine.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

export interface ReferenceApp {
  pack: string;
  /** Paths under examples/. */
  renderer: string;
  preload: string;
  types?: string[];
  /** The app's main list: each match is one rendered item. */
  mainList: string;
}

export const REFERENCE_APPS: Record<string, ReferenceApp> = {
  'script-manager': { pack: 'script-manager', renderer: 'script-manager/renderer/index.html', preload: 'script-manager/preload.js', mainList: 'tr[data-id]' },
  'ollama-chat': { pack: 'ollama-chat', renderer: 'ollama-chat/index.html', preload: 'ollama-chat/preload.js', types: ['ollama-chat/global.d.ts'], mainList: '#models option' },
  'cosmosh-lite': { pack: 'cosmosh-lite', renderer: 'cosmosh-lite/index.html', preload: 'cosmosh-lite/preload.js', types: ['cosmosh-lite/global.d.ts'], mainList: '#servers tr' },
};

export interface OpenedApp {
  engine: MockEngine;
  mock: BrowserMock;
  /** Uncaught page errors and console.error lines, as they happen. */
  errors: string[];
  /** What the mock logged (warnings about open types, ...). */
  log: string[];
}

/** The app's renderer under the browser mock with its own preload (and types), seed 1. */
export async function openReferenceApp(name: string, opts: { withTypes?: boolean } = {}): Promise<OpenedApp> {
  const app = REFERENCE_APPS[name]!;
  const log: string[] = [];
  const preload = `${EXAMPLES}${app.preload}`;
  const types = opts.withTypes === false ? undefined : app.types?.map((t) => `${EXAMPLES}${t}`);
  const { engine } = await createEngine({ pack: app.pack, seed: 1, speed: 1, preload, types }, (l) => log.push(l));
  const errors: string[] = [];
  const mock = await startBrowserMock(engine, {
    renderer: `${EXAMPLES}${app.renderer}`,
    preload,
    log: (l) => log.push(l),
    onPage: (page) => {
      page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
      page.on('console', (m) => m.type() === 'error' && errors.push(`console.error: ${m.text()}`));
    },
  });
  return { engine, mock, errors, log };
}
