// Builds small packs for the diff tests from plain objects, through the real loader.
import { stringify } from 'yaml';
import { loadPackFromSourcesSync } from '../../specs/loader.ts';
import type { Pack } from '../../specs/model.ts';
import { diffPacks } from '../../specs/diff/engine.ts';
import type { Change } from '../../specs/diff/types.ts';

export interface PackBody {
  transport?: 'electron' | 'tauri';
  roots?: string[];
  window?: Record<string, boolean>;
  channels: Record<string, unknown>;
  streams?: Record<string, unknown>;
  $defs?: Record<string, unknown>;
  types?: Record<string, unknown>;
}

export function makePack(body: PackBody, name = 'demo'): Pack {
  const contract: Record<string, unknown> = {
    conform: 1,
    app: name,
    transport: body.transport ?? 'electron',
    bridge: { roots: body.roots ?? ['window.api'] },
  };
  if (body.window) contract.window = body.window;
  contract.channels = body.channels;
  if (body.streams) contract.streams = body.streams;
  if (body.$defs) contract.$defs = body.$defs;
  const sources: Record<string, string> = { 'contract.yaml': stringify(contract) };
  if (body.types) sources['types.yaml'] = stringify({ $defs: body.types });
  return loadPackFromSourcesSync(name, sources);
}

export function diffBodies(before: PackBody, after: PackBody): Change[] {
  return diffPacks(makePack(before), makePack(after)).changes;
}

/** An invoke channel with sensible defaults. */
export function invoke(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: 'invoke', bridge: 'window.api.thing.get', params: [], returns: { type: 'string' }, errors: { style: 'rejection' }, ...over };
}

export function event(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: 'event', bridge: null, payload: { type: 'object' }, ...over };
}
