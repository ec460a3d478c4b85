// How much of a draft states real schemas: per channel, whether its params, return value and
// event payload are stated or left `x-unspecified` (anywhere inside, also behind a `$ref`), so a
// draft never passes for a finished contract.
type Obj = Record<string, unknown>;

export interface CoverageCount {
  /** Channels whose schema is stated throughout. */
  stated: number;
  /** Channels that have this part (callables with params, invokes, events). */
  total: number;
  /** Channels where it is unspecified, in whole or in part. */
  unspecified: string[];
}

export interface ExtractCoverage {
  channels: number;
  params: CoverageCount;
  returns: CoverageCount;
  payloads: CoverageCount;
  /** One line: `params 3/4, returns 2/5, payloads 1/2 channels with stated schemas`. */
  line: string;
}

/** Whether a schema is open anywhere: an `x-unspecified` in it or in what its `$ref`s reach. */
export function hasUnspecified(schema: unknown, resolveRef: (ref: string) => unknown = () => undefined, seen = new Set<string>()): boolean {
  if (Array.isArray(schema)) return schema.some((x) => hasUnspecified(x, resolveRef, seen));
  if (!schema || typeof schema !== 'object') return false;
  const o = schema as Obj;
  if ('x-unspecified' in o) return true;
  if (typeof o.$ref === 'string' && !seen.has(o.$ref)) {
    seen.add(o.$ref);
    if (hasUnspecified(resolveRef(o.$ref), resolveRef, seen)) return true;
  }
  return Object.entries(o).some(([k, v]) => k !== '$ref' && hasUnspecified(v, resolveRef, seen));
}

/**
 * Coverage of draft channels (`contract.channels`). `paramsHidden` names channels whose params
 * the preload forwards without showing them (`...args`): unspecified, though the list is empty.
 */
export function coverageOf(channels: Record<string, unknown>, resolveRef?: (ref: string) => unknown, paramsHidden: ReadonlySet<string> = new Set()): ExtractCoverage {
  const count = (): CoverageCount => ({ stated: 0, total: 0, unspecified: [] });
  const params = count();
  const returns = count();
  const payloads = count();
  const tally = (c: CoverageCount, name: string, open: boolean) => {
    c.total++;
    if (open) c.unspecified.push(name);
    else c.stated++;
  };
  for (const [name, raw] of Object.entries(channels)) {
    const ch = raw as Obj;
    const list = (ch.params as { schema: unknown }[] | undefined) ?? [];
    if (list.length || paramsHidden.has(name)) tally(params, name, paramsHidden.has(name) || list.some((p) => hasUnspecified(p.schema, resolveRef)));
    if (ch.kind === 'invoke') tally(returns, name, ch.returns !== 'void' && hasUnspecified(ch.returns, resolveRef));
    if (ch.kind === 'event') tally(payloads, name, hasUnspecified(ch.payload, resolveRef));
  }
  const line = `${Object.keys(channels).length} channels; stated schemas: params ${params.stated}/${params.total}, returns ${returns.stated}/${returns.total}, payloads ${payloads.stated}/${payloads.total}`;
  return { channels: Object.keys(channels).length, params, returns, payloads, line };
}
