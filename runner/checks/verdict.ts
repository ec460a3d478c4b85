// How much a value breaking a schema weighs: the checks' shared reading of validation issues.
// - hard issues break what the document states: an error;
// - issues inside an `x-assumed` schema break what the pack added: a warning naming the note;
// - undocumented fields (not in the schema's properties) are drift: a warning, unless the object is
//   declared closed with `x-exact: true` (then an error).
import type { JsonSchema, Pack, SchemaNode, ValidationIssue } from '../../specs/model.ts';
import { fromPointer, pointerUri, splitUri } from '../../specs/schema-store.ts';
import { decode } from './values.ts';

export interface SchemaVerdict {
  /** Issues that break a documented constraint. */
  hard: ValidationIssue[];
  /** Issues that break only constraints the pack marked as assumed. */
  assumed: ValidationIssue[];
  /** Fields of the value the schema does not document (JSON pointers); `exact` where the object is closed. */
  undocumented: { path: string; exact: boolean }[];
}

const DRIFT_KEYWORDS = new Set(['additionalProperties', 'unevaluatedProperties']);

export function judgeValue(pack: Pack, node: SchemaNode, encoded: unknown): SchemaVerdict {
  const value = decode(encoded);
  const v = pack.schemas.validate(node, value);
  const undocumented = undocumentedFields(pack, node, value);
  const hard: ValidationIssue[] = [];
  const assumed: ValidationIssue[] = [];
  for (const i of v.issues) {
    if (DRIFT_KEYWORDS.has(i.keyword)) {
      // additionalProperties: false is drift too; the walker names the field (kept here if it could not).
      const field = /'([^']*)'$/.exec(i.message)?.[1];
      const path = field !== undefined ? `${i.path}/${field}` : i.path;
      if (!undocumented.some((u) => u.path === path)) undocumented.push({ path, exact: !!i.exact });
      else if (i.exact) undocumented.find((u) => u.path === path)!.exact = true;
      continue;
    }
    if (i.assumed) assumed.push(i);
    else hard.push(i);
  }
  return { hard, assumed, undocumented };
}

/** `/maxRetries = -1 (must be >= 0)`: what the app sent where an assumed constraint broke. */
export function assumedText(issues: ValidationIssue[], encoded: unknown, max = 3): string {
  const value = decode(encoded);
  const at = (path: string) => {
    let cur: unknown = value;
    for (const seg of path.split('/').slice(1)) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    return cur;
  };
  const shown = issues.slice(0, max).map((i) => `${i.path || '(root)'} = ${JSON.stringify(at(i.path)) ?? 'undefined'} (${i.message})`);
  return shown.join('; ') + (issues.length > max ? `; and ${issues.length - max} more` : '');
}

/** Notes of the assumptions a list of issues breaks, deduplicated. */
export function assumptionNotes(issues: ValidationIssue[]): string {
  return [...new Set(issues.map((i) => i.assumed).filter(Boolean))].join('; ');
}

const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);

function child(node: SchemaNode, ...segs: (string | number)[]): SchemaNode | null {
  const s = node.schema;
  let cur: unknown = s;
  for (const k of segs) cur = isObj(cur) || Array.isArray(cur) ? (cur as Record<string, unknown>)[k as string] : undefined;
  if (cur === undefined || (typeof cur !== 'boolean' && !isObj(cur))) return null;
  const { file, pointer } = splitUri(node.uri);
  return { uri: pointerUri(file, [...fromPointer(pointer), ...segs]), schema: cur as JsonSchema };
}

/** The node itself, its `$ref` target and every `allOf`/`anyOf`/`oneOf` branch, flattened. */
function branches(pack: Pack, node: SchemaNode, depth = 0): SchemaNode[] {
  if (depth > 8 || !isObj(node.schema)) return [node];
  const out: SchemaNode[] = [node];
  const s = node.schema;
  if (typeof s.$ref === 'string') {
    try {
      out.push(...branches(pack, pack.schemas.resolve(s.$ref, node.uri), depth + 1));
    } catch {
      /* dangling refs are the loader's business */
    }
  }
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[k];
    if (Array.isArray(list)) list.forEach((_, i) => { const c = child(node, k, i); if (c) out.push(...branches(pack, c, depth + 1)); });
  }
  return out;
}

/**
 * Object fields a value has that its schema does not document (no `properties` entry, no
 * `patternProperties` match, no `additionalProperties` schema). A field documented by any branch
 * of a union counts as documented: drift is about names, not about which branch matched.
 */
export function undocumentedFields(pack: Pack, node: SchemaNode, value: unknown, path = '', depth = 0): { path: string; exact: boolean }[] {
  if (depth > 6 || value === null || typeof value !== 'object') return [];
  const all = branches(pack, node);
  const out: { path: string; exact: boolean }[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      for (const b of all) {
        const c = child(b, 'prefixItems', i) ?? child(b, 'items');
        if (c) {
          out.push(...undocumentedFields(pack, c, item, `${path}/${i}`, depth + 1));
          break;
        }
      }
    });
    return out;
  }
  const objects = all.filter((b) => isObj(b.schema) && (isObj(b.schema.properties) || b.schema.type === 'object' || b.schema.additionalProperties !== undefined));
  if (objects.length === 0) return [];
  const open = objects.some((b) => {
    const s = b.schema as Record<string, unknown>;
    return s['x-unspecified'] !== undefined || (s.additionalProperties !== undefined && s.additionalProperties !== false) || isObj(s.patternProperties);
  });
  const exact = objects.some((b) => (b.schema as Record<string, unknown>)['x-exact'] === true);
  const documented = new Set(objects.flatMap((b) => Object.keys(((b.schema as Record<string, unknown>).properties as object) ?? {})));
  // Without a single `properties` list there is nothing to compare names against.
  if (documented.size === 0 && !exact) return [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!documented.has(k)) {
      if (!open) out.push({ path: `${path}/${k}`, exact });
      continue;
    }
    const holder = objects.find((b) => isObj((b.schema as Record<string, unknown>).properties) && k in ((b.schema as Record<string, Record<string, unknown>>).properties));
    const c = holder ? child(holder, 'properties', k) : null;
    if (c) out.push(...undocumentedFields(pack, c, v, `${path}/${k}`, depth + 1));
  }
  return out;
}
