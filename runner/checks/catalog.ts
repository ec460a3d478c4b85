// THE catalog of checks. Each check is a small pure function over the run's observations and the
// contract model; it never talks to the app. Ids are stable: reports, the fault table
// (runner/faults.ts) and the README table refer to them.
import type { Channel, Pack, SchemaNode, Stream } from '../../specs/model.ts';
import { compileGrammar, type CompiledGrammar } from '../../specs/grammar.ts';
import { isConformChannel, type CallObservation, type GroupObservation, type MainObservation, type StreamRun } from './observations.ts';
import type { CheckContext, CheckDefinition, CheckResult } from './types.ts';
import { atPath, brief, decode, sameEncoded, trimArgs } from './values.ts';
import { DEFAULT_SEVERITY, SECURITY_CHECKS } from '../security/checks.ts';

// ---------------------------------------------------------------- shared helpers

const ELECTRON_PREFIX = (channel: string) => `Error invoking remote method '${channel}': `;

function result(
  id: string,
  channel: string | null,
  status: CheckResult['status'],
  message: string,
  extra: Partial<CheckResult> = {},
): CheckResult {
  return { id, channel, status, message, ...extra };
}

function validate(pack: Pack, node: SchemaNode, encoded: unknown) {
  return pack.schemas.validate(node, decode(encoded));
}

function issuesText(issues: { path: string; message: string }[], max = 3): string {
  const shown = issues.slice(0, max).map((i) => `${i.path || '(root)'} ${i.message}`);
  return shown.join('; ') + (issues.length > max ? `; and ${issues.length - max} more` : '');
}

/** The schema as written, for `expected` in reports (refs stay refs). */
function schemaShown(node: SchemaNode): unknown {
  return { schema: node.schema, at: node.uri };
}
const SHOWN_SCHEMA = { schema: true } as const;

const sumMs = (calls: CallObservation[]) => Math.round(calls.reduce((s, c) => s + (c.durationMs || 0), 0) * 100) / 100;

function groupOf(ctx: CheckContext, channel: string): GroupObservation | undefined {
  return ctx.obs.groups.find((g) => g.channel === channel);
}

function callsOf(ctx: CheckContext, ch: Channel, roles: CallObservation['role'][]): CallObservation[] {
  const g = groupOf(ctx, ch.name);
  return g ? g.calls.filter((c) => c.channel === ch.name && roles.includes(c.role)) : [];
}

function calledChannels(pack: Pack): Channel[] {
  return pack.channels.filter((c) => c.kind === 'invoke' || c.kind === 'send');
}

/** 'ok' | reason the rejection is not the documented Electron shape. */
function rejectionShapeProblem(ch: Channel, call: CallObservation): string | null {
  if (ch.errors.style !== 'rejection') return null;
  const err = call.error;
  if (!err) return 'no error value';
  if (err.isError === false) return `rejected with a non-Error value (${brief(err.string)})`;
  // Electron sends String(err): a thrown plain object or string loses its message ("[object Object]").
  const thrown = call.handler?.error;
  if (thrown && thrown.isError === false) {
    return `the handler threw a non-Error ${thrown.name} (${brief(thrown.string, 80)}), so the renderer sees "${brief(err.message, 120)}"`;
  }
  const prefix = ELECTRON_PREFIX(ch.name);
  if (!err.message.startsWith(prefix)) {
    return `message does not start with "${prefix}" (rejected before reaching main, or by something else than ipcMain.handle)`;
  }
  if (ch.errors.message) {
    const rest = err.message.slice(prefix.length);
    let re: RegExp;
    try {
      re = new RegExp(ch.errors.message);
    } catch {
      return null; // the loader reports bad regexes; do not blame the app
    }
    if (!re.test(rest)) return `error text "${brief(rest, 120)}" does not match /${ch.errors.message}/`;
  }
  return null;
}

function matchesDiscriminator(value: unknown, disc: Record<string, unknown> | undefined): boolean {
  if (!disc) return false;
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(disc).every(([k, v]) => sameEncoded((value as Record<string, unknown>)[k], v));
}

const grammarCache = new Map<string, CompiledGrammar>();
function grammarOf(stream: Stream): CompiledGrammar | null {
  if (!stream.grammar) return null;
  let g = grammarCache.get(stream.grammar);
  if (!g) {
    g = compileGrammar(stream.grammar);
    grammarCache.set(stream.grammar, g);
  }
  return g;
}
/**
 * The grammar symbol of a stream event: its channel name, or, when the stream names a
 * `variantField`, the payload's variant (e.g. `type: progress`) so one channel can carry an order.
 */
export function streamSymbol(stream: Stream, ev: { channel: string; payload: unknown }): string {
  if (stream.variantField) {
    const v = atPath(decode(ev.payload), stream.variantField);
    if (typeof v === 'string') return v;
  }
  return ev.channel;
}

const hasTerminal = (g: CompiledGrammar) => g.alphabet.some((e) => g.isTerminal(e));

