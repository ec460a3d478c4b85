// `conform mock --types <file...>` (with --preload): the app's own TypeScript types, read with the
// analysis `conform extract` uses (specs/extract), as a draft pack. Where the contract leaves a
// return open (x-unspecified) the mock generates from the app's declared type instead of guessing,
// so the UI gets the shape it was written for.
import { stringify } from 'yaml';
import { draftPack } from '../specs/extract/draft.ts';
import { loadPackFromSources } from '../specs/loader.ts';
import type { Pack } from '../specs/model.ts';

export async function loadTypeHints(preload: string, types: string[], log: (line: string) => void = () => {}): Promise<Pack | undefined> {
  try {
    const draft = draftPack({ preload, types, name: 'app-types' });
    const sources: Record<string, string> = { 'contract.yaml': stringify(draft.contract, { lineWidth: 0 }) };
    if (draft.types) sources['types.yaml'] = stringify(draft.types, { lineWidth: 0 });
    return await loadPackFromSources('app-types', sources);
  } catch (err) {
    log(`conform mock: --types: could not read the app's types (${(err as Error).message.split('\n')[0]}); open types are guessed instead`);
    return undefined;
  }
}
