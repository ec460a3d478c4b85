// Stream rules: a stream present in both packs (matched by name). Stream events flow out of main,
// so a grammar that accepts new sequences breaks listeners; one that accepts fewer binds main.
// Grammars are compared as languages with the automata (languageContains both ways).
import { compileGrammar, languageContains } from '../../grammar.ts';
import type { CompiledGrammar } from '../../grammar.ts';
import type { Stream } from '../../model.ts';
import { ContractError } from '../../model.ts';
import { budgetAdded, budgetFindings, budgetLoosened, budgetRemoved, budgetTightened } from './channel.ts';
import type { Finding, StreamPair, StreamRule } from '../types.ts';

const grammars = new WeakMap<Stream, CompiledGrammar>();

/** The stream's language; no grammar = any order of its events. */
export function streamGrammar(s: Stream): CompiledGrammar {
  let g = grammars.get(s);
  if (g) return g;
  const src = s.grammar ?? (s.events.length ? `(${s.events.join(' | ')})*` : '');
  try {
    g = compileGrammar(src || '__no_event__?');
  } catch (err) {
    throw new ContractError(`stream ${s.name}: grammar does not compile: ${(err as Error).message}`, s.pos, 'grammar');
  }
  grammars.set(s, g);
  return g;
}

const seq = (w: string[] | undefined) => (w && w.length ? w.join(' ') : '(empty sequence)');

interface Containment {
  /** new accepts every old sequence; else an old sequence the new grammar rejects */
  oldInNew: { contains: boolean; counterexample?: string[] };
  newInOld: { contains: boolean; counterexample?: string[] };
}
const containCache = new WeakMap<Stream, WeakMap<Stream, Containment>>();

export function grammarContainment(p: StreamPair): Containment {
  let inner = containCache.get(p.oldStream);
  const hit = inner?.get(p.newStream);
  if (hit) return hit;
  const a = streamGrammar(p.oldStream);
  const b = streamGrammar(p.newStream);
  const c = { oldInNew: languageContains(b, a), newInOld: languageContains(a, b) };
  if (!inner) containCache.set(p.oldStream, (inner = new WeakMap()));
  inner.set(p.newStream, c);
  return c;
}

export const grammarWidened: StreamRule = {
  id: 'stream-grammar-widened',
  family: 'stream',
  summary: 'the stream now allows event sequences it did not allow before (old language ⊂ new)',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: listeners written for the old orderings may see a sequence they do not handle',
  check: (p) => {
    const c = grammarContainment(p);
    return c.oldInNew.contains && !c.newInOld.contains
      ? [{ location: 'grammar', message: `grammar widened: new sequence "${seq(c.newInOld.counterexample)}" was not allowed before`, before: p.oldStream.grammar, after: p.newStream.grammar }]
      : [];
  },
};

export const grammarNarrowed: StreamRule = {
  id: 'stream-grammar-narrowed',
  family: 'stream',
  summary: 'the stream allows fewer event sequences than before (new language ⊂ old)',
  severity: 'info',
  who: 'main',
  what: 'main: must stop emitting the dropped sequences; listeners are unaffected',
  check: (p) => {
    const c = grammarContainment(p);
    return !c.oldInNew.contains && c.newInOld.contains
      ? [{ location: 'grammar', message: `grammar narrowed: old sequence "${seq(c.oldInNew.counterexample)}" is no longer allowed`, before: p.oldStream.grammar, after: p.newStream.grammar }]
      : [];
  },
};

export const grammarChanged: StreamRule = {
  id: 'stream-grammar-changed',
  family: 'stream',
  summary: 'the stream grammar changed so that neither language contains the other',
  severity: 'breaking',
  who: 'both',
  what: 'both: listeners may see new sequences and main must stop emitting some old ones',
  check: (p) => {
    const c = grammarContainment(p);
    return !c.oldInNew.contains && !c.newInOld.contains
      ? [{ location: 'grammar', message: `grammar changed: new sequence "${seq(c.newInOld.counterexample)}" was not allowed before, old sequence "${seq(c.oldInNew.counterexample)}" is no longer allowed`, before: p.oldStream.grammar, after: p.newStream.grammar }]
      : [];
  },
};

export const streamStartChanged: StreamRule = {
  id: 'stream-start-changed',
  family: 'stream',
  summary: 'a different call starts the stream',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: calling the old start channel no longer starts the stream',
  check: (p) => (p.oldStream.start !== p.newStream.start ? [{ location: 'start', message: `start call changed from ${p.oldStream.start} to ${p.newStream.start}`, before: p.oldStream.start, after: p.newStream.start }] : []),
};

export const streamEndChanged: StreamRule = {
  id: 'stream-end-changed',
  family: 'stream',
  summary: 'how the stream ends changed (terminal event vs the start call settling)',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: code waiting for the old end signal waits forever or stops early',
  check: (p) => (p.oldStream.end !== p.newStream.end ? [{ location: 'end', message: `end changed from ${p.oldStream.end} to ${p.newStream.end}`, before: p.oldStream.end, after: p.newStream.end }] : []),
};

