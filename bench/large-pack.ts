// A valid synthetic pack of a given size: `defs` object schemas in types.yaml (each with a few
// typed properties, some referring to an earlier def) and `channels` invoke channels returning
// them. Used by bench/loader.ts to measure loader throughput on a 5 MB pack.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeLargePack(dir: string, defs: number, channels: number): { bytes: number } {
  mkdirSync(dir, { recursive: true });
  const types: string[] = ['$defs:'];
  for (let i = 0; i < defs; i++) {
    types.push(
      `  T${i}:`,
      '    type: object',
      '    required: [id, name]',
      '    additionalProperties: false',
      '    properties:',
      '      id: { type: string, minLength: 1, maxLength: 64 }',
      '      name: { type: string, description: "display name of the item" }',
      '      count: { type: integer, minimum: 0 }',
      ...(i > 0 && i % 3 === 0 ? [`      parent: { $ref: "#/$defs/T${i - 1}" }`] : []),
    );
  }
  const contract: string[] = ['conform: 1', 'app: large', 'transport: electron', 'bridge:', '  roots: [window.api]', 'channels:'];
  for (let c = 0; c < channels; c++) {
    contract.push(
      `  large:get${c}:`,
      '    kind: invoke',
      `    bridge: window.api.get${c}`,
      '    params:',
      '      - name: id',
      '        schema: { type: string }',
      `    returns: { $ref: "types.yaml#/$defs/T${(c * 97) % defs}" }`,
    );
  }
  const t = `${types.join('\n')}\n`;
  const k = `${contract.join('\n')}\n`;
  writeFileSync(join(dir, 'types.yaml'), t);
  writeFileSync(join(dir, 'contract.yaml'), k);
  return { bytes: Buffer.byteLength(t) + Buffer.byteLength(k) };
}
