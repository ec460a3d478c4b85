// THE catalog of checks. Each check is a small pure function over the run's observations and the
// contract model; it never talks to the app. Ids are stable: reports, the fault table
// (runner/faults.ts) and the README table refer to them.
import { isRequestChannel, type Channel, type Pack, type SchemaNode, type Stream } from '../../specs/model.ts';
import { compileGrammar, type CompiledGrammar } from '../../specs/grammar.ts';
import { isConformChannel, type CallObservation, type GroupObservation, type MainObservation, type StreamRun } from './observations.ts';
import { openness } from './coverage.ts';
import type { CheckContext, CheckDefinition, CheckResult, Severity } from './types.ts';
import { atPath, brief, decode, sameEncoded, trimArgs } from './values.ts';
import { assumedText, assumptionNotes, judgeValue } from './verdict.ts';
import { DEFAULT_RISK, SECURITY_CHECKS } from '../security/checks.ts';

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

/** Why main's side was never observed (no launch got far enough), or undefined when it was. */
function mainUnobserved(ctx: CheckContext): string | undefined {
  const l = ctx.obs.launch;
  if (ctx.obs.main.length > 0 || !l || (!l.gaveUp && !l.interrupted)) return undefined;
  return `not run: main was never observed (${l.gaveUp ?? 'the run was interrupted'})`;
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
    if (run.prerequisiteFailed) {
      const p = run.prerequisiteFailed;
      out.push(streamResult(id, stream, 'blocked', `blocked: prerequisite ${p.channel} failed (${prerequisiteFailure(ctx, p)})`, {
        blockedBy: { id: 'fixture.prerequisite', channel: stream.start, message: `prerequisite ${p.channel} failed` },
      }));
      continue;
    }
    if (run.skipped) {
      out.push(streamResult(id, stream, 'skipped', run.skipped));
      continue;
    }
    if (run.end === 'start-failed') {
      out.push(streamResult(id, stream, 'skipped', `the start call ${stream.start} did not resolve (${run.start.outcome}${run.start.error ? `: ${run.start.error.message}` : ''})`));
      continue;
    }
    const r = fn(run, stream);
    // A failed stream check names the input its start call was made with.
    if (r) out.push(r.status === 'failed' && r.input === undefined ? { ...r, input: run.start.args } : r);
  }
  return out;
}

