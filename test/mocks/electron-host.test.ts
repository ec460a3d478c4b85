// The Electron mock's navigation rule: the renderer may move between its own pages, nowhere else.
import { describe, expect, it } from 'vitest';
import { isRendererPage, rendererTarget } from '../../mocks/main/electron-host.ts';

describe('mock window navigation', () => {
  it('a dev server may move within its origin; files within the renderer folder; nothing else', () => {
    const dev = rendererTarget('http://localhost:5173/');
    expect(isRendererPage(dev, 'http://localhost:5173/settings')).toBe(true);
    expect(isRendererPage(dev, 'http://localhost:5174/')).toBe(false);
    expect(isRendererPage(dev, 'https://example.com/')).toBe(false);
    const file = rendererTarget('/srv/app/renderer/index.html');
    expect(isRendererPage(file, 'file:///srv/app/renderer/other.html')).toBe(true);
    expect(isRendererPage(file, 'file:///srv/app/secrets.html')).toBe(false);
    expect(isRendererPage(file, 'file:///srv/app/renderer-evil/x.html')).toBe(false);
    expect(isRendererPage(file, 'https://conform-probe.invalid/')).toBe(false);
    expect(isRendererPage(rendererTarget(undefined), 'https://example.com/')).toBe(false);
    expect(isRendererPage(dev, 'not a url')).toBe(false);
  });
});
