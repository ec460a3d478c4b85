// `conform spec ...`: lint, list and sample contract packs.
import type { Command } from 'commander';
import { closeNames, loadPack } from '../specs/loader.ts';
import type { Channel, Pack, SchemaNode, SchemaStore } from '../specs/model.ts';
import { isUserError, oneParagraph, UsageError } from './errors.ts';

/** The generator's API (specs/generate.ts), imported when `spec sample` runs. */
interface GeneratorModule {
  generateValid(node: SchemaNode, store: SchemaStore, opts: { seed: number; count?: number }): unknown[];
  generateInvalid(
    node: SchemaNode,
    store: SchemaStore,
    opts: { seed: number },
  ): { rule: string; path: string; value: unknown; description: string }[];
}

export function register(program: Command): void {
  const spec = program.command('spec').description('Check, list and sample contract packs');

  spec
    .command('lint')
    .description('Load and check packs (names under specs/packs, or folders); one line per pack; exit 2 if any fails')
    .argument('<pack...>', 'pack names or pack folders')
    .action(async (packs: string[]) => {
      let failed = 0;
      const width = Math.max(...packs.map((p) => packLabel(p).length));
      for (const p of packs) {
        const label = packLabel(p).padEnd(width);
        try {
          const pack = await loadPack(p);
          process.stdout.write(`${label}  ${summary(pack)}  OK\n`);
        } catch (err) {
          if (!isUserError(err)) throw err;
          failed++;
          process.stdout.write(`${label}  FAIL  ${oneParagraph(err.message)}\n`);
        }
      }
      if (failed) process.exitCode = 2;
    });

  spec
    .command('list')
    .description('List the channels of a pack')
    .argument('<pack>', 'pack name or folder')
    .option('--json', 'print a JSON array of { name, kind, bridge }')
    .action(async (packName: string, opts: { json?: boolean }) => {
      const pack = await loadPack(packName);
      if (opts.json) {
        const rows = pack.channels.map((c) => ({ name: c.name, kind: c.kind, bridge: c.bridge }));
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const rows = pack.channels.map((c) => [
        c.name,
        c.kind,
        c.bridge ?? '-',
        c.definedIn === pack.name ? '' : `(from ${c.definedIn})`,
      ]);
      process.stdout.write(table([['CHANNEL', 'KIND', 'BRIDGE', ''], ...rows]));
      process.stdout.write(`${summary(pack)}\n`);
    });

  spec
    .command('sample')
    .description("Print generated args for a channel (with --invalid: invalid variants and the rule each breaks)")
    .argument('<pack>', 'pack name or folder')
    .argument('<channel>', 'channel name')
    .option('--invalid', 'print invalid variants, each with the rule it breaks')
    .option('--seed <n>', 'seed for the generator (same seed, same values)', '1')
    .option('--count <n>', 'number of valid samples', '5')
    .action(async (packName: string, channelName: string, opts: { invalid?: boolean; seed: string; count: string }) => {
      const seed = intOption('--seed', opts.seed);
      const count = intOption('--count', opts.count, 1);
      const pack = await loadPack(packName);
      const channel = findChannel(pack, channelName);
      const gen = await loadGenerator();
      const store = pack.schemas;
      if (channel.params.style === 'none') {
        process.stdout.write(`${channel.name} takes no params: its args are always [].\n`);
        if (!opts.invalid) return;
      }
      if (!opts.invalid) {
        for (const value of gen.generateValid(channel.args, store, { seed, count })) {
          process.stdout.write(`${show(value)}\n`);
        }
        return;
      }
      const variants = gen.generateInvalid(channel.args, store, { seed });
      for (const v of variants) {
        process.stdout.write(`${v.rule}  at ${v.path || '(root)'}: ${v.description}\n  ${show(v.value)}\n`);
      }
      process.stdout.write(`${variants.length} invalid variant(s) of ${channel.name} args (seed ${seed})\n`);
    });
}

function packLabel(p: string): string {
  return p.replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? p;
}

function summary(pack: Pack): string {
  const events = pack.channels.filter((c) => c.kind === 'event').length;
  const calls = pack.channels.length - events;
  const included = pack.channels.filter((c) => c.definedIn !== pack.name).length;
  return (
    `${pack.transport.padEnd(8)}  ${pack.channels.length} channels (${calls} calls, ${events} events` +
    `${included ? `, ${included} included` : ''}), ${pack.streams.length} streams`
  );
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd() + '\n').join('');
}

function intOption(flag: string, raw: string, min = 0): number {
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} takes an integer${min ? ` of at least ${min}` : ''}, got "${raw}".`);
  }
  return n;
}

export function findChannel(pack: Pack, name: string): Channel {
  const ch = pack.byName.get(name);
  if (ch) return ch;
  const close = closeNames(name, [...pack.byName.keys()]);
  throw new UsageError(
    `Pack "${pack.name}" has no channel "${name}".` +
      (close.length ? ` Did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : '') +
      ` Run \`conform spec list ${pack.name}\` to see its ${pack.channels.length} channels.`,
  );
}

async function loadGenerator(): Promise<GeneratorModule> {
  // Imported lazily so `lint` and `list` never pay for faker.
  const path = '../specs/generate.ts';
  try {
    return (await import(path)) as GeneratorModule;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes('generate.ts')) {
      throw new UsageError('The value generator (specs/generate.ts) is not in this checkout yet, so `spec sample` cannot run.');
    }
    throw err;
  }
}

/** JSON, but showing what JSON cannot: undefined, NaN, Infinity, -0, bigint. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const marks = new Map<string, string>();
  const text = JSON.stringify(value, (_k, v: unknown) => {
    let repr: string | undefined;
    if (v === undefined) repr = 'undefined';
    else if (typeof v === 'number' && !Number.isFinite(v)) repr = String(v);
    else if (typeof v === 'number' && Object.is(v, -0)) repr = '-0';
    else if (typeof v === 'bigint') repr = `${v}n`;
    if (repr === undefined) return v;
    const mark = `\u0000${marks.size}\u0000`;
    marks.set(mark, repr);
    return mark;
  });
  return text.replace(/"\\u0000(\d+)\\u0000"/g, (_m, i: string) => marks.get(`\u0000${i}\u0000`) ?? 'undefined');
}
