// The rule catalog: every rule with its stable id, family, severity and who it breaks.
// Schema rules appear once per location (param / return / payload / error-branch) because their
// severity depends on the data direction.
import { CHANNEL_RULES } from './channel.ts';
import { ERROR_RULES } from './errors.ts';
import { PACK_RULES } from './pack.ts';
import { PARAM_RULES } from './params.ts';
import { SCHEMA_RULES } from './schema.ts';
import { STREAM_RULES } from './stream.ts';
import { locationFlow } from '../types.ts';
import type { RuleInfo, SchemaLocation } from '../types.ts';

export { CHANNEL_RULES, ERROR_RULES, PACK_RULES, PARAM_RULES, SCHEMA_RULES, STREAM_RULES };

export const SCHEMA_LOCATIONS: SchemaLocation[] = ['param', 'return', 'payload', 'error-branch'];

/** Every rule id the engine can report, with its default severity and who it concerns. */
export function catalog(): RuleInfo[] {
  const out: RuleInfo[] = [];
  const seen = new Set<string>();
  const add = (r: RuleInfo) => {
    if (seen.has(r.id)) return; // stream budgets reuse the channel budget ids
    seen.add(r.id);
    out.push({ id: r.id, family: r.family, summary: r.summary, severity: r.severity, who: r.who, what: r.what, condition: r.condition });
  };
  for (const r of [...PACK_RULES, ...CHANNEL_RULES, ...PARAM_RULES, ...ERROR_RULES, ...STREAM_RULES]) add(r);
  for (const loc of SCHEMA_LOCATIONS) {
    const flow = locationFlow[loc];
    for (const r of SCHEMA_RULES) {
      add({ id: `${loc}-${r.id}`, family: r.family, summary: r.summary, severity: r.severity[flow], who: r.who[flow], what: r.what[flow], condition: r.condition });
    }
  }
  return out;
}