/** Value a correlation rule's `equals` names: `param:<name|index>` or `result:<path>`, from the run's start call. */
export function correlationExpected(stream: Stream, pack: Pack, run: Pick<StreamRun, 'start'>, equals: string): { found: boolean; value?: unknown } {
  const start = pack.byName.get(stream.start);
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

/** Electron resolves a void call with undefined; Tauri serializes Rust's `()` as null. */
const isVoidValue = (pack: Pack, v: unknown) => v === undefined || (pack.transport === 'tauri' && v === null);

/** Tauri `Result<T, String>`: the call rejects with a bare string; why a rejection is not that. */
function tauriStringProblem(call: CallObservation): string | null {
  const err = call.error;
  if (!err) return 'no error value';
  return err.isError === false && err.name === 'string' ? null : `rejected with ${err.isError ? `an ${err.name} object` : `a ${err.name}`} (${brief(err.string, 120)}), not a bare string`;
}

/** A result-union answer on its error branch (the discriminator says so, or only the error schema fits). */
function isErrorBranch(ctx: CheckContext, ch: Channel, encoded: unknown): boolean {
  if (ch.errors.style !== 'result-union') return false;
  if (ch.errors.discriminator) return matchesDiscriminator(decode(encoded), ch.errors.discriminator);
  return validate(ctx.pack, ch.errors.error, encoded).valid && !(ch.returns && validate(ctx.pack, ch.returns, encoded).valid);
}

/**
 * How a resolved value fits what the channel can answer (its return schema's documented
 * constraints, or its error branch): `fits`; `shape` when it breaks the answer at its root (another
 * type, a missing required field: a string channel answering an envelope object); `deep` when only
 * nested values break it (an app echoing an invalid input back in a well-formed answer).
 */
function answerFit(ctx: CheckContext, ch: Channel, encoded: unknown): 'fits' | 'shape' | 'deep' {
  if (ch.errors.style === 'result-union' && validate(ctx.pack, ch.errors.error, encoded).valid) return 'fits';
  if (ch.returnsVoid) return isVoidValue(ctx.pack, decode(encoded)) ? 'fits' : 'shape';
  if (!ch.returns) return 'fits';
  const hard = judgeValue(ctx.pack, ch.returns, encoded).hard;
  if (hard.length === 0) return 'fits';
  return hard.some((i) => i.path === '') ? 'shape' : 'deep';
}

/** Why a prerequisite call failed (rejected, timed out, error branch, not made), or null when it succeeded. */
export function prerequisiteFailure(ctx: CheckContext, call: CallObservation): string | null {
  if (call.outcome === 'resolved') {
    const ch = ctx.pack.byName.get(call.channel);
    return ch && isErrorBranch(ctx, ch, call.value) ? `answered with the error branch: ${brief(call.value, 160)}` : null;
  }
  if (call.outcome === 'rejected') return `rejected: ${brief(call.error?.message, 200)}`;
  if (call.outcome === 'timeout') return `did not settle within ${Math.round(call.durationMs)} ms`;
  return `not made (${call.outcome}${call.note ? `: ${call.note}` : ''})`;
}

function prerequisiteResult(ctx: CheckContext, channel: string, stream: string | null, call: CallObservation): CheckResult {
  const pre = ctx.pack.byName.get(call.channel);
  return result('fixture.prerequisite', channel, 'failed', `prerequisite ${call.channel}(${brief(call.args, 120).replace(/^\[|\]$/g, '')}) ${prerequisiteFailure(ctx, call)}; the checks that needed it are blocked`, {
    expected: `${call.channel} succeeds (the fixture ${stream ? `stream ${stream}` : channel} needs)`,
    actual: { call: call.channel, args: call.args, ...(call.outcome === 'resolved' ? { resolved: call.value } : call.outcome === 'rejected' ? { rejected: call.error?.message } : { outcome: call.outcome }) },
    shapes: { actual: { outcome: { args: pre?.args, returns: pre?.returns } } },
    ...(stream ? { stream } : {}),
  });
}

const registrations = (main: MainObservation[], kinds: string[]) =>
  main.filter((o) => o.kind === 'register' && kinds.includes(o.api ?? ''));

// ---------------------------------------------------------------- the checks

export const CHECKS: CheckDefinition[] = [
  {
    id: 'bridge.exists',
    title: 'The bridge method of the channel exists at its bridge path and is a function; where the pack gives no path, the one found in the preload is named.',
    scope: 'channel',
    severity: { default: 'error', rule: 'error; warning when the pack marks the bridge path as assumed; info for a path found in the preload' },
    run(ctx) {
      const out: CheckResult[] = [];
      const found = ctx.obs.foundBridges ?? {};
      for (const ch of ctx.pack.channels) {
        if (found[ch.name]) {
          out.push(result('bridge.exists', ch.name, 'failed', `the pack gives no bridge path (its document names none); the preload exposes ${found[ch.name]}, which invokes '${ch.name}': used for this run`, {
            severity: 'info', expected: 'a bridge path in the pack', actual: found[ch.name],
          }));
          continue;
        }
        if (!ch.bridge) continue;
        const got = ctx.obs.bridges[ch.bridge];
        if (got === undefined) {
          if (ctx.obs.notRun?.includes(ch.name)) continue;
          out.push(result('bridge.exists', ch.name, 'skipped', `bridge ${ch.bridge} was not probed`));
        } else if (got === 'function') {
          out.push(result('bridge.exists', ch.name, 'passed', `${ch.bridge} is a function`));
        } else {
          // Say which bridge method does invoke the channel, when the preload shows one.
          const other = Object.entries(ctx.obs.source?.bridgeChannels ?? {}).find(([path, c]) => c === ch.name && path !== ch.bridge)?.[0];
          out.push(result('bridge.exists', ch.name, 'failed', `${ch.bridge} is ${got === 'undefined' ? 'missing' : `a ${got}, not a function`}${other ? `; the preload's ${other} invokes '${ch.name}'` : ''}`, {
            expected: `function at ${ch.bridge}`,
            actual: other ? { [ch.bridge]: got, invokedBy: other } : got,
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
    severity: { default: 'error', rule: 'error' },
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of calledChannels(ctx.pack)) {
        const apis = ch.kind === 'invoke' ? ['handle', 'handleOnce'] : ['on', 'once'];
        const regs = registrations(ctx.obs.main, apis).filter((o) => o.channel === ch.name);
        const unseen = mainUnobserved(ctx);
        if (regs.length === 0 && unseen) {
          out.push(result('handler.registered', ch.name, 'skipped', unseen));
        } else if (regs.length > 0) {
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
    title: 'Every channel main registers or sends on, and every channel the preload subscribes to or main\'s source sends on (fired during the run or not), is in the pack; `conform:*` (Conform\'s own) aside.',
    scope: 'run',
    severity: { default: 'warning', rule: 'warning (drift: the app does more than the pack says)' },
    run(ctx) {
      const seen = new Map<string, string>();
      const note = (channel: string, how: string) => {
        if (!channel || channel === '*' || isConformChannel(channel)) return;
        seen.set(channel, seen.get(channel) ?? how);
      };
      for (const o of ctx.obs.main) {
        if (!o.channel) continue;
        if (o.kind === 'register') note(o.channel, `registered with ipcMain.${o.api}`);
        else if (o.kind === 'send') note(o.channel, `sent with ${o.api}`);
      }
      // Rare paths (a restart after a crash, a platform-only warning) never fire in a run: the source names them.
      for (const s of ctx.obs.source?.subscribed ?? []) note(s.channel, `subscribed to by the preload (${s.how}), not sent during the run`);
      for (const s of ctx.obs.source?.mainSends ?? []) note(s.channel, `sent by main's source (${s.how}), not during the run`);
      const out: CheckResult[] = [];
      for (const [channel, how] of seen) {
        if (ctx.pack.byName.has(channel)) continue;
        out.push(result('drift.undocumented-channel', channel, 'failed', `'${channel}' is ${how} but is not in pack ${ctx.pack.name}`, {
          expected: 'a channel documented in the pack',
          actual: `${channel} (${how})`,
        }));
      }
      const unseen = mainUnobserved(ctx);
      if (out.length === 0 && unseen) {
        out.push(result('drift.undocumented-channel', null, 'skipped', unseen));
      } else if (out.length === 0) {
        out.push(result('drift.undocumented-channel', null, 'passed', `all ${seen.size} channels the app registered, sent on or subscribes to are documented`));
      }
      return out;
    },
  },
  {
    id: 'drift.undocumented-field',
    title: 'Results of valid calls and event payloads carry only fields their schema documents; each undocumented field is named.',
    scope: 'channel',
    severity: { default: 'warning', rule: 'warning (drift); error where the object is declared closed (`x-exact: true`)' },
    run(ctx) {
      const out: CheckResult[] = [];
      const judge = (ch: Channel, node: SchemaNode, values: unknown[], what: string) => {
        const fields = new Map<string, boolean>();
        for (const v of values) for (const u of judgeValue(ctx.pack, node, v).undocumented) fields.set(u.path, (fields.get(u.path) ?? false) || u.exact);
        if (values.length === 0) return;
        if (fields.size === 0) {
          out.push(result('drift.undocumented-field', ch.name, 'passed', `${values.length} ${what} carry only documented fields`));
          return;
        }
        const exact = [...fields.values()].some(Boolean);
        const names = [...fields.keys()];
        out.push(result('drift.undocumented-field', ch.name, 'failed', `${what} carry undocumented field(s) ${names.slice(0, 6).join(', ')}${names.length > 6 ? ` and ${names.length - 6} more` : ''}${exact ? ' in an object the contract declares closed (x-exact)' : ''}`, {
          severity: exact ? 'error' : 'warning', expected: schemaShown(node), actual: names,
        }));
      };
      for (const ch of ctx.pack.channels) {
        if (ch.kind === 'invoke' && ch.returns) {
          const resolved = callsOf(ctx, ch, ['valid']).filter((c) => c.outcome === 'resolved');
          const success = resolved.filter((c) => !isErrorBranch(ctx, ch, c.value));
          judge(ch, ch.returns, success.map((c) => c.value), 'result(s)');
        } else if (ch.kind === 'event' && ch.payload) {
          const sends = ctx.obs.main.filter((o) => o.kind === 'send' && o.channel === ch.name).map((o) => (o.args ?? [])[0]);
          judge(ch, ch.payload, sends, 'payload(s)');
        }
      }
      return out;
    },
  },
  {
    id: 'params.reach-handler',
    title: 'Valid params passed to the bridge method reach the main handler unchanged (same values, same order).',
    scope: 'channel',
    severity: { default: 'error', rule: 'error' },
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
            input: bad.call.args,
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
    title: 'For valid params the call resolves to a value matching the return schema (undefined for void); a channel whose success value was never seen is unverified.',
    scope: 'channel',
    severity: { default: 'error', rule: 'error; warning when only `x-assumed` constraints are broken; skipped (the channel is unverified) when no success value was seen' },
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        if (!isRequestChannel(ch)) continue;
        if (!ch.returns && !ch.returnsVoid) continue;
        const calls = callsOf(ctx, ch, ['valid']);
        const resolved = calls.filter((c) => c.outcome === 'resolved');
        // Error-branch answers say nothing about the success value.
        const success = resolved.filter((c) => !isErrorBranch(ctx, ch, c.value));
        if (success.length === 0) {
          if (groupOf(ctx, ch.name)) {
            const why = calls.length === 0 ? 'no valid call was made'
              : resolved.length ? `only error-branch answers (${resolved.length}) were seen`
                : `no valid call resolved (${calls.map((c) => c.outcome).join(', ')})`;
            out.push(result('returns.schema', ch.name, 'skipped', `unverified: ${why}; the success value was never validated`));
          }
          continue;
        }
        let failed: CheckResult | null = null;
        let warned: CheckResult | null = null;
        for (const call of success) {
          if (ch.returnsVoid) {
            if (!isVoidValue(ctx.pack, decode(call.value))) {
              failed = result('returns.schema', ch.name, 'failed', `valid input #${call.index}: resolved to a value but the channel returns void`, {
                expected: undefined, actual: call.value, input: call.args, shapes: ch.returns ? { actual: { node: ch.returns } } : undefined,
              });
              break;
            }
            continue;
          }
          const v = judgeValue(ctx.pack, ch.returns!, call.value);
          const exact = v.undocumented.filter((u) => u.exact);
          if (v.hard.length || exact.length) {
            const issues = [...v.hard.map((i) => `${i.path || '(root)'} ${i.message}`), ...exact.map((u) => `${u.path} is not documented (closed object)`)];
            failed = result('returns.schema', ch.name, 'failed', `valid input #${call.index}: result does not match the return schema: ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? `; and ${issues.length - 3} more` : ''}`, {
              expected: schemaShown(ch.returns!), actual: call.value, input: call.args, shapes: { expected: SHOWN_SCHEMA, actual: { node: ch.returns! } },
              issues: [...v.hard, ...exact.map((u) => ({ path: u.path, message: 'is not documented (closed object)' }))],
            });
            break;
          }
          if (v.assumed.length && !warned) {
            const note = assumptionNotes(v.assumed);
            warned = result('returns.schema', ch.name, 'failed', `valid input #${call.index}: pack assumed ${note}; the app returned ${assumedText(v.assumed, call.value)}`, {
              severity: 'warning', assumption: note, expected: schemaShown(ch.returns!), actual: call.value, input: call.args, issues: v.assumed,
              shapes: { expected: SHOWN_SCHEMA, actual: { node: ch.returns! } },
            });
          }
        }
        const others = calls.length - success.length;
        out.push({ ...(failed ?? warned ?? result('returns.schema', ch.name, 'passed', `${success.length} success value(s) match the return schema${others ? `; ${others} other valid call(s) are judged by call.valid-resolves` : ''}`)), durationMs: sumMs(calls) });
      }
      return out;
    },
  },
  {
    id: 'call.valid-resolves',
    title: 'Valid calls succeed: a valid call that rejects (or gets the error branch) fails unless the contract documents when a valid input can fail (`errors.when`).',
    scope: 'channel',
    severity: { default: 'error', rule: 'error; info when the contract documents the failure (`errors.when`) or leaves the params open (`x-unspecified`)' },
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        // Electron invokes, Tauri commands and channel-stream start calls alike. A valid call that
        // fails is a failure unless the contract documents when a valid input may fail (`errors.when`);
        // a missing prerequisite blocks this check (blockDependents) instead of failing it.
        if (!isRequestChannel(ch)) continue;
        const calls = callsOf(ctx, ch, ['valid']).filter((c) => c.outcome === 'resolved' || c.outcome === 'rejected');
        if (calls.length === 0) continue;
        const bad = calls.find((c) => c.outcome === 'rejected' || isErrorBranch(ctx, ch, c.value));
        if (!bad) {
          out.push(result('call.valid-resolves', ch.name, 'passed', `${calls.length} valid call(s) succeeded`, { durationMs: sumMs(calls) }));
          continue;
        }
        const n = calls.filter((c) => c.outcome === 'rejected' || isErrorBranch(ctx, ch, c.value)).length;
        const answer = bad.outcome === 'rejected' ? `rejected: ${brief(bad.error?.message, 200)}` : `got the error branch: ${brief(bad.value, 200)}`;
        const when = 'when' in ch.errors ? ch.errors.when : undefined;
        // Params the contract leaves open (x-unspecified): what counts as valid input is not stated,
        // so a refused generated input is what the app did, not a violation.
        const open = openness(ctx.pack, ch.args) !== 'stated';
        const allowed = when ? `; the contract allows it: ${when}` : open ? '; the contract leaves these params open (x-unspecified), so what is valid input is not stated' : '';
        out.push(result('call.valid-resolves', ch.name, 'failed',
          `${n} of ${calls.length} valid call(s) failed; valid input #${bad.index} (${brief(bad.args, 120)}) ${answer}${allowed}`, {
            severity: when || open ? 'info' : 'error',
            expected: when ? `success, or a failure when ${when}` : 'success',
            actual: { args: bad.args, ...(bad.outcome === 'rejected' ? { rejected: bad.error?.message } : { resolved: bad.value }) }, input: bad.args,
            shapes: { actual: { outcome: { args: ch.args, returns: ch.returns } } },
            durationMs: sumMs(calls),
          }));
      }
      return out;
    },
  },
  {
    id: 'fixture.prerequisite',
    title: 'Every prerequisite call (the fixture a stateful channel needs) succeeds; the checks that needed it are reported as blocked by it.',
    scope: 'channel',
    severity: { default: 'error', rule: 'error (the checks that needed the fixture are blocked)' },
    run(ctx) {
      const out: CheckResult[] = [];
      for (const g of ctx.obs.groups) {
        const ch = ctx.pack.byName.get(g.channel);
        if (!ch || ch.prerequisites.length === 0 || g.skipped) continue;
        const pre = g.calls.filter((c) => c.role === 'prerequisite');
        if (pre.length === 0) continue;
        const bad = pre.find((c) => prerequisiteFailure(ctx, c));
        out.push(bad ? prerequisiteResult(ctx, g.channel, null, bad) : result('fixture.prerequisite', g.channel, 'passed', `${pre.length} prerequisite call(s) succeeded`));
      }
      for (const run of ctx.obs.streams) {
        const stream = streamOf(ctx, run);
        if (stream && run.prerequisiteFailed) out.push(prerequisiteResult(ctx, stream.start, stream.name, run.prerequisiteFailed));
      }
      return out;
    },
  },
  {
    id: 'returns.union-branch',
    title: 'Result unions: the discriminator picks a branch and the value matches that branch (success or error).',
    scope: 'channel',
    severity: { default: 'error', rule: 'error' },
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
                expected: schemaShown(node), actual: call.value, input: call.args, issues: v.issues, shapes: { expected: SHOWN_SCHEMA, actual: { node } },
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
    title: 'Invalid params get what the contract states (`invalidParams`): a rejection, the error branch, or acceptance; where it states nothing, what the app did is reported. A resolved value always fits the return schema or the error branch.',
    scope: 'channel',
    severity: { default: 'error', rule: 'error where `invalidParams` is `rejected`/`error-branch` (warning when that is assumed) or a value fits neither branch; info otherwise (what the app did)' },
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        if (!isRequestChannel(ch)) continue;
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
        const stated = ch.invalidParams;
        const label = (c: CallObservation) => `invalid input #${c.index}${c.rule ? ` (${c.rule})` : ''}`;
        const durationMs = sumMs(calls);
        // Whatever the statement, a resolved value is a return value: its shape is the return schema's
        // or the error branch's. (Invalid values echoed back inside a well-formed answer are what a
        // lenient app does: reported below with the rest of what it did.)
        const outside = calls.find((c) => c.outcome === 'resolved' && answerFit(ctx, ch, c.value) === 'shape');
        if (outside) {
          out.push(result('errors.invalid-params-shape', ch.name, 'failed', `${label(outside)}: resolved to a value whose shape is neither the return schema's nor a documented error branch's`, {
            expected: ch.errors.style === 'result-union' ? { returns: schemaShown(ch.returns!), or: schemaShown(ch.errors.error) } : ch.returns ? schemaShown(ch.returns) : 'undefined', actual: outside.value, input: outside.args, durationMs,
            shapes: { expected: SHOWN_SCHEMA, ...(ch.returns ? { actual: { node: ch.returns } } : {}) },
          }));
          continue;
        }
        const want = stated === 'rejected' ? 'rejected' : stated === 'error-branch' ? 'error-branch' : null;
        const answerOf = (c: CallObservation) => (c.outcome === 'rejected' ? 'rejected' : isErrorBranch(ctx, ch, c.value) ? 'error-branch' : 'accepted');
        const accepted = calls.filter((c) => answerOf(c) === 'accepted');
        if (want) {
          const wrong = calls.find((c) => answerOf(c) !== want);
          // Tauri `Result<T, String>`: the stated rejection is a bare string, not an Error object.
          const notString = !wrong && ch.errors.style === 'tauri-string' ? calls.find((c) => tauriStringProblem(c)) : undefined;
          if (notString) {
            out.push(result('errors.invalid-params-shape', ch.name, 'failed', `${label(notString)}: ${tauriStringProblem(notString)}`, {
              expected: 'rejection with a string (Result<T, String>)', actual: { rejected: notString.error }, input: notString.args, durationMs,
            }));
          } else if (wrong) {
            const got = answerOf(wrong);
            out.push(result('errors.invalid-params-shape', ch.name, 'failed', `${label(wrong)}: ${got === 'rejected' ? 'rejected' : got === 'error-branch' ? 'resolved to the error branch' : `accepted (resolved ${brief(wrong.value, 80)})`}, but the contract says invalid params are ${want === 'rejected' ? 'rejected' : 'answered with the error branch'}`, {
              expected: want === 'rejected' ? (ch.errors.style === 'tauri-string' ? 'rejection with a string (Result<T, String>)' : `rejection "${ELECTRON_PREFIX(ch.name)}…"`) : schemaShown((ch.errors as { error: SchemaNode }).error),
              actual: got === 'rejected' ? { rejected: wrong.error?.message } : { resolved: wrong.value }, input: wrong.args, durationMs,
              shapes: { ...(want === 'rejected' ? {} : { expected: SHOWN_SCHEMA }), actual: { outcome: { returns: ch.returns } } },
            }));
          } else {
            out.push(result('errors.invalid-params-shape', ch.name, 'passed', `${calls.length} invalid input(s) were ${want === 'rejected' ? 'rejected' : 'answered with the error branch'}, as the contract states`, { durationMs }));
          }
          continue;
        }
        // tolerated / unspecified: report what the app did; never a violation.
        const what = `${calls.length - accepted.length} of ${calls.length} invalid input(s) refused, ${accepted.length} accepted${accepted.length ? ` (first: ${label(accepted[0]!)} resolved ${brief(accepted[0]!.value, 80)})` : ''}`;
        if (stated === 'tolerated' ? accepted.length === calls.length : accepted.length === 0) {
          out.push(result('errors.invalid-params-shape', ch.name, 'passed', `${what}; the contract says invalid params are ${stated}`, { durationMs }));
        } else {
          out.push(result('errors.invalid-params-shape', ch.name, 'failed', `${what}; the contract says invalid params are ${stated}, so this is what the app did, not a violation`, {
            severity: 'info', expected: `invalid params ${stated}`, actual: calls.map((c) => ({ input: label(c), answer: answerOf(c) })), durationMs,
          }));
        }
      }
      return out;
    },
  },
  {
    id: 'errors.documented-shape',
    title: "Every failure has the documented shape: Electron's `Error invoking remote method '<channel>': ` prefix (+ message regex) for `rejection`; no rejection at all for `result-union`.",
    scope: 'channel',
    severity: { default: 'error', rule: 'error' },
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        if (!isRequestChannel(ch)) continue;
        const style = ch.errors.style;
        if (style !== 'rejection' && style !== 'result-union' && style !== 'tauri-string') continue;
        const calls = callsOf(ctx, ch, ['valid', 'invalid']);
        const rejected = calls.filter((c) => c.outcome === 'rejected');
        if (rejected.length === 0) {
          if (groupOf(ctx, ch.name) && calls.length > 0) out.push(result('errors.documented-shape', ch.name, 'passed', 'no call rejected'));
          continue;
        }
        let failed: CheckResult | null = null;
        for (const call of rejected) {
          const label = `${call.role} input #${call.index}`;
          if (style === 'tauri-string') {
            const problem = tauriStringProblem(call);
            if (!problem) continue;
            failed = result('errors.documented-shape', ch.name, 'failed', `${label}: ${problem}`, { expected: 'a bare string (Result<T, String>)', actual: call.error });
            break;
          }
          if (style === 'result-union') {
            failed = result('errors.documented-shape', ch.name, 'failed', `${label}: the call rejected, but the contract documents a result union (failures resolve)`, {
              expected: 'resolved value (success or error branch)', actual: { rejected: call.error?.message }, input: call.args,
            });
            break;
          }
          const problem = rejectionShapeProblem(ch, call);
          if (problem) {
            failed = result('errors.documented-shape', ch.name, 'failed', `${label}: ${problem}`, {
              expected: `${ELECTRON_PREFIX(ch.name)}${ch.errors.style === 'rejection' && ch.errors.message ? `/${ch.errors.message}/` : '<String(err)>'}`,
              actual: call.error?.message, input: call.args,
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
    severity: { default: 'error', rule: 'error' },
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        if (!isRequestChannel(ch)) continue;
        const g = groupOf(ctx, ch.name);
        if (!g) continue;
        const calls = g.calls.filter((c) => c.channel === ch.name && (c.role === 'valid' || c.role === 'invalid'));
        const hung = calls.filter((c) => c.outcome === 'timeout');
        if (calls.length === 0) continue;
        out.push(hung.length
          ? result('call.settles', ch.name, 'failed', `${hung.length} of ${calls.length} call(s) did not settle (first: ${hung[0]!.role} input #${hung[0]!.index} after ${Math.round(hung[0]!.durationMs)} ms)`, {
            expected: 'settled within the call timeout', actual: hung.map((c) => ({ role: c.role, index: c.index, waitedMs: Math.round(c.durationMs) })),
            input: hung[0]!.args,
          })
          : result('call.settles', ch.name, 'passed', `${calls.length} call(s) settled`, { durationMs: sumMs(calls) }));
      }
      return out;
    },
  },
  {
    id: 'app.launch',
    title: 'The app launches: its process starts, main stays up and a window opens (a crash loop stops after 3 failed launches in a row; the rest is not run).',
    scope: 'run',
    severity: { default: 'error', rule: 'error (the channels not run because of it are reported as not run)' },
    run(ctx) {
      const l = ctx.obs.launch;
      if (!l) return [];
      const last = l.failures.at(-1);
      const notRun = ctx.obs.groups.filter((g) => g.skipped?.startsWith('not run:')).map((g) => g.channel);
      if (l.gaveUp) {
        return [result('app.launch', null, 'failed', `${l.gaveUp}${notRun.length ? `; ${notRun.length} channel group(s) not run` : ''}`, {
          expected: 'the app starts and opens a window',
          actual: { failures: l.failures.map((f) => ({ attempt: f.attempt, phase: f.phase, message: f.message, exitCode: f.exitCode, signal: f.signal })), output: last?.output ?? [], notRun },
        })];
      }
      if (l.interrupted) return [result('app.launch', null, 'skipped', `the run was interrupted (${l.interrupted}); ${notRun.length} channel group(s) not run`, { actual: { notRun } })];
      const failed = l.failures.filter((f) => f.phase !== 'went-away');
      return [result('app.launch', null, 'passed', `${l.launches} launch(es)${failed.length ? `, ${failed.length} of them failed and were retried (${failed.at(-1)!.message})` : ''}`)];
    },
  },
  {
    id: 'host.untouched',
    title: "Nothing outside the run's own folder changed: the host's temp dir and the real HOME have the same top-level entries after the run (the app ran with HOME, XDG dirs, TMPDIR and generated paths inside the run folder).",
    scope: 'run',
    severity: { default: 'error', rule: 'error when a change is tied to the app; skipped (not verified) otherwise' },
    run(ctx) {
      const h = ctx.obs.host;
      if (!h) return [];
      if (h.changes.length === 0) return [result('host.untouched', null, 'passed', `nothing changed in ${h.dirs.join(' or ')}`)];
      const list = (cs: typeof h.changes) => cs.slice(0, 5).map((c) => `${c.change} ${c.path}`).join(', ') + (cs.length > 5 ? ', ...' : '');
      const mine = h.changes.filter((c) => c.byApp);
      if (mine.length) {
        return [result('host.untouched', null, 'failed', `the app changed ${mine.length} entr${mine.length === 1 ? 'y' : 'ies'} outside the run folder: ${list(mine)}`, {
          expected: `no change in ${h.dirs.join(', ')}`,
          actual: h.changes,
        })];
      }
      // Other programs share the temp dir: a change nothing ties to the app is not the app's.
      return [result('host.untouched', null, 'passed', `nothing the app made changed outside the run folder (${h.changes.length} change(s) by other programs ignored: ${list(h.changes)})`, {
        actual: h.changes,
      })];
    },
  },
  {
    id: 'app.survives',
    title: 'After the channel group (valid and invalid params) main and renderer still answer and main logged no uncaught exception or unhandled rejection.',
    scope: 'channel',
    severity: { default: 'error', rule: 'error' },
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
    severity: { default: 'error', rule: 'error; warning when the budget is assumed' },
    run(ctx) {
      const out: CheckResult[] = [];
      for (const ch of ctx.pack.channels) {
        if (!isRequestChannel(ch) || ch.budgetMs === undefined) continue;
        const calls = callsOf(ctx, ch, ['valid']).filter((c) => c.outcome === 'resolved' || c.outcome === 'rejected' || c.outcome === 'timeout');
        if (calls.length === 0) continue;
        const slowest = calls.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
        const ms = Math.round(slowest.durationMs * 10) / 10;
        out.push(slowest.durationMs > ch.budgetMs
          ? result('latency.budget', ch.name, 'failed', `valid input #${slowest.index} took ${ms} ms, budget ${ch.budgetMs} ms`, {
            expected: `<= ${ch.budgetMs} ms`, actual: `${ms} ms`, input: slowest.args, durationMs: sumMs(calls),
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
    severity: { default: 'error', rule: 'error; warning when only `x-assumed` constraints are broken' },
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
        let warned: CheckResult | null = null;
        for (const s of sends) {
          const payload = (s.args ?? [])[0];
          const v = judgeValue(ctx.pack, ch.payload, payload);
          if (v.hard.length) {
            failed = result('event.payload-schema', ch.name, 'failed', `payload does not match: ${issuesText(v.hard)}`, {
              expected: schemaShown(ch.payload), actual: payload, issues: v.hard, shapes: { expected: SHOWN_SCHEMA, actual: { node: ch.payload } },
            });
            break;
          }
          if (v.assumed.length && !warned) {
            const note = assumptionNotes(v.assumed);
            warned = result('event.payload-schema', ch.name, 'failed', `pack assumed ${note}; the app sent ${assumedText(v.assumed, payload)}`, {
              severity: 'warning', assumption: note, expected: schemaShown(ch.payload), actual: payload, issues: v.assumed,
              shapes: { expected: SHOWN_SCHEMA, actual: { node: ch.payload } },
            });
          }
        }
        out.push(failed ?? warned ?? result('event.payload-schema', ch.name, 'passed', `${sends.length} payload(s) match`));
      }
      return out;
    },
  },
  {
    id: 'window.posture',
    title: "Every window's effective webPreferences (contextIsolation, sandbox, nodeIntegration, webSecurity, allowRunningInsecureContent) equal what the pack declares.",
    scope: 'run',
    severity: { default: 'error', rule: 'error' },
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
    severity: { default: 'error', rule: 'error; warning when only `x-assumed` constraints are broken' },
    run(ctx) {
      return [...eachRun(ctx, 'stream.payload-schema', 'run', check), ...eachRun(ctx, 'stream.payload-schema', 'abort', check)];
      function check(run: StreamRun, stream: Stream): CheckResult | null {
        let warned: CheckResult | null = null;
        for (const ev of run.events) {
          const node = ctx.pack.byName.get(ev.channel)?.payload;
          if (!node) continue;
          const v = judgeValue(ctx.pack, node, ev.payload);
          if (v.hard.length) {
            return streamResult('stream.payload-schema', stream, 'failed', `${runLabel(run)}: event ${ev.channel} at ${Math.round(ev.atMs)} ms does not match: ${issuesText(v.hard)}`, {
              expected: schemaShown(node), actual: ev.payload, input: run.start.args, issues: v.hard, shapes: { expected: SHOWN_SCHEMA, actual: { node } },
            });
          }
          if (v.assumed.length && !warned) {
            const note = assumptionNotes(v.assumed);
            warned = streamResult('stream.payload-schema', stream, 'failed', `${runLabel(run)}: pack assumed ${note}; event ${ev.channel} has ${assumedText(v.assumed, ev.payload)}`, {
              severity: 'warning', assumption: note, expected: schemaShown(node), actual: ev.payload, input: run.start.args, issues: v.assumed,
              shapes: { expected: SHOWN_SCHEMA, actual: { node } },
            });
          }
        }
        if (warned) return warned;
        return streamResult('stream.payload-schema', stream, 'passed', `${runLabel(run)}: ${run.events.length} event(s) match`);
      }
    },
  },
  {
    id: 'stream.ordering',
    title: 'The events of a stream run follow the ordering grammar (and form a complete word when the stream ended).',
    scope: 'stream',
    severity: { default: 'error', rule: 'error; warning when the grammar is assumed' },
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
    id: 'stream.channel-order',
    title: 'Tauri Channel messages (channel-stream) arrive numbered 0, 1, 2, ... in arrival order, with no gap or repeat: the frontend\'s Channel hands them to the app by index, so any other numbering reorders or stalls what the app sees.',
    scope: 'stream',
    severity: { default: 'error', rule: 'error' },
    run(ctx) {
      return [...eachRun(ctx, 'stream.channel-order', 'run', check), ...eachRun(ctx, 'stream.channel-order', 'abort', check)];
      function check(run: StreamRun, stream: Stream): CheckResult | null {
        if (ctx.pack.byName.get(stream.start)?.kind !== 'channel-stream') return null;
        const msgs = [...run.events, ...run.afterEnd].filter((e) => e.channel === stream.start);
        if (msgs.length === 0) return null;
        const indexes = msgs.map((e) => e.index);
        const at = indexes.findIndex((i, k) => i !== k);
        if (at >= 0) {
          return streamResult('stream.channel-order', stream, 'failed', `${runLabel(run)}: Channel message #${at} arrived with index ${indexes[at] ?? '(none)'}; the app's Channel delivers by index, so it saw the messages in another order than they were sent`, {
            expected: indexes.map((_, k) => k), actual: indexes,
          });
        }
        return streamResult('stream.channel-order', stream, 'passed', `${runLabel(run)}: ${msgs.length} Channel message(s) arrived in index order`);
      }
    },
  },
  {
    id: 'stream.first-event',
    title: 'The first event of a stream arrives within `budget.firstEventMs` after the start call.',
    scope: 'stream',
    severity: { default: 'error', rule: 'error; warning when the budget is assumed' },
    run(ctx) {
      const withRun = new Set(ctx.obs.streams.filter((r) => r.mode === 'run').map((r) => r.stream));
      const body = (run: StreamRun, stream: Stream): CheckResult | null => {
        const budget = stream.budget?.firstEventMs;
        if (budget === undefined) return null;
        const first = run.events[0];
        if (!first) {
          const g = grammarOf(stream);
          if (g && g.accepts([])) return streamResult('stream.first-event', stream, 'passed', 'no event, and the grammar allows an empty stream');
          // Say how long Conform really waited (durationMs is 0 when nothing came).
          const waited = Math.round(Math.max(run.waitedMs ?? 0, run.durationMs));
          return streamResult('stream.first-event', stream, 'failed', `no event in the ${waited} ms Conform followed the stream (budget ${budget} ms)`, {
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
    severity: { default: 'error', rule: 'error; warning when the budget is assumed' },
    run(ctx) {
      return eachRun(ctx, 'stream.terminates', 'run', (run, stream) => {
        const g = grammarOf(stream);
        if (stream.end === 'grammar' && g && !hasTerminal(g)) {
          return streamResult('stream.terminates', stream, 'skipped', `"${g.source}" has no terminal event: the stream runs until aborted`);
        }
        const total = stream.budget?.totalMs;
        if (run.end === 'timeout') {
          return streamResult('stream.terminates', stream, 'failed', `no end after ${Math.round(Math.max(run.waitedMs ?? 0, run.durationMs))} ms (${stream.end === 'grammar' ? `no terminal event among ${run.events.length} event(s)` : 'the start call did not settle'})`, {
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
    severity: { default: 'error', rule: 'error; warning when the grammar is assumed' },
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
    severity: { default: 'error', rule: 'error; warning when the correlation is assumed' },
    run(ctx) {
      return [...eachRun(ctx, 'stream.correlation', 'run', check), ...eachRun(ctx, 'stream.correlation', 'abort', check)];
      function check(run: StreamRun, stream: Stream): CheckResult | null {
        if (stream.correlation.length === 0) return null;
        let checked = 0;
        for (const rule of stream.correlation) {
          const exp = correlationExpected(stream, ctx.pack, run, rule.equals);
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
    severity: { default: 'error', rule: 'error; warning when the abort is assumed' },
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
    severity: { default: 'error', rule: 'error' },
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

/**
 * Checks that need a hook in the app's main process. A Tauri app is driven from its page only
 * (runner/tauri): its Rust side cannot be observed, so these are skipped with the reason, once per run.
 */
const MAIN_HOOK = 'Tauri apps are driven from their page only (runner/tauri) and the Rust side has no hook Conform can load';
export const TAURI_NOT_APPLICABLE: Record<string, string> = {
  'handler.registered': `not applicable for Tauri: which commands the app registered is not observable: ${MAIN_HOOK}`,
  'params.reach-handler': `not applicable for Tauri: what a command handler received is not observable: ${MAIN_HOOK}`,
  'drift.undocumented-channel': `not applicable for Tauri: commands the pack does not name cannot be listed: ${MAIN_HOOK}`,
  // Some probes (secret echo in results and events) could run from the page; none does yet.
  ...Object.fromEntries(SECURITY_CHECKS.map((c) => [c.id, 'not run for Tauri: the security probes are built on main-process hooks (runner/security); there is no page-side version yet'])),
};


/** Checks of a channel that need its prerequisites in place: blocked when one failed. */
const NEEDS_FIXTURE = new Set(['params.reach-handler', 'returns.schema', 'call.valid-resolves', 'returns.union-branch', 'errors.invalid-params-shape',
  'latency.budget', 'drift.undocumented-field', 'stream.quiet-after-cleanup']);

/**
 * Catalog rules that turn a failure into a warning: the constraint it broke is one the pack marked
 * as assumed (`assumed:` on the channel or stream). Returns the note, or undefined.
 */
const ASSUMPTION_OF: Record<string, (ctx: CheckContext, r: CheckResult) => string | undefined> = {
  'bridge.exists': (ctx, r) => ctx.pack.byName.get(r.channel ?? '')?.assumed.bridge,
  'latency.budget': (ctx, r) => ctx.pack.byName.get(r.channel ?? '')?.assumed.budgetMs,
  'errors.invalid-params-shape': (ctx, r) => ctx.pack.byName.get(r.channel ?? '')?.assumed.invalidParams,
  'errors.documented-shape': (ctx, r) => ctx.pack.byName.get(r.channel ?? '')?.assumed.errors,
  'stream.ordering': (ctx, r) => streamAssumed(ctx, r)?.grammar,
  'stream.no-event-after-terminal': (ctx, r) => streamAssumed(ctx, r)?.grammar,
  'stream.first-event': (ctx, r) => streamAssumed(ctx, r)?.budget,
  // A stream that never ended misses its terminal event (the grammar); one that ended late, its budget.
  'stream.terminates': (ctx, r) => (r.message.startsWith('no end after') ? streamAssumed(ctx, r)?.grammar : streamAssumed(ctx, r)?.budget),
  'stream.correlation': (ctx, r) => streamAssumed(ctx, r)?.correlation,
  'stream.abort': (ctx, r) => streamAssumed(ctx, r)?.abort,
};
const streamAssumed = (ctx: CheckContext, r: CheckResult) => ctx.pack.streams.find((s) => s.name === r.stream)?.assumed;

/** Severity of a result by the catalog's rules: the check's own, else the assumption rule, else the check's default. */
function withSeverity(ctx: CheckContext, def: CheckDefinition, r: CheckResult): CheckResult {
  const risk = r.status === 'failed' && !r.risk && DEFAULT_RISK[r.id] ? { risk: DEFAULT_RISK[r.id] } : {};
  if (r.status === 'passed') return r;
  if (r.status === 'skipped') return { ...r, severity: r.severity ?? 'info' };
  if (r.status === 'blocked') return { ...r, severity: 'error' };
  if (r.severity) return { ...r, ...risk };
  const note = ASSUMPTION_OF[r.id]?.(ctx, r);
  const severity: Severity = note && def.severity.default === 'error' ? 'warning' : def.severity.default;
  return { ...r, ...risk, severity, ...(note ? { assumption: note, message: `${r.message} (pack assumed: ${note})` } : {}) };
}

/**
 * A channel whose prerequisite failed: the checks that needed the fixture are reported as blocked
 * by it (one result each), never as passed or skipped.
 */
function blockDependents(ctx: CheckContext, results: CheckResult[]): CheckResult[] {
  const failedPre = new Map<string, CheckResult>();
  for (const r of results) if (r.id === 'fixture.prerequisite' && r.status === 'failed' && !r.stream && r.channel) failedPre.set(r.channel, r);
  if (failedPre.size === 0) return results;
  const out: CheckResult[] = [];
  const blocked = new Set<string>();
  for (const r of results) {
    const pre = r.channel ? failedPre.get(r.channel) : undefined;
    if (!pre || !NEEDS_FIXTURE.has(r.id) || r.stream) {
      out.push(r);
      continue;
    }
    const key = `${r.id} ${r.channel}`;
    if (blocked.has(key)) continue;
    blocked.add(key);
    out.push(blockedResult(r.id, pre));
  }
  // Checks that produced nothing because no valid call was made are blocked too.
  for (const [channel, pre] of failedPre) {
    const ch = ctx.pack.byName.get(channel);
    if (!ch || !isRequestChannel(ch)) continue;
    for (const id of ['returns.schema', 'call.valid-resolves']) if (!blocked.has(`${id} ${channel}`)) out.push(blockedResult(id, pre));
  }
  return out;
}

function blockedResult(id: string, pre: CheckResult): CheckResult {
  return {
    id, channel: pre.channel, status: 'blocked', severity: 'error',
    message: `blocked by fixture.prerequisite: ${pre.message.replace(/; the checks that needed it are blocked$/, '')}`,
    blockedBy: { id: pre.id, channel: pre.channel, message: pre.message },
  };
}

/** Run every check of the catalog (or those whose id passes `filter`); every non-passed result gets its severity. */
export function runChecks(ctx: CheckContext, filter?: (id: string) => boolean): CheckResult[] {
  const out: CheckResult[] = [];
  for (const check of CHECKS) {
    if (filter && !filter(check.id)) continue;
    const notApplicable = ctx.pack.transport === 'tauri' ? TAURI_NOT_APPLICABLE[check.id] : undefined;
    if (notApplicable) {
      out.push(result(check.id, null, 'skipped', notApplicable, { severity: 'info' }));
      continue;
    }
    try {
      out.push(...check.run(ctx).map((r) => withSeverity(ctx, check, r)));
    } catch (err) {
      out.push(result(check.id, null, 'failed', `check crashed: ${(err as Error).message}`, { severity: 'error' }));
    }
  }
  // A skipped result on a channel whose group never ran says so, with why (not "no valid call").
  const notRun = new Map(ctx.obs.groups.filter((g) => g.skipped?.startsWith('not run:')).map((g) => [g.channel, g.skipped!]));
  const marked = out.map((r) => (r.status === 'skipped' && r.channel && notRun.has(r.channel) && !r.message.startsWith('not run:') ? { ...r, message: notRun.get(r.channel)! } : r));
  return filter && !filter('fixture.prerequisite') ? marked : blockDependents(ctx, marked);
}

/** Results ordered by the pack's channel order (run-wide results last), check order kept inside. */
export function orderResults(pack: Pack, results: CheckResult[]): CheckResult[] {
  const rank = new Map(pack.channels.map((c, i) => [c.name, i]));
  return results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (rank.get(a.r.channel ?? '') ?? 1e9) - (rank.get(b.r.channel ?? '') ?? 1e9) || a.i - b.i)
    .map((x) => x.r);
}
