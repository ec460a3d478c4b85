// Stream ordering grammar: a regular expression language over event names, compiled once to a
// minimal DFA and then used many times (matchers, sampling, containment checks).
//
//   grammar  := alt
//   alt      := seq ('|' seq)*
//   seq      := postfix+                       (juxtaposition = sequence)
//   postfix  := atom ('*' | '+' | '?')*
//   atom     := NAME | '(' alt ')'
//   NAME     := [A-Za-z0-9_:.\-/@]+            e.g. ollama:chat-token, stream-chunk, Chunk
//
// Compilation: Thompson NFA -> subset construction -> Moore partition refinement (minimise).
// Thompson automata only hold states that lie on a path to acceptance, so every DFA state is
// live: a missing transition is exactly "no word has this prefix".

/** A syntax error in a grammar; `column` is 1-based into the source string. */
export class GrammarError extends Error {
  constructor(
    message: string,
    readonly column: number,
    readonly source: string,
  ) {
    super(`grammar column ${column}: ${message} in "${source}"`);
    this.name = 'GrammarError';
  }
}

export type MatchStatus = 'open' | 'accept' | 'reject';

export interface StreamMatcher {
  /** Feed the next event; returns the status of the sequence fed so far. Sticky once 'reject'. */
  feed(event: string): MatchStatus;
  readonly status: MatchStatus;
  /** Number of events fed. */
  readonly position: number;
  /** Index of the first event that broke the grammar (or the end position after a failed `end()`); -1 if none. */
  readonly violationIndex: number;
  /** Events allowed next (or, after a violation, the events that were allowed at the violation), sorted. */
  readonly expected: string[];
  /** Accepting with no way on: a terminal event ended the stream. */
  readonly isFinal: boolean;
  /** End of stream: ok when the events so far form a complete word. */
  end(): { ok: boolean; expected: string[] };
}

export interface CompiledGrammar {
  readonly source: string;
  /** Every event name the grammar mentions, sorted. */
  readonly alphabet: string[];
  /** Number of DFA states (after minimisation). */
  readonly stateCount: number;
  start(): StreamMatcher;
  accepts(events: string[]): boolean;
  /** True when `event` is in the alphabet and every transition on it leads to a final state (accepting, no way on). */
  isTerminal(event: string): boolean;
  /** A random accepted word; at most `maxLength` events unless the shortest word is longer. */
  sample(rng: () => number, maxLength?: number): string[];
  /** A shortest accepted word. */
  shortest(): string[];
}

// ---------------------------------------------------------------- tokens and parse tree

type Token =
  | { kind: 'name'; text: string; col: number }
  | { kind: '|' | '*' | '+' | '?' | '(' | ')' | 'end'; col: number };

const NAME_CHAR = /[A-Za-z0-9_:.\-/@]/;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '|' || c === '*' || c === '+' || c === '?' || c === '(' || c === ')') {
      out.push({ kind: c, col: i + 1 });
      i++;
    } else if (NAME_CHAR.test(c)) {
      const start = i;
      while (i < src.length && NAME_CHAR.test(src[i]!)) i++;
      out.push({ kind: 'name', text: src.slice(start, i), col: start + 1 });
    } else {
      throw new GrammarError(
        `unexpected character '${c}' (event names use letters, digits and _ : . - / @; operators are | * + ? ( ))`,
        i + 1,
        src,
      );
    }
  }
  out.push({ kind: 'end', col: src.length + 1 });
  return out;
}

type Ast =
  | { t: 'sym'; name: string }
  | { t: 'seq'; items: Ast[] }
  | { t: 'alt'; items: Ast[] }
  | { t: 'star' | 'plus' | 'opt'; item: Ast };