/** 'run' / 'abort run', plus the input when the stream was run with more than one. */
const runLabel = (run: StreamRun) => `${run.mode === 'abort' ? 'abort run' : 'run'}${run.input ? ` (input #${run.input})` : ''}`;

function streamOf(ctx: CheckContext, run: StreamRun): Stream | undefined {
  return ctx.pack.streams.find((s) => s.name === run.stream);
}

function streamResult(
  id: string,
  stream: Stream,
  status: CheckResult['status'],
  message: string,
  extra: Partial<CheckResult> = {},
): CheckResult {
  return { id, channel: stream.start, stream: stream.name, status, message, ...extra };
}

/** Stream runs with their stream definition; skipped runs yield a skipped result for `id` instead. */
function eachRun(
  ctx: CheckContext,
  id: string,
  mode: StreamRun['mode'],
  fn: (run: StreamRun, stream: Stream) => CheckResult | null,
): CheckResult[] {
  const out: CheckResult[] = [];
  for (const run of ctx.obs.streams) {
    if (run.mode !== mode) continue;
    const stream = streamOf(ctx, run);
    if (!stream) continue;
    if (run.skipped) {
      out.push(streamResult(id, stream, 'skipped', run.skipped));
      continue;
    }
    if (run.end === 'start-failed') {
      out.push(streamResult(id, stream, 'skipped', `the start call ${stream.start} did not resolve (${run.start.outcome}${run.start.error ? `: ${run.start.error.message}` : ''})`));
      continue;
    }
    const r = fn(run, stream);
    if (r) out.push(r);
  }
  return out;
}

/** Value a correlation rule's `equals` names: `param:<name|index>` or `result:<path>`. */
function correlationExpected(stream: Stream, ctx: CheckContext, run: StreamRun, equals: string): { found: boolean; value?: unknown } {
  const start = ctx.pack.byName.get(stream.start);
  const [kind, ...rest] = equals.split(':');
  const ref = rest.join(':');
  if (kind === 'param') {
    const [head, ...path] = ref.split('.');
    let index = Number.NaN;
    if (/^\d+$/.test(head!)) index = Number(head);
    else if (start && start.params.style === 'positional') index = start.params.list.findIndex((p) => p.name === head);
    if (!(index >= 0)) return { found: false };
    return { found: true, value: atPath(decode(run.start.args[index]), path.join('.')) };
  }
  if (kind === 'result') return { found: true, value: atPath(decode(run.start.value), ref) };
  return { found: false };
}

const registrations = (main: MainObservation[], kinds: string[]) =>
  main.filter((o) => o.kind === 'register' && kinds.includes(o.api ?? ''));

// ---------------------------------------------------------------- the checks

export const CHECKS: CheckDefinition[] = [
  {
    id: 'bridge.exists',
    title: 'The bridge method of the channel exists at its bridge path and is a function.',
    scope: 'channel',
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        if (!ch.bridge) continue;
        const found = ctx.obs.bridges[ch.bridge];
        if (found === undefined) {
          if (ctx.obs.notRun?.includes(ch.name)) continue;
          out.push(result('bridge.exists', ch.name, 'skipped', `bridge ${ch.bridge} was not probed`));
        } else if (found === 'function') {
          out.push(result('bridge.exists', ch.name, 'passed', `${ch.bridge} is a function`));
        } else {
          out.push(result('bridge.exists', ch.name, 'failed', `${ch.bridge} is ${found === 'undefined' ? 'missing' : `a ${found}, not a function`}`, {
            expected: `function at ${ch.bridge}`,
            actual: found,
          }));
        }
      }
      return out;
    },
  },
  {
    id: 'handler.registered',
    title: 'Main registered a handler (ipcMain.handle for invoke, ipcMain.on for send) for the channel.',
    scope: 'channel',
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of calledChannels(ctx.pack)) {
        const apis = ch.kind === 'invoke' ? ['handle', 'handleOnce'] : ['on', 'once'];
        const regs = registrations(ctx.obs.main, apis).filter((o) => o.channel === ch.name);
        if (regs.length > 0) {
          out.push(result('handler.registered', ch.name, 'passed', `registered with ipcMain.${regs[0]!.api}`));
        } else {
          const other = registrations(ctx.obs.main, ['handle', 'handleOnce', 'on', 'once']).find((o) => o.channel === ch.name);
          out.push(result('handler.registered', ch.name, 'failed',
            other ? `registered with ipcMain.${other.api}, but a ${ch.kind} channel needs ipcMain.${apis[0]}` : `no ipcMain.${apis[0]} registration for '${ch.name}'`, {
              expected: `ipcMain.${apis[0]}('${ch.name}', ...)`,
              actual: other ? `ipcMain.${other.api}('${ch.name}', ...)` : 'no registration',
            }));
        }
      }
      return out;
    },
  },
  {
    id: 'drift.undocumented-channel',
    title: 'Every channel main registers or sends on is in the pack (drift between app and contract); channels named `conform:*` (Conform\'s own) aside.',
    scope: 'run',
    run(ctx) {
      const seen = new Map<string, string>();
      for (const o of ctx.obs.main) {
        if (!o.channel || o.channel === '*' || isConformChannel(o.channel)) continue;
        if (o.kind === 'register') seen.set(o.channel, seen.get(o.channel) ?? `registered with ipcMain.${o.api}`);
        else if (o.kind === 'send') seen.set(o.channel, seen.get(o.channel) ?? `sent with ${o.api}`);
      }
      const out: CheckResult[] = [];
      for (const [channel, how] of seen) {
        if (ctx.pack.byName.has(channel)) continue;
        out.push(result('drift.undocumented-channel', channel, 'failed', `'${channel}' is ${how} but is not in pack ${ctx.pack.name}`, {
          expected: 'a channel documented in the pack',
          actual: `${channel} (${how})`,
        }));
      }
      if (out.length === 0) {
        out.push(result('drift.undocumented-channel', null, 'passed', `all ${seen.size} channels the app registered or sent on are documented`));
      }
      return out;
    },
  },
  {
    id: 'params.reach-handler',
    title: 'Valid params passed to the bridge method reach the main handler unchanged (same values, same order).',
    scope: 'channel',
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of calledChannels(ctx.pack)) {
        const calls = callsOf(ctx, ch, ['valid']).filter((c) => c.outcome !== 'no-bridge' && c.outcome !== 'skipped');
        if (calls.length === 0) {
          if (groupOf(ctx, ch.name)) out.push(result('params.reach-handler', ch.name, 'skipped', 'no valid call was made'));
          continue;
        }
        let bad: { call: CallObservation; why: string } | null = null;
        for (const call of calls) {
          if (!call.handler) {
            bad = { call, why: `the handler of '${ch.name}' was never called` };
            break;
          }
          if (!sameEncoded(trimArgs(call.args), trimArgs(call.handler.args))) {
            bad = { call, why: 'the handler received different args than the bridge method was given' };
            break;
          }
        }
        if (bad) {
          out.push(result('params.reach-handler', ch.name, 'failed', `valid input #${bad.call.index}: ${bad.why}`, {
            expected: trimArgs(bad.call.args),
            actual: bad.call.handler ? trimArgs(bad.call.handler.args) : 'no handler call',
            shapes: { expected: { node: ch.args }, actual: { node: ch.args } },
            durationMs: sumMs(calls),
          }));
        } else {
          out.push(result('params.reach-handler', ch.name, 'passed', `${calls.length} valid input(s) reached the handler unchanged`, { durationMs: sumMs(calls) }));
        }
      }
      return out;
    },
  },
  {
    id: 'returns.schema',
    title: 'For valid params the call resolves to a value matching the return schema (undefined for void).',
    scope: 'channel',
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        if (ch.kind !== 'invoke') continue;
        if (!ch.returns && !ch.returnsVoid) continue;
        const calls = callsOf(ctx, ch, ['valid']);
        const resolved = calls.filter((c) => c.outcome === 'resolved');
        if (resolved.length === 0) {
          if (groupOf(ctx, ch.name)) {
            const why = calls.length === 0 ? 'no valid call was made' : `no valid call resolved (${calls.map((c) => c.outcome).join(', ')})`;
            out.push(result('returns.schema', ch.name, 'skipped', why));
          }
          continue;
        }
        let failed: CheckResult | null = null;
        for (const call of resolved) {
          if (ch.returnsVoid) {
            if (decode(call.value) !== undefined) {
              failed = result('returns.schema', ch.name, 'failed', `valid input #${call.index}: resolved to a value but the channel returns void`, {
                expected: undefined, actual: call.value, shapes: ch.returns ? { actual: { node: ch.returns } } : undefined,
              });
              break;
            }
            continue;
          }
          const v = validate(ctx.pack, ch.returns!, call.value);
          if (v.valid) continue;
          if (ch.errors.style === 'result-union' && validate(ctx.pack, ch.errors.error, call.value).valid) continue;
          failed = result('returns.schema', ch.name, 'failed', `valid input #${call.index}: result does not match the return schema: ${issuesText(v.issues)}`, {
            expected: schemaShown(ch.returns!), actual: call.value, shapes: { expected: SHOWN_SCHEMA, actual: { node: ch.returns! } },
          });
          break;
        }
        const rejected = calls.length - resolved.length;
        out.push(failed
          ? { ...failed, durationMs: sumMs(calls) }
          : result('returns.schema', ch.name, 'passed', `${resolved.length} result(s) match${rejected ? ` (${rejected} valid call(s) did not resolve)` : ''}`, { durationMs: sumMs(calls) }));
      }
      return out;
    },
  },
  {
    id: 'call.valid-resolves',
    title: 'Valid calls that nothing can make fail resolve: channels with prerequisites in place, result-union channels (failures resolve), and channels without params.',
    scope: 'channel',
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        // Only where a valid input fully determines success: the contract sets the state up
        // (prerequisites), failures resolve (result union), or there is nothing to pass. A free
        // id without prerequisites may name nothing, and a documented rejection is then correct.
        if (ch.kind !== 'invoke') continue;
        const noParams = ch.params.style === 'none' || (ch.params.style === 'positional' && ch.params.list.length === 0);
        if (ch.prerequisites.length === 0 && ch.errors.style !== 'result-union' && !noParams) continue;
        const calls = callsOf(ctx, ch, ['valid']).filter((c) => c.outcome === 'resolved' || c.outcome === 'rejected');
        if (calls.length === 0) continue;
        const rejected = calls.find((c) => c.outcome === 'rejected');
        out.push(rejected
          ? result('call.valid-resolves', ch.name, 'failed', `valid input #${rejected.index} rejected: ${brief(rejected.error?.message, 200)}`, {
            expected: 'resolved', actual: { args: rejected.args, rejected: rejected.error?.message }, durationMs: sumMs(calls), shapes: { actual: { outcome: { args: ch.args } } },
          })
          : result('call.valid-resolves', ch.name, 'passed', `${calls.length} valid call(s) resolved`, { durationMs: sumMs(calls) }));
      }
      return out;
    },
  },
  {
    id: 'returns.union-branch',
    title: 'Result unions: the discriminator picks a branch and the value matches that branch (success or error).',
    scope: 'channel',
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        if (ch.errors.style !== 'result-union' || !ch.returns) continue;
        const errs = ch.errors;
        const resolved = callsOf(ctx, ch, ['valid', 'invalid']).filter((c) => c.outcome === 'resolved');
        if (resolved.length === 0) {
          if (groupOf(ctx, ch.name)) out.push(result('returns.union-branch', ch.name, 'skipped', 'no call resolved'));
          continue;
        }
        let failed: CheckResult | null = null;
        for (const call of resolved) {
          const value = decode(call.value);
          const isError = errs.discriminator ? matchesDiscriminator(value, errs.discriminator) : !validate(ctx.pack, ch.returns, call.value).valid;
          const node = isError ? errs.error : ch.returns;
          const v = validate(ctx.pack, node, call.value);
          if (!v.valid) {
            failed = result('returns.union-branch', ch.name, 'failed',
              `${call.role} input #${call.index}: the ${isError ? 'error' : 'success'} branch was picked${errs.discriminator ? ` (discriminator ${brief(errs.discriminator)})` : ''} but the value does not match it: ${issuesText(v.issues)}`, {
                expected: schemaShown(node), actual: call.value, shapes: { expected: SHOWN_SCHEMA, actual: { node } },
              });
            break;
          }
        }
        out.push(failed ?? result('returns.union-branch', ch.name, 'passed', `${resolved.length} result(s) match the branch their discriminator picks`));
      }
      return out;
    },
  },
  {
    id: 'errors.invalid-params-shape',
    title: 'Invalid params give the documented error: a rejection for `rejection`, the error branch for `result-union`.',
    scope: 'channel',
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        if (ch.kind !== 'invoke') continue;
        const made = callsOf(ctx, ch, ['invalid']);
        const calls = made.filter((c) => c.outcome === 'resolved' || c.outcome === 'rejected');
        if (calls.length === 0) {
          if (groupOf(ctx, ch.name) && ch.params.style !== 'none') {
            out.push(result('errors.invalid-params-shape', ch.name, 'skipped', made.length === 0
              ? 'no invalid input could be generated: the params schema accepts whatever the generator can send'
              : `no invalid input settled (${[...new Set(made.map((c) => c.outcome))].join(', ')})`));
          }
          continue;
        }
        const style = ch.errors.style;
        if (style !== 'rejection' && style !== 'result-union') {
          out.push(result('errors.invalid-params-shape', ch.name, 'skipped', `the contract states no error shape (style ${style})`));
          continue;
        }
        let failed: CheckResult | null = null;
        for (const call of calls) {
          const label = `invalid input #${call.index}${call.rule ? ` (${call.rule})` : ''}`;
          if (style === 'rejection' && call.outcome !== 'rejected') {
            failed = result('errors.invalid-params-shape', ch.name, 'failed', `${label}: resolved, but the contract says the call rejects`, {
              expected: `rejection "${ELECTRON_PREFIX(ch.name)}…"`, actual: { resolved: call.value }, durationMs: sumMs(calls), shapes: { actual: { outcome: { returns: ch.returns } } },
            });
            break;
          }
          if (style === 'result-union') {
            const errs = ch.errors as Extract<Channel['errors'], { style: 'result-union' }>;
            if (call.outcome !== 'resolved') {
              failed = result('errors.invalid-params-shape', ch.name, 'failed', `${label}: rejected, but the contract says failures resolve to the error branch`, {
                expected: schemaShown(errs.error), actual: { rejected: call.error?.message }, durationMs: sumMs(calls), shapes: { expected: SHOWN_SCHEMA, actual: { outcome: {} } },
              });
              break;
            }
            const value = decode(call.value);
            const picked = errs.discriminator ? matchesDiscriminator(value, errs.discriminator) : true;
            const v = validate(ctx.pack, errs.error, call.value);
            if (!picked || !v.valid) {
              failed = result('errors.invalid-params-shape', ch.name, 'failed',
                `${label}: resolved to ${picked ? 'a value that does not match the error branch' : 'a success value'} (${picked ? issuesText(v.issues) : `discriminator ${brief(errs.discriminator)} not met`})`, {
                  expected: schemaShown(errs.error), actual: call.value, durationMs: sumMs(calls), shapes: { expected: SHOWN_SCHEMA, actual: { node: ch.returns ?? errs.error } },
                });
              break;
            }
          }
        }
        out.push(failed ?? result('errors.invalid-params-shape', ch.name, 'passed', `${calls.length} invalid input(s) gave the documented ${style} error`, { durationMs: sumMs(calls) }));
      }
      return out;
    },
  },
  {
    id: 'errors.documented-shape',
    title: "Every failure has the documented shape: Electron's `Error invoking remote method '<channel>': ` prefix (+ message regex) for `rejection`; no rejection at all for `result-union`.",
    scope: 'channel',
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        if (ch.kind !== 'invoke') continue;
        const style = ch.errors.style;
        if (style !== 'rejection' && style !== 'result-union') continue;
        const calls = callsOf(ctx, ch, ['valid', 'invalid']);
        const rejected = calls.filter((c) => c.outcome === 'rejected');
        if (rejected.length === 0) {
          if (groupOf(ctx, ch.name) && calls.length > 0) out.push(result('errors.documented-shape', ch.name, 'passed', 'no call rejected'));
          continue;
        }
        let failed: CheckResult | null = null;
        for (const call of rejected) {
          const label = `${call.role} input #${call.index}`;
          if (style === 'result-union') {
            failed = result('errors.documented-shape', ch.name, 'failed', `${label}: the call rejected, but the contract documents a result union (failures resolve)`, {
              expected: 'resolved value (success or error branch)', actual: { rejected: call.error?.message },
            });
            break;
          }
          const problem = rejectionShapeProblem(ch, call);
          if (problem) {
            failed = result('errors.documented-shape', ch.name, 'failed', `${label}: ${problem}`, {
              expected: `${ELECTRON_PREFIX(ch.name)}${ch.errors.style === 'rejection' && ch.errors.message ? `/${ch.errors.message}/` : '<String(err)>'}`,
              actual: call.error?.message,
            });
            break;
          }
        }
        out.push(failed ?? result('errors.documented-shape', ch.name, 'passed', `${rejected.length} rejection(s) have the documented shape`));
      }
      return out;
    },
  },
  {
    id: 'call.settles',
    title: 'Every call settles (resolves or rejects) within the per-call timeout: no hung handler.',
    scope: 'channel',
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        if (ch.kind !== 'invoke') continue;
        const g = groupOf(ctx, ch.name);
        if (!g) continue;
        const calls = g.calls.filter((c) => c.channel === ch.name && (c.role === 'valid' || c.role === 'invalid'));
        const hung = calls.filter((c) => c.outcome === 'timeout');
        if (calls.length === 0) continue;
        out.push(hung.length
          ? result('call.settles', ch.name, 'failed', `${hung.length} of ${calls.length} call(s) did not settle (first: ${hung[0]!.role} input #${hung[0]!.index} after ${Math.round(hung[0]!.durationMs)} ms)`, {
            expected: 'settled within the call timeout', actual: hung.map((c) => ({ role: c.role, index: c.index, waitedMs: Math.round(c.durationMs) })),
          })
          : result('call.settles', ch.name, 'passed', `${calls.length} call(s) settled`, { durationMs: sumMs(calls) }));
      }
      return out;
    },
  },
  {
    id: 'app.survives',
    title: 'After the channel group (valid and invalid params) main and renderer still answer and main logged no uncaught exception or unhandled rejection.',
    scope: 'channel',
    run(ctx) {
      const out: CheckResult[] = [];
      for (const g of ctx.obs.groups) {
        if (g.skipped && !g.crash) continue;
        const problems: string[] = [];
        if (g.crash && !g.crash.cleanExit) {
          problems.push(`${g.crash.reason}${g.crash.exitCode != null ? ` (exit code ${g.crash.exitCode})` : ''}${g.crash.signal ? ` (signal ${g.crash.signal})` : ''}`);
        }
        if (!g.crash && !g.mainAlive) problems.push('main did not answer');
        if (!g.crash && !g.rendererAlive) problems.push('renderer did not answer');
        for (const e of g.mainErrors) problems.push(`${e.kind} in main: ${e.error?.string ?? '?'}`);
        if (g.crash?.cleanExit && problems.length === 0) {
          out.push(result('app.survives', g.channel, 'skipped', `the app quit cleanly during the group (${g.crash.reason}); it was relaunched`));
        } else if (problems.length) {
          out.push(result('app.survives', g.channel, 'failed', problems.join('; '), {
            expected: 'main and renderer alive, no uncaught errors in main',
            actual: { problems, stderrTail: g.crash?.stderrTail },
          }));
        } else {
          out.push(result('app.survives', g.channel, 'passed', 'main and renderer alive, no uncaught errors'));
        }
      }
      return out;
    },
  },
  {
    id: 'latency.budget',
    title: 'Each valid call settles within the channel\'s `budgetMs` (round trip measured in the renderer).',
    scope: 'channel',
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        if (ch.kind !== 'invoke' || ch.budgetMs === undefined) continue;
        const calls = callsOf(ctx, ch, ['valid']).filter((c) => c.outcome === 'resolved' || c.outcome === 'rejected' || c.outcome === 'timeout');
        if (calls.length === 0) continue;
        const slowest = calls.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
        const ms = Math.round(slowest.durationMs * 10) / 10;
        out.push(slowest.durationMs > ch.budgetMs
          ? result('latency.budget', ch.name, 'failed', `valid input #${slowest.index} took ${ms} ms, budget ${ch.budgetMs} ms`, {
            expected: `<= ${ch.budgetMs} ms`, actual: `${ms} ms`, durationMs: sumMs(calls),
          })
          : result('latency.budget', ch.name, 'passed', `slowest of ${calls.length}: ${ms} ms (budget ${ch.budgetMs} ms)`, { durationMs: sumMs(calls) }));
      }
      return out;
    },
  },
  {
    id: 'event.payload-schema',
    title: 'Every payload main sent on a documented event channel during the run matches its payload schema.',
    scope: 'channel',
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        if (ch.kind !== 'event' || !ch.payload) continue;
        const sends = ctx.obs.main.filter((o) => o.kind === 'send' && o.channel === ch.name);
        if (sends.length === 0) {
          out.push(result('event.payload-schema', ch.name, 'skipped', 'the app sent no event on this channel during the run'));
          continue;
        }
        let failed: CheckResult | null = null;
        for (const s of sends) {
          const payload = (s.args ?? [])[0];
          const v = validate(ctx.pack, ch.payload, payload);
          if (!v.valid) {
            failed = result('event.payload-schema', ch.name, 'failed', `payload does not match: ${issuesText(v.issues)}`, {
              expected: schemaShown(ch.payload), actual: payload, shapes: { expected: SHOWN_SCHEMA, actual: { node: ch.payload } },
            });
            break;
          }
        }
        out.push(failed ?? result('event.payload-schema', ch.name, 'passed', `${sends.length} payload(s) match`));
      }
      return out;
    },
  },
  {
    id: 'window.posture',
    title: "Every window's effective webPreferences (contextIsolation, sandbox, nodeIntegration, webSecurity, allowRunningInsecureContent) equal what the pack declares.",
    scope: 'run',
    run(ctx) {
      const declared = ctx.pack.window;
      if (!declared) return [];
      const keys = (['contextIsolation', 'sandbox', 'nodeIntegration', 'webSecurity', 'allowRunningInsecureContent'] as const)
        .filter((k) => declared[k] !== undefined);
      if (keys.length === 0) return [];
      const wins = ctx.obs.windows.filter((w) => w.prefsKnown);
      if (wins.length === 0) return [result('window.posture', null, 'skipped', 'no window with readable webPreferences was observed')];
      const expected = Object.fromEntries(keys.map((k) => [k, declared[k]]));
      for (const w of wins) {
        const wrong = keys.filter((k) => w.effective[k] !== declared[k]);
        if (wrong.length) {
          return [result('window.posture', null, 'failed', `window ${w.webContentsId}: ${wrong.map((k) => `${k} is ${w.effective[k]}, pack says ${declared[k]}`).join('; ')}`, {
            expected, actual: Object.fromEntries(keys.map((k) => [k, w.effective[k]])),
          })];
        }
      }
      return [result('window.posture', null, 'passed', `${wins.length} window(s) match ${keys.join(', ')}`)];
    },
  },
  // ---------------------------------------------------------------- streams
  {
    id: 'stream.payload-schema',
    title: 'Every event of a stream run matches its channel\'s payload schema.',
    scope: 'stream',
    run(ctx) {
      return [...eachRun(ctx, 'stream.payload-schema', 'run', check), ...eachRun(ctx, 'stream.payload-schema', 'abort', check)];
      function check(run: StreamRun, stream: Stream): CheckResult | null {
        for (const ev of run.events) {
          const node = ctx.pack.byName.get(ev.channel)?.payload;
          if (!node) continue;
          const v = validate(ctx.pack, node, ev.payload);
          if (!v.valid) {
            return streamResult('stream.payload-schema', stream, 'failed', `${runLabel(run)}: event ${ev.channel} at ${Math.round(ev.atMs)} ms does not match: ${issuesText(v.issues)}`, {
              expected: schemaShown(node), actual: ev.payload, shapes: { expected: SHOWN_SCHEMA, actual: { node } },
            });
          }
        }
        return streamResult('stream.payload-schema', stream, 'passed', `${runLabel(run)}: ${run.events.length} event(s) match`);
      }
    },
  },
  {
    id: 'stream.ordering',
    title: 'The events of a stream run follow the ordering grammar (and form a complete word when the stream ended).',
    scope: 'stream',
    run(ctx) {
      return [...eachRun(ctx, 'stream.ordering', 'run', check), ...eachRun(ctx, 'stream.ordering', 'abort', check)];
      function check(run: StreamRun, stream: Stream): CheckResult | null {
        const g = grammarOf(stream);
        if (!g) return null;
        const m = g.start();
        // Events after the end count too: a token that overtakes `done` breaks the order.
        const names = [...run.events, ...run.afterEnd].map((e) => streamSymbol(stream, e));
        for (const n of names) if (m.feed(n) === 'reject') break;
        if (m.status === 'reject') {
          const at = m.violationIndex;
          return streamResult('stream.ordering', stream, 'failed', `${runLabel(run)}: event #${at} '${names[at]}' breaks "${g.source}"; expected one of ${m.expected.join(', ') || '(end of stream)'}`, {
            expected: { grammar: g.source, allowedAt: at, allowed: m.expected },
            actual: names,
          });
        }
        const ended = run.end === 'terminal' || run.end === 'call-settled' || run.end === 'quiet';
        if (ended && run.mode === 'run') {
          const e = m.end();
          if (!e.ok) {
            return streamResult('stream.ordering', stream, 'failed', `${runLabel(run)}: the stream ended (${run.end}) after ${names.length} event(s) but the grammar expects more: one of ${e.expected.join(', ')}`, {
              expected: { grammar: g.source, next: e.expected }, actual: names,
            });
          }
        }
        return streamResult('stream.ordering', stream, 'passed', `${runLabel(run)}: ${names.length} event(s) follow "${g.source}"`);
      }
    },
  },
  {
    id: 'stream.first-event',
    title: 'The first event of a stream arrives within `budget.firstEventMs` after the start call.',
    scope: 'stream',
    run(ctx) {
      const withRun = new Set(ctx.obs.streams.filter((r) => r.mode === 'run').map((r) => r.stream));
      const body = (run: StreamRun, stream: Stream): CheckResult | null => {
        const budget = stream.budget?.firstEventMs;
        if (budget === undefined) return null;
        const first = run.events[0];
        if (!first) {
          const g = grammarOf(stream);
          if (g && g.accepts([])) return streamResult('stream.first-event', stream, 'passed', 'no event, and the grammar allows an empty stream');
          return streamResult('stream.first-event', stream, 'failed', `no event within ${Math.round(run.durationMs)} ms (budget ${budget} ms)`, {
            expected: `first event <= ${budget} ms`, actual: 'no event',
          });
        }
        return first.atMs <= budget
          ? streamResult('stream.first-event', stream, 'passed', `first event after ${Math.round(first.atMs)} ms (budget ${budget} ms)`)
          : streamResult('stream.first-event', stream, 'failed', `first event after ${Math.round(first.atMs)} ms, budget ${budget} ms`, {
            expected: `<= ${budget} ms`, actual: `${Math.round(first.atMs)} ms`,
          });
      };
      // Streams that never end by themselves are only run in abort mode: judge that run.
      return [...eachRun(ctx, 'stream.first-event', 'run', body),
        ...eachRun(ctx, 'stream.first-event', 'abort', (run, stream) => (withRun.has(run.stream) ? null : body(run, stream)))];
    },
  },
  {
    id: 'stream.terminates',
    title: 'A stream ends by itself (terminal event, or the start call settling) within `budget.totalMs` or the stream timeout.',
    scope: 'stream',
    run(ctx) {
      return eachRun(ctx, 'stream.terminates', 'run', (run, stream) => {
        const g = grammarOf(stream);
        if (stream.end === 'grammar' && g && !hasTerminal(g)) {
          return streamResult('stream.terminates', stream, 'skipped', `"${g.source}" has no terminal event: the stream runs until aborted`);
        }
        const total = stream.budget?.totalMs;
        if (run.end === 'timeout') {
          return streamResult('stream.terminates', stream, 'failed', `no end after ${Math.round(run.durationMs)} ms (${stream.end === 'grammar' ? `no terminal event among ${run.events.length} event(s)` : 'the start call did not settle'})`, {
            expected: stream.end === 'grammar' && g ? `a terminal event (${g.alphabet.filter((e) => g.isTerminal(e)).join(' | ')})` : 'the start call settles',
            actual: run.events.map((e) => e.channel),
            durationMs: run.durationMs,
          });
        }
        if (total !== undefined && run.durationMs > total) {
          return streamResult('stream.terminates', stream, 'failed', `ended after ${Math.round(run.durationMs)} ms, budget ${total} ms`, {
            expected: `<= ${total} ms`, actual: `${Math.round(run.durationMs)} ms`, durationMs: run.durationMs,
          });
        }
        return streamResult('stream.terminates', stream, 'passed', `ended (${run.end}) after ${Math.round(run.durationMs)} ms with ${run.events.length} event(s)`, { durationMs: run.durationMs });
      });
    },
  },
  {
    id: 'stream.no-event-after-terminal',
    title: 'No event of the stream arrives after its terminal event (or after the start call settled, for `end: call-settles`).',
    scope: 'stream',
    run(ctx) {
      return eachRun(ctx, 'stream.no-event-after-terminal', 'run', (run, stream) => {
        if (run.end !== 'terminal' && run.end !== 'call-settled') return null;
        if (run.afterEnd.length === 0) {
          return streamResult('stream.no-event-after-terminal', stream, 'passed', `nothing after the end (${run.end})`);
        }
        const last = run.events[run.events.length - 1];
        return streamResult('stream.no-event-after-terminal', stream, 'failed', `${run.afterEnd.length} event(s) after the end (${run.end === 'terminal' ? `terminal ${last?.channel}` : 'start call settled'}): ${run.afterEnd.slice(0, 3).map((e) => e.channel).join(', ')}`, {
          expected: run.events.map((e) => e.channel),
          actual: [...run.events, ...run.afterEnd].map((e) => e.channel),
        });
      });
    },
  },
  {
    id: 'stream.correlation',
    title: 'Correlation fields of stream events equal the request value the contract names (param or result).',
    scope: 'stream',
    run(ctx) {
      return [...eachRun(ctx, 'stream.correlation', 'run', check), ...eachRun(ctx, 'stream.correlation', 'abort', check)];
      function check(run: StreamRun, stream: Stream): CheckResult | null {
        if (stream.correlation.length === 0) return null;
        let checked = 0;
        for (const rule of stream.correlation) {
          const exp = correlationExpected(stream, ctx, run, rule.equals);
          if (!exp.found) return streamResult('stream.correlation', stream, 'skipped', `cannot resolve '${rule.equals}' on the start call`);
          for (const ev of run.events) {
            if (rule.event !== '*' && rule.event !== ev.channel) continue;
            checked++;
            const got = atPath(decode(ev.payload), rule.field);
            if (!sameEncoded(got, exp.value)) {
              return streamResult('stream.correlation', stream, 'failed', `${runLabel(run)}: ${ev.channel}.${rule.field} is ${brief(got)}, expected ${brief(exp.value)} (${rule.equals})`, {
                expected: exp.value, actual: got,
              });
            }
          }
        }
        return streamResult('stream.correlation', stream, checked ? 'passed' : 'skipped', checked ? `${runLabel(run)}: ${checked} correlated field(s) match` : `${runLabel(run)}: no event to correlate`);
      }
    },
  },
  {
    id: 'stream.abort',
    title: 'The abort call ends a running stream with the documented terminal event (a stream that has none goes quiet), and no event follows.',
    scope: 'stream',
    run(ctx) {
      return eachRun(ctx, 'stream.abort', 'abort', (run, stream) => {
        if (!stream.abort || !run.abort) return null;
        if (run.abort.endedBeforeAbort) {
          return streamResult('stream.abort', stream, 'skipped', 'the stream ended before the abort call could be sent');
        }
        const after = run.events.filter((e) => e.atMs >= run.abort!.sentAtMs);
        const terminalName = stream.abort.terminal;
        const g = grammarOf(stream);
        const lastAfter = after[after.length - 1];
        const isTerminal = (name: string) => (terminalName ? name === terminalName : !!g && g.isTerminal(name));
        const actual = { afterAbort: after.map((e) => e.channel), afterEnd: run.afterEnd.map((e) => e.channel), end: run.end };
        const expected = `${terminalName ?? 'a terminal event'} after ${stream.abort.call}, then nothing`;
        if (run.abort.call.outcome === 'timeout') {
          return streamResult('stream.abort', stream, 'failed', `the abort call ${stream.abort.call} did not settle`, { expected, actual });
        }
        // A stream with no terminal event at all (a watch: `changed*`) ends by going quiet.
        if (!terminalName && !(g && g.alphabet.some((e) => g.isTerminal(e)))) {
          if (run.end === 'quiet' && run.afterEnd.length === 0) {
            return streamResult('stream.abort', stream, 'passed', `${stream.abort.call} stopped the stream (${after.length} event(s) after it, then quiet)`);
          }
          return streamResult('stream.abort', stream, 'failed', `events kept coming after ${stream.abort.call} (end: ${run.end}${run.afterEnd.length ? `, ${run.afterEnd.length} after it went quiet` : ''})`, {
            expected: `no event soon after ${stream.abort.call}`, actual,
          });
        }
        if (!after.some((e) => isTerminal(e.channel))) {
          return streamResult('stream.abort', stream, 'failed', `no ${terminalName ?? 'terminal event'} after ${stream.abort.call} (${after.length} event(s) after it, end: ${run.end})`, { expected, actual });
        }
        if (run.end === 'timeout' || run.afterEnd.length > 0 || (lastAfter && !isTerminal(lastAfter.channel))) {
          return streamResult('stream.abort', stream, 'failed', `events kept coming after ${stream.abort.call}${run.afterEnd.length ? ` (${run.afterEnd.length} after the terminal event)` : ''}; last: ${lastAfter?.channel ?? run.afterEnd[0]?.channel}`, { expected, actual });
        }
        return streamResult('stream.abort', stream, 'passed', `${stream.abort.call} ended the stream with ${lastAfter!.channel} after ${Math.round(lastAfter!.atMs - run.abort.sentAtMs)} ms`);
      });
    },
  },
  {
    id: 'stream.quiet-after-cleanup',
    title: 'After a group that starts or stops a stream as a fixture has cleaned up (stop, kill, delete), no stream event about that fixture arrives any more.',
    scope: 'channel',
    run(ctx) {
      const out: CheckResult[] = [];
      for (const g of ctx.obs.groups) {
        if (!g.lingering) continue;
        const { events, windowMs, wantedMs, fixtureValues } = g.lingering;
        if (!events.length && windowMs < wantedMs) {
          out.push(result('stream.quiet-after-cleanup', g.channel, 'skipped', `the app went away ${windowMs} ms into the ${wantedMs} ms quiet window after cleanup`));
          continue;
        }
        out.push(events.length
          ? result('stream.quiet-after-cleanup', g.channel, 'failed', `${events.length} event(s) about ${fixtureValues.map((v) => brief(v)).join(', ')} in the ${windowMs} ms after cleanup (first: ${events[0]!.channel}): something it started is still running`, {
            expected: 'no event after cleanup', actual: events.slice(0, 5), shapes: { actual: { events: true } },
          })
          : result('stream.quiet-after-cleanup', g.channel, 'passed', `no event about the fixture in the ${windowMs} ms after cleanup`));
      }
      return out;
    },
  },
  // ---------------------------------------------------------------- security (runner/security/checks.ts)
  ...SECURITY_CHECKS,
];

export const CHECK_IDS = CHECKS.map((c) => c.id);

/** Run every check of the catalog (or those whose id passes `filter`). */
export function runChecks(ctx: CheckContext, filter?: (id: string) => boolean): CheckResult[] {
  const out: CheckResult[] = [];
  for (const check of CHECKS) {
    if (filter && !filter(check.id)) continue;
    try {
      // Security findings carry a severity; checks defined elsewhere get their default one.
      out.push(...check.run(ctx).map((r) => (r.status === 'failed' && !r.severity && DEFAULT_SEVERITY[r.id] ? { ...r, severity: DEFAULT_SEVERITY[r.id] } : r)));
    } catch (err) {
      out.push(result(check.id, null, 'failed', `check crashed: ${(err as Error).message}`));
    }
  }
  return out;
}

/** Results ordered by the pack's channel order (run-wide results last), check order kept inside. */
export function orderResults(pack: Pack, results: CheckResult[]): CheckResult[] {
  const rank = new Map(pack.channels.map((c, i) => [c.name, i]));
  return results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (rank.get(a.r.channel ?? '') ?? 1e9) - (rank.get(b.r.channel ?? '') ?? 1e9) || a.i - b.i)
    .map((x) => x.r);
}