export const variantFieldChanged: StreamRule = {
  id: 'stream-variant-field-changed',
  family: 'stream',
  summary: 'the payload field naming a channel-stream message variant changed',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: message dispatch on the old field no longer works',
  check: (p) => (p.oldStream.variantField !== p.newStream.variantField ? [{ location: 'variantField', message: `variant field changed from ${p.oldStream.variantField ?? '-'} to ${p.newStream.variantField ?? '-'}`, before: p.oldStream.variantField, after: p.newStream.variantField }] : []),
};

export const abortChanged: StreamRule = {
  id: 'stream-abort-changed',
  family: 'stream',
  summary: 'the abort call or the terminal event it must produce changed or was removed',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: the old abort call (or the terminal event it waits for) no longer ends the stream',
  condition: 'info when an abort is added where there was none',
  check: (p) => {
    const a = p.oldStream.abort;
    const b = p.newStream.abort;
    if (!a && !b) return [];
    if (!a) return [{ location: 'abort', message: `abort added: ${b!.call}`, after: b!.call, severity: 'info', who: 'main', what: 'main: must support aborting the stream' }];
    if (!b) return [{ location: 'abort', message: `abort removed (was ${a.call})`, before: a.call }];
    const out: Finding[] = [];
    if (a.call !== b.call) out.push({ location: 'abort', message: `abort call changed from ${a.call} to ${b.call}`, before: a.call, after: b.call });
    if (a.terminal !== b.terminal) out.push({ location: 'abort', message: `abort terminal event changed from ${a.terminal ?? '-'} to ${b.terminal ?? '-'}`, before: a.terminal, after: b.terminal });
    return out;
  },
};

const corrKey = (c: Stream['correlation'][number]) => `${c.event} ${c.field}`;
function correlationDiff(p: StreamPair) {
  const A = new Map(p.oldStream.correlation.map((c) => [corrKey(c), c]));
  const B = new Map(p.newStream.correlation.map((c) => [corrKey(c), c]));
  return {
    removed: [...A.values()].filter((c) => !B.has(corrKey(c))),
    added: [...B.values()].filter((c) => !A.has(corrKey(c))),
    changed: [...A.values()].filter((c) => B.has(corrKey(c)) && B.get(corrKey(c))!.equals !== c.equals).map((c) => [c, B.get(corrKey(c))!] as const),
  };
}
const corrText = (c: Stream['correlation'][number]) => `${c.event}.${c.field} = ${c.equals}`;

export const correlationRemoved: StreamRule = {
  id: 'correlation-removed',
  family: 'stream',
  summary: 'an event field no longer promises to equal a request value',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: listeners routing events to their request by this field may mix up concurrent streams',
  check: (p) => correlationDiff(p).removed.map((c) => ({ location: 'correlation', message: `correlation removed: ${corrText(c)}`, before: corrText(c) })),
};

export const correlationChanged: StreamRule = {
  id: 'correlation-changed',
  family: 'stream',
  summary: 'an event field now equals a different request value',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: listeners match events against the wrong request value',
  check: (p) => correlationDiff(p).changed.map(([a, b]) => ({ location: 'correlation', message: `correlation changed: ${corrText(a)} -> ${corrText(b)}`, before: corrText(a), after: corrText(b) })),
};

export const correlationAdded: StreamRule = {
  id: 'correlation-added',
  family: 'stream',
  summary: 'an event field now promises to equal a request value',
  severity: 'info',
  who: 'main',
  what: 'main: must copy the request value into the event',
  check: (p) => correlationDiff(p).added.map((c) => ({ location: 'correlation', message: `correlation added: ${corrText(c)}`, after: corrText(c) })),
};

function streamBudget(p: StreamPair, want: 'tightened' | 'loosened' | 'added' | 'removed'): Finding[] {
  return [
    ...budgetFindings('firstEventMs', p.oldStream.budget?.firstEventMs, p.newStream.budget?.firstEventMs, want, 'budget.firstEventMs'),
    ...budgetFindings('totalMs', p.oldStream.budget?.totalMs, p.newStream.budget?.totalMs, want, 'budget.totalMs'),
  ];
}

/** Stream budgets reuse the channel budget ids (same meaning, other subject). */
export const streamBudgetRules: StreamRule[] = ([
  ['tightened', budgetTightened],
  ['loosened', budgetLoosened],
  ['added', budgetAdded],
  ['removed', budgetRemoved],
] as const).map(([want, rule]) => ({ ...rule, family: 'stream', check: (p: StreamPair) => streamBudget(p, want) }));

export const STREAM_RULES: StreamRule[] = [
  grammarWidened, grammarNarrowed, grammarChanged, streamStartChanged, streamEndChanged, variantFieldChanged,
  abortChanged, correlationRemoved, correlationChanged, correlationAdded, ...streamBudgetRules,
];
