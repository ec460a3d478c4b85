// Stateful collections of the mock: what create/upsert returned is listed by list, found by get,
// changed by update and gone after delete. Items are built from the channel's own return schema
// (seeded generation) with the caller's input laid over it field by field, keeping only fields
// that leave the item valid, so every answer still matches the contract.
import { valueAt, type Channel, type Collection, type Pack, type SchemaNode } from '../specs/model.ts';

export type Generate = (node: SchemaNode, label: string) => unknown;

type Op = 'list' | 'get' | 'create' | 'upsert' | 'update' | 'delete';
const OPS: Op[] = ['list', 'get', 'create', 'upsert', 'update', 'delete'];

export class NotFound extends Error {}

/** Value at a dotted path; no path (or `$`) is the value itself. */
export function getPath(value: unknown, path: string | undefined): unknown {
  return !path || path === '$' ? value : valueAt(value, path.split('.'));
}

export function setPath(value: unknown, path: string | undefined, item: unknown): unknown {
  if (!path) return item;
  const keys = path.split('.');
  const copy = structuredClone(value) as Record<string, unknown>;
  let cur = copy;
  for (const k of keys.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  cur[keys[keys.length - 1]!] = item;
  return copy;
}

/** Path of the first array in a generated list result (the result itself when it is an array). */
export function findArrayPath(value: unknown, prefix = '', depth = 0): string | undefined {
  if (Array.isArray(value)) return prefix;
  if (depth > 2 || typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const p = findArrayPath(v, prefix ? `${prefix}.${k}` : k, depth + 1);
    if (p !== undefined) return p;
  }
  return undefined;
}

class CollectionState {
  items = new Map<string, unknown>();
  seeded = false;
  constructor(readonly def: Collection) {}
}

export class Collections {
  private byChannel = new Map<string, { state: CollectionState; op: Op }>();

  constructor(private pack: Pack, defs: Collection[], private generate: Generate) {
    for (const def of defs) {
      const state = new CollectionState(def);
      for (const op of OPS) {
        const ch = def[op];
        if (!ch) continue;
        if (!pack.byName.has(ch)) throw new Error(`collection ${def.name}: ${op} channel "${ch}" is not in pack ${pack.name}`);
        this.byChannel.set(ch, { state, op });
      }
    }
  }

  handles(channel: string): boolean {
    return this.byChannel.has(channel);
  }

  /** Answer a collection call; throws NotFound for get/update/delete of an unknown id. */
  answer(ch: Channel, args: unknown): { value: unknown } {
    const { state, op } = this.byChannel.get(ch.name)!;
    this.seed(state);
    const def = state.def;
    const idOf = (item: unknown) => String(getPath(item, def.idField));
    const param = (which: string | undefined, fallback: number): unknown => {
      if (Array.isArray(args)) {
        if (which === undefined) return args[fallback];
        const idx = /^\d+$/.test(which) ? Number(which) : ch.params.style === 'positional' ? ch.params.list.findIndex((p) => p.name === which) : -1;
        return args[idx < 0 ? fallback : idx];
      }
      const obj = (args ?? {}) as Record<string, unknown>;
      if (which !== undefined) return obj[which];
      return Object.values(obj)[fallback];
    };
    const idArg = () => {
      const v = param(def.idParam, 0);
      return typeof v === 'object' && v !== null ? String(getPath(v, def.idField)) : String(v);
    };
    const returns = ch.returns;
    switch (op) {
      case 'list': {
        const items = [...state.items.values()].map((i) => structuredClone(i));
        if (!returns) return { value: items };
        const shell = this.generate(returns, `${ch.name}#shell`);
        const at = findArrayPath(shell);
        const value = at === undefined ? shell : at === '' ? items : setPath(shell, at, items);
        return { value: this.valid(returns, value) ? value : shell };
      }
      case 'get': {
        const item = state.items.get(idArg());
        if (item === undefined) throw new NotFound(`${def.name} ${idArg()} not found`);
        return { value: this.wrap(ch, item) };
      }
      case 'create':
      case 'upsert': {
        // Positional: the first arg is the input. Named (Tauri): the args object, or its one object-valued field.
        let input: unknown = param(undefined, 0);
        if (!Array.isArray(args) && typeof args === 'object' && args !== null) {
          const objs = Object.values(args).filter((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
          input = Object.keys(args).length === 1 && objs.length === 1 ? objs[0] : args;
        }
        // A created item gets an id no other item has (generators start with the schema's examples).
        let base = returns ? this.generate(returns, `${ch.name}#create`) : undefined;
        for (let i = 0; returns && op === 'create' && i < 20 && state.items.has(idOf(getPath(base, def.itemPath))); i++) {
          base = this.generate(returns, `${ch.name}#create`);
        }
        let item = returns ? getPath(base, def.itemPath) : input;
        item = this.overlay(returns, def.itemPath, base, item, input, op === 'create' ? def.idField : undefined);
        state.items.set(idOf(item), item);
        return { value: returns ? setPath(base, def.itemPath, item) : undefined };
      }
      case 'update': {
        const id = idArg();
        const item = state.items.get(id);
        if (item === undefined) throw new NotFound(`${def.name} ${id} not found`);
        const patch = Array.isArray(args) ? args.find((a, i) => i > 0 && typeof a === 'object') ?? args[0] : args;
        const next = this.overlay(returns, def.itemPath, returns ? setPath(this.generate(returns, `${ch.name}#u`), def.itemPath, item) : undefined, item, patch, def.idField);
        state.items.set(id, next);
        return { value: returns ? this.wrap(ch, next) : undefined };
      }
      case 'delete': {
        const id = idArg();
        const existed = state.items.delete(id);
        if (!existed) throw new NotFound(`${def.name} ${id} not found`);
        return { value: returns ? this.generate(returns, `${ch.name}#d`) : undefined };
      }
    }
  }

  private valid(node: SchemaNode, value: unknown): boolean {
    return this.pack.schemas.validate(node, value).valid;
  }

  private wrap(ch: Channel, item: unknown): unknown {
    const def = this.byChannel.get(ch.name)!.state.def;
    if (!ch.returns) return structuredClone(item);
    const shell = def.itemPath ? this.generate(ch.returns, `${ch.name}#shell`) : undefined;
    const value = setPath(shell, def.itemPath, structuredClone(item));
    return this.valid(ch.returns, value) ? value : shell ?? value;
  }

  /**
   * Lay `input`'s fields over `item`, one at a time, keeping a field only when the whole answer
   * still validates (the id stays the generated one when `keepField` names it).
   */
  private overlay(returns: SchemaNode | undefined, itemPath: string | undefined, whole: unknown, item: unknown, input: unknown, keepField?: string): unknown {
    if (typeof input !== 'object' || input === null || typeof item !== 'object' || item === null || Array.isArray(item)) return item;
    let cur = structuredClone(item) as Record<string, unknown>;
    for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
      if (k === keepField) continue;
      const next = { ...cur, [k]: structuredClone(v) };
      if (!returns || this.valid(returns, setPath(whole, itemPath, next))) cur = next;
    }
    return cur;
  }

  /** The collection starts with the items of one generated list answer, so a UI has something to show. */
  private seed(state: CollectionState): void {
    if (state.seeded) return;
    state.seeded = true;
    const list = state.def.list ? this.pack.byName.get(state.def.list) : undefined;
    if (!list?.returns) return;
    const value = this.generate(list.returns, `${list.name}#seed`);
    const at = findArrayPath(value);
    const items = at === undefined ? [] : (getPath(value, at || undefined) as unknown[]);
    for (const item of items) {
      const id = getPath(item, state.def.idField);
      if (id !== undefined && id !== null) state.items.set(String(id), item);
    }
  }
}