function parse(src: string): Ast {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p]!;
  const describe = (t: Token) => (t.kind === 'name' ? `'${t.text}'` : t.kind === 'end' ? 'end of grammar' : `'${t.kind}'`);

  function alt(): Ast {
    const items = [seq()];
    while (peek().kind === '|') {
      p++;
      items.push(seq());
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }
  function seq(): Ast {
    const items: Ast[] = [];
    while (peek().kind === 'name' || peek().kind === '(') items.push(postfix());
    if (items.length === 0) {
      const t = peek();
      const what = t.kind === 'end' && src.trim() === '' ? 'empty grammar' : `expected an event name or '(' but found ${describe(t)}`;
      throw new GrammarError(what, t.col, src);
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }
  function postfix(): Ast {
    let node = atom();
    for (;;) {
      const k = peek().kind;
      if (k === '*') node = { t: 'star', item: node };
      else if (k === '+') node = { t: 'plus', item: node };
      else if (k === '?') node = { t: 'opt', item: node };
      else return node;
      p++;
    }
  }
  function atom(): Ast {
    const t = peek();
    if (t.kind === 'name') {
      p++;
      return { t: 'sym', name: t.text };
    }
    // seq() only calls postfix() on a name or '('.
    const open = t;
    p++;
    const inner = alt();
    if (peek().kind !== ')') {
      throw new GrammarError(`expected ')' to close the '(' at column ${open.col} but found ${describe(peek())}`, peek().col, src);
    }
    p++;
    return inner;
  }

  const tree = alt();
  if (peek().kind !== 'end') {
    const t = peek();
    const msg = t.kind === ')' ? "unmatched ')'" : `unexpected ${describe(t)}`;
    throw new GrammarError(msg, t.col, src);
  }
  return tree;
}

// ---------------------------------------------------------------- Thompson NFA

interface Nfa {
  eps: number[][];
  sym: { on: number; to: number }[][];
  start: number;
  accept: number;
}

function buildNfa(ast: Ast, symbolIndex: Map<string, number>): Nfa {
  const eps: number[][] = [];
  const sym: { on: number; to: number }[][] = [];
  const state = () => {
    eps.push([]);
    sym.push([]);
    return eps.length - 1;
  };
  function frag(n: Ast): [number, number] {
    switch (n.t) {
      case 'sym': {
        const s = state();
        const e = state();
        sym[s]!.push({ on: symbolIndex.get(n.name)!, to: e });
        return [s, e];
      }
      case 'seq': {
        const parts = n.items.map(frag);
        for (let i = 0; i + 1 < parts.length; i++) eps[parts[i]![1]]!.push(parts[i + 1]![0]);
        return [parts[0]![0], parts[parts.length - 1]![1]];
      }
      case 'alt': {
        const s = state();
        const e = state();
        for (const part of n.items.map(frag)) {
          eps[s]!.push(part[0]);
          eps[part[1]]!.push(e);
        }
        return [s, e];
      }
      case 'star':
      case 'plus':
      case 'opt': {
        const [is, ie] = frag(n.item);
        const s = state();
        const e = state();
        eps[s]!.push(is);
        eps[ie]!.push(e);
        if (n.t !== 'plus') eps[s]!.push(e);
        if (n.t !== 'opt') eps[ie]!.push(is);
        return [s, e];
      }
    }
  }
  const [start, accept] = frag(ast);
  return { eps, sym, start, accept };
}

// ---------------------------------------------------------------- DFA

interface Dfa {
  /** trans[state * k + symbol] = next state or -1. */
  trans: Int32Array;
  accepting: Uint8Array;
  n: number;
  k: number;
}

function subsetConstruction(nfa: Nfa, k: number): Dfa {
  const closure = (set: number[]): number[] => {
    const seen = new Set(set);
    const stack = [...set];
    while (stack.length) {
      const s = stack.pop()!;
      for (const t of nfa.eps[s]!) if (!seen.has(t)) (seen.add(t), stack.push(t));
    }
    return [...seen].sort((a, b) => a - b);
  };
  const ids = new Map<string, number>();
  const sets: number[][] = [];
  const trans: number[] = [];
  const accepting: number[] = [];
  const add = (set: number[]) => {
    const key = set.join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = sets.length;
      ids.set(key, id);
      sets.push(set);
      accepting.push(set.includes(nfa.accept) ? 1 : 0);
      for (let a = 0; a < k; a++) trans.push(-1);
    }
    return id;
  };
  add(closure([nfa.start]));
  for (let i = 0; i < sets.length; i++) {
    const moves = new Map<number, number[]>();
    for (const s of sets[i]!) {
      for (const { on, to } of nfa.sym[s]!) {
        const list = moves.get(on) ?? [];
        list.push(to);
        moves.set(on, list);
      }
    }
    for (const [on, targets] of moves) trans[i * k + on] = add(closure(targets));
  }
  return { trans: Int32Array.from(trans), accepting: Uint8Array.from(accepting), n: sets.length, k };
}

/** Moore partition refinement; state 0 stays the start state. Cheap for grammar-sized automata. */
function minimise(d: Dfa): Dfa {
  const { n, k } = d;
  let block = Array.from(d.accepting, (a) => a);
  let count = new Set(block).size;
  for (;;) {
    const sigs = new Map<string, number>();
    const next = new Array<number>(n);
    for (let s = 0; s < n; s++) {
      let sig = String(block[s]);
      for (let a = 0; a < k; a++) {
        const t = d.trans[s * k + a]!;
        sig += ',' + (t < 0 ? -1 : block[t]);
      }
      let id = sigs.get(sig);
      if (id === undefined) sigs.set(sig, (id = sigs.size));
      next[s] = id;
    }
    block = next;
    if (sigs.size === count) break;
    count = sigs.size;
  }
  // Renumber so the start state's block is 0 and numbering follows discovery order.
  const order = new Map<number, number>();
  const renum = (b: number) => {
    let id = order.get(b);
    if (id === undefined) order.set(b, (id = order.size));
    return id;
  };
  renum(block[0]!);
  for (let s = 0; s < n; s++) renum(block[s]!);
  const m = order.size;
  const trans = new Int32Array(m * k).fill(-1);
  const accepting = new Uint8Array(m);
  for (let s = 0; s < n; s++) {
    const b = order.get(block[s]!)!;
    accepting[b] = d.accepting[s]!;
    for (let a = 0; a < k; a++) {
      const t = d.trans[s * k + a]!;
      trans[b * k + a] = t < 0 ? -1 : order.get(block[t]!)!;
    }
  }
  return { trans, accepting, n: m, k };
}

