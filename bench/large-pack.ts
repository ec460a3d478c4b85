// Valid synthetic packs for bench/loader.ts, in the shapes the loader was found slow on:
// - writeManyDefsPack: the shape of issue 13's case, ~5 MB with ~31k small `$defs` that refer to
//   each other (types grouped in modules of 40; a def refers to earlier defs of its module, as
//   generated API types do) and channels returning them;
// - writeChannelsPack: a pack of many channels (inline params, returns through `$ref`, events,
//   examples), for loading two 1000-channel packs in one process (as `spec lint a b` and `diff` do).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MODULE = 40;

function writePack(dir: string, files: Record<string, string[]>): { bytes: number } {
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (const [name, lines] of Object.entries(files)) {
    const text = `${lines.join('\n')}\n`;
    writeFileSync(join(dir, name), text);
    bytes += Buffer.byteLength(text);
  }
  return { bytes };
}

/** One small def: a few typed fields, refs to 1-2 earlier defs of its module (none for a module's first). */
function smallDef(i: number): string[] {
  const inModule = i % MODULE;
  const earlier = (k: number) => i - 1 - ((i * k) % inModule);
  const lines = [`  D${i}:`];
  if (i % 4 !== 2) lines.push(`    description: "type ${inModule} of module ${Math.floor(i / MODULE)}"`);
  switch (i % 4) {
    case 0:
      lines.push('    type: object', '    required: [id]', '    properties:', '      id: { type: string, minLength: 1 }', '      size: { type: integer, minimum: 0 }');
      if (inModule > 0) lines.push(`      owner: { $ref: "#/$defs/D${earlier(7)}" }`);
      break;
    case 1:
      lines.push('    type: object', '    properties:', '      name: { type: string, maxLength: 80 }');
      if (inModule > 0) lines.push(`      items: { type: array, items: { $ref: "#/$defs/D${earlier(3)}" } }`);
      if (inModule > 1) lines.push(`      next: { $ref: "#/$defs/D${earlier(5)}" }`);
      break;
    case 2:
      lines.push('    enum: [alpha, beta, gamma, delta]', '    description: "one of four states"');
      break;
    default:
      lines.push(inModule > 0 ? `    anyOf: [{ $ref: "#/$defs/D${earlier(11)}" }, { type: "null" }]` : '    type: [string, "null"]', '    examples: [null]');
      if (inModule === 0) lines.push('    format: date-time');
      break;
  }
  return lines;
}

/** ~5 MB with `defs` small `$defs` in types.yaml and `channels` channels in contract.yaml returning them. */
export function writeManyDefsPack(dir: string, defs: number, channels: number): { bytes: number } {
  const types = ['$defs:'];
  for (let i = 0; i < defs; i++) types.push(...smallDef(i));
  const contract = ['conform: 1', 'app: many-defs', 'transport: electron', 'bridge:', '  roots: [window.api]', 'channels:'];
  for (let c = 0; c < channels; c++) {
    contract.push(
      `  defs:get${c}:`,
      '    kind: invoke',
      `    bridge: window.api.get${c}`,
      '    params:',
      `      - { name: id, schema: { $ref: "types.yaml#/$defs/D${(c * 40 + 39) % defs}" } }`,
      `    returns: { $ref: "types.yaml#/$defs/D${(c * 97) % defs}" }`,
    );
  }
  return writePack(dir, { 'types.yaml': types, 'contract.yaml': contract });
}

/** A pack of `channels` channels (3 in 4 invoke with inline params, 1 in 4 events) over 200 defs. */
export function writeChannelsPack(dir: string, app: string, channels: number): { bytes: number } {
  const defs = 200;
  const types = ['$defs:'];
  for (let i = 0; i < defs; i++) types.push(...smallDef(i));
  const contract = ['conform: 1', `app: ${app}`, 'transport: electron', 'bridge:', `  roots: [window.${app}]`, 'channels:'];
  for (let c = 0; c < channels; c++) {
    if (c % 4 === 3) {
      contract.push(`  ${app}:changed${c}:`, '    kind: event', `    bridge: window.${app}.onChanged${c}`, `    payload: { $ref: "types.yaml#/$defs/D${(c * 13) % defs}" }`);
      continue;
    }
    contract.push(
      `  ${app}:call${c}:`,
      '    kind: invoke',
      `    bridge: window.${app}.call${c}`,
      `    description: "call number ${c}"`,
      '    params:',
      '      - name: id',
      '        schema: { type: string, pattern: "^[a-z0-9-]+$", examples: [item-1] }',
      '      - name: options',
      '        optional: true',
      '        schema:',
      '          type: object',
      '          additionalProperties: false',
      '          properties:',
      '            limit: { type: integer, minimum: 1, maximum: 500 }',
      `            kind: { $ref: "types.yaml#/$defs/D${(c * 4 + 2) % defs}" }`,
      `    returns: { $ref: "types.yaml#/$defs/D${(c * 7) % defs}" }`,
      '    budgetMs: 500',
    );
  }
  return writePack(dir, { 'types.yaml': types, 'contract.yaml': contract });
}
