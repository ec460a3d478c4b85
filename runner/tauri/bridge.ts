// How the run's harness reaches a Tauri command: Tauri commands have no bridge object
// (`invoke('<name>', args)`), so the page-side shim (shim.js) exposes one wrapper per command.
import type { Channel, Pack } from '../../specs/model.ts';

/** Bridge path of a Tauri command for the harness: the shim's invoke wrapper. */
export const tauriBridge = (command: string): string => `window.__conformTauri.invoke.${command}`;

/** The bridge path the harness calls for a channel: its own, or the shim's for a Tauri command. */
export function bridgeOf(pack: Pack, ch: Channel): string | null {
  if (ch.bridge) return ch.bridge;
  return pack.transport === 'tauri' && (ch.kind === 'command' || ch.kind === 'channel-stream') ? tauriBridge(ch.name) : null;
}