// ---------------------------------------------------------------- compiled grammar

class Grammar implements CompiledGrammar {
  readonly alphabet: string[];
  readonly stateCount: number;
  /** @internal */ readonly dfa: Dfa;
  /** @internal */ readonly index: Map<string, number>;
  /** Per state: accepting with no outgoing transition. */
  private readonly final: Uint8Array;
  /** Per state: sorted event names with a transition. */
  private readonly allowed: string[][];
  /** Per state: length of the shortest path to an accepting state. */
  private readonly distance: Int32Array;

  constructor(
    readonly source: string,
    alphabet: string[],
    dfa: Dfa,
  ) {
    this.alphabet = alphabet;
    this.index = new Map(alphabet.map((name, i) => [name, i]));
    this.dfa = dfa;
    this.stateCount = dfa.n;
    const { n, k, trans, accepting } = dfa;
    this.final = new Uint8Array(n);
    this.allowed = [];
    for (let s = 0; s < n; s++) {
      const names: string[] = [];
      for (let a = 0; a < k; a++) if (trans[s * k + a]! >= 0) names.push(alphabet[a]!);
      this.allowed.push(names);
      this.final[s] = accepting[s] && names.length === 0 ? 1 : 0;
    }
    // Backward BFS from accepting states.
    this.distance = new Int32Array(n).fill(-1);
    const queue: number[] = [];
    for (let s = 0; s < n; s++) if (accepting[s]) (this.distance[s] = 0, queue.push(s));
    for (let qi = 0; qi < queue.length; qi++) {
      const t = queue[qi]!;
      for (let s = 0; s < n; s++) {
        if (this.distance[s] !== -1) continue;
        for (let a = 0; a < k; a++) {
          if (trans[s * k + a] === t) {
            this.distance[s] = this.distance[t]! + 1;
            queue.push(s);
            break;
          }
        }
      }
    }
  }

  /** @internal next state or -1 */
  step(state: number, event: string): number {
    const a = this.index.get(event);
    return a === undefined ? -1 : this.dfa.trans[state * this.dfa.k + a]!;
  }
  /** @internal */ isAccepting(state: number): boolean {
    return this.dfa.accepting[state] === 1;
  }
  /** @internal */ isFinalState(state: number): boolean {
    return this.final[state] === 1;
  }
  /** @internal */ allowedAt(state: number): string[] {
    return this.allowed[state]!;
  }

  start(): StreamMatcher {
    return new Matcher(this);
  }

  accepts(events: string[]): boolean {
    let s = 0;
    for (const e of events) {
      s = this.step(s, e);
      if (s < 0) return false;
    }
    return this.isAccepting(s);
  }

  isTerminal(event: string): boolean {
    const a = this.index.get(event);
    if (a === undefined) return false;
    const { n, k, trans } = this.dfa;
    let any = false;
    for (let s = 0; s < n; s++) {
      const t = trans[s * k + a]!;
      if (t < 0) continue;
      if (!this.final[t]) return false;
      any = true;
    }
    return any;
  }

  sample(rng: () => number, maxLength = 32): string[] {
    const { k, trans } = this.dfa;
    const dist = this.distance;
    // Aim for a length drawn uniformly between the shortest word and maxLength, so samples spread
    // over short and long streams instead of mostly ending at the first terminal event.
    const shortest = dist[0]!;
    const target = shortest + Math.floor(rng() * (Math.max(0, maxLength - shortest) + 1));
    const out: string[] = [];
    let s = 0;
    for (;;) {
      const accepting = this.isAccepting(s);
      if (accepting && (this.final[s] || out.length >= target)) return out;
      const budget = maxLength - out.length;
      let options: number[] = [];
      for (let a = 0; a < k; a++) {
        const t = trans[s * k + a]!;
        if (t >= 0 && dist[t]! + 1 <= budget) options.push(a);
      }
      if (out.length + 1 < target) {
        // Keep going: prefer events that do not end the stream.
        const onward = options.filter((a) => !this.final[trans[s * k + a]!]);
        if (onward.length) options = onward;
      } else {
        // Wind down: prefer events that bring acceptance closer.
        const closer = options.filter((a) => dist[trans[s * k + a]!]! < dist[s]!);
        if (closer.length) options = closer;
      }
      if (options.length === 0) {
        if (accepting) return out;
        // Budget too small for any word: finish along a shortest path.
        for (let a = 0; a < k; a++) {
          const t = trans[s * k + a]!;
          if (t >= 0 && dist[t] === dist[s]! - 1) {
            options.push(a);
            break;
          }
        }
      }
      const a = options[Math.min(options.length - 1, Math.floor(rng() * options.length))]!;
      out.push(this.alphabet[a]!);
      s = trans[s * k + a]!;
    }
  }

  shortest(): string[] {
    const { k, trans } = this.dfa;
    const out: string[] = [];
    let s = 0;
    while (!this.isAccepting(s)) {
      for (let a = 0; a < k; a++) {
        const t = trans[s * k + a]!;
        if (t >= 0 && this.distance[t] === this.distance[s]! - 1) {
          out.push(this.alphabet[a]!);
          s = t;
          break;
        }
      }
    }
    return out;
  }
}

class Matcher implements StreamMatcher {
  private state = 0;
  private pos = 0;
  private violation = -1;
  private violationExpected: string[] | null = null;
  private rejected = false;

  constructor(private readonly g: Grammar) {}

  feed(event: string): MatchStatus {
    if (!this.rejected) {
      const t = this.g.step(this.state, event);
      if (t < 0) {
        this.rejected = true;
        this.violation = this.pos;
        this.violationExpected = this.g.allowedAt(this.state);
      } else {
        this.state = t;
      }
    }
    this.pos++;
    return this.status;
  }
  get status(): MatchStatus {
    if (this.rejected) return 'reject';
    return this.g.isAccepting(this.state) ? 'accept' : 'open';
  }
  get position(): number {
    return this.pos;
  }
  get violationIndex(): number {
    return this.violation;
  }
  get expected(): string[] {
    return this.violationExpected ?? this.g.allowedAt(this.state);
  }
  get isFinal(): boolean {
    return !this.rejected && this.g.isFinalState(this.state);
  }
  end(): { ok: boolean; expected: string[] } {
    if (this.rejected) return { ok: false, expected: this.violationExpected! };
    if (this.g.isAccepting(this.state)) return { ok: true, expected: [] };
    // The stream stopped early: the violation is the end position itself.
    this.violation = this.pos;
    this.violationExpected = this.g.allowedAt(this.state);
    this.rejected = true;
    return { ok: false, expected: this.violationExpected };
  }
}

function collectNames(ast: Ast, into: Set<string>): void {
  if (ast.t === 'sym') into.add(ast.name);
  else if (ast.t === 'seq' || ast.t === 'alt') for (const i of ast.items) collectNames(i, into);
  else collectNames(ast.item, into);
}

/** Compile a grammar once; throws GrammarError (with a 1-based column) on syntax errors. */
export function compileGrammar(source: string): CompiledGrammar {
  const ast = parse(source);
  const names = new Set<string>();
  collectNames(ast, names);
  const alphabet = [...names].sort();
  const index = new Map(alphabet.map((n, i) => [n, i]));
  const nfa = buildNfa(ast, index);
  return new Grammar(source, alphabet, minimise(subsetConstruction(nfa, alphabet.length)));
}

/**
 * Does `a` accept every word `b` accepts? Breadth-first search over the product automaton gives a
 * shortest word of `b` that `a` rejects. Alphabets may differ (an event unknown to `a` kills it).
 */
export function languageContains(a: CompiledGrammar, b: CompiledGrammar): { contains: boolean; counterexample?: string[] } {
  const ga = a as Grammar;
  const gb = b as Grammar;
  const key = (sb: number, sa: number) => sb * (ga.stateCount + 1) + (sa + 1);
  const prev = new Map<number, { from: number; event: string } | null>();
  const queue: [number, number][] = [[0, 0]];
  prev.set(key(0, 0), null);
  for (let qi = 0; qi < queue.length; qi++) {
    const [sb, sa] = queue[qi]!;
    if (gb.isAccepting(sb) && (sa < 0 || !ga.isAccepting(sa))) {
      const word: string[] = [];
      let k = key(sb, sa);
      for (let p = prev.get(k); p; p = prev.get(k)) {
        word.push(p.event);
        k = p.from;
      }
      return { contains: false, counterexample: word.reverse() };
    }
    for (const event of gb.allowedAt(sb)) {
      const tb = gb.step(sb, event);
      const ta = sa < 0 ? -1 : ga.step(sa, event);
      const nk = key(tb, ta);
      if (!prev.has(nk)) {
        prev.set(nk, { from: key(sb, sa), event });
        queue.push([tb, ta]);
      }
    }
  }
  return { contains: true };
}
