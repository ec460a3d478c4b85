import { describe, expect, it } from 'vitest';
import { compileGrammar, GrammarError, languageContains } from '../../specs/grammar.ts';
import { seededRandom as rng } from '../../specs/random.ts';

const CHAT = 'ollama:chat-token* (ollama:chat-done | ollama:chat-error | ollama:chat-aborted)';
const TOKEN = 'ollama:chat-token';
const DONE = 'ollama:chat-done';
const ERROR = 'ollama:chat-error';
const ABORTED = 'ollama:chat-aborted';

function syntaxError(source: string): GrammarError {
  try {
    compileGrammar(source);
  } catch (e) {
    expect(e).toBeInstanceOf(GrammarError);
    return e as GrammarError;
  }
  throw new Error(`expected a GrammarError for ${JSON.stringify(source)}`);
}

describe('grammar syntax errors', () => {
  it.each([
    ['', 1, /empty grammar/],
    ['   ', 4, /empty grammar/],
    ['a |', 4, /expected an event name or '\(' but found end of grammar/],
    ['a | | b', 5, /found '\|'/],
    ['(a b', 5, /expected '\)' to close the '\(' at column 1/],
    ['a b)', 4, /unmatched '\)'/],
    ['a # b', 3, /unexpected character '#'/],
    ['*a', 1, /found '\*'/],
    ['a ()', 4, /found '\)'/],
    ['chat-token, chat-done', 11, /unexpected character ','/],
  ])('%j fails at column %i', (source, column, message) => {
    const err = syntaxError(source);
    expect(err.column).toBe(column);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(`column ${column}`);
  });

  it('accepts every character of the event-name alphabet', () => {
    const g = compileGrammar('a_b:c.d-e/f@g Chunk 9lives');
    expect(g.alphabet).toEqual(['9lives', 'Chunk', 'a_b:c.d-e/f@g']);
    expect(g.accepts(['a_b:c.d-e/f@g', 'Chunk', '9lives'])).toBe(true);
  });
});

describe('acceptance', () => {
  const chat = compileGrammar(CHAT);

  it('knows its alphabet, sorted', () => {
    expect(chat.alphabet).toEqual([ABORTED, DONE, ERROR, TOKEN]);
    expect(chat.source).toBe(CHAT);
  });

  it.each([
    [[DONE], true],
    [[TOKEN, TOKEN, ERROR], true],
    [[TOKEN, ABORTED], true],
    [[], false],
    [[TOKEN], false],
    [[DONE, TOKEN], false],
    [[DONE, DONE], false],
    [[TOKEN, 'ollama:unknown'], false],
  ])('chat grammar on %j -> %s', (events, ok) => {
    expect(chat.accepts(events)).toBe(ok);
  });

  it('handles +, ? and nested groups', () => {
    const g = compileGrammar('start (progress+ | skipped)? (done | (fail retry?))');
    expect(g.accepts(['start', 'done'])).toBe(true);
    expect(g.accepts(['start', 'progress', 'progress', 'fail', 'retry'])).toBe(true);
    expect(g.accepts(['start', 'skipped', 'fail'])).toBe(true);
    expect(g.accepts(['start', 'progress', 'skipped', 'done'])).toBe(false);
    expect(g.accepts(['start', 'retry'])).toBe(false);
    expect(g.accepts(['progress', 'done'])).toBe(false);
  });

  it('minimises: equivalent grammars give the same state count', () => {
    expect(compileGrammar('(a | b)*').stateCount).toBe(1);
    expect(compileGrammar('a* a*').stateCount).toBe(compileGrammar('a*').stateCount);
    expect(compileGrammar(CHAT).stateCount).toBe(2);
  });

  it('marks terminal events (accepting, no way on)', () => {
    expect(chat.isTerminal(DONE)).toBe(true);
    expect(chat.isTerminal(ERROR)).toBe(true);
    expect(chat.isTerminal(TOKEN)).toBe(false);
    expect(chat.isTerminal('nope')).toBe(false);
    expect(compileGrammar('(log | status)*').isTerminal('status')).toBe(false);
  });
});

describe('stream matcher', () => {
  const chat = compileGrammar(CHAT);

  it('reports open, accept and final on a good stream', () => {
    const m = chat.start();
    expect(m.status).toBe('open');
    expect(m.expected).toEqual([ABORTED, DONE, ERROR, TOKEN]);
    expect(m.feed(TOKEN)).toBe('open');
    expect(m.feed(TOKEN)).toBe('open');
    expect(m.isFinal).toBe(false);
    expect(m.feed(DONE)).toBe('accept');
    expect(m.isFinal).toBe(true);
    expect(m.expected).toEqual([]);
    expect(m.violationIndex).toBe(-1);
    expect(m.end()).toEqual({ ok: true, expected: [] });
  });

  it('reports the first violation and what was expected there; rejection is sticky', () => {
    const m = chat.start();
    m.feed(TOKEN);
    m.feed(DONE);
    expect(m.feed(TOKEN)).toBe('reject');
    expect(m.violationIndex).toBe(2);
    expect(m.expected).toEqual([]); // nothing may follow a terminal event
    expect(m.feed(DONE)).toBe('reject');
    expect(m.violationIndex).toBe(2);
    expect(m.position).toBe(4);
    expect(m.isFinal).toBe(false);
    expect(m.end()).toEqual({ ok: false, expected: [] });
  });

  it('reports an unknown event with the allowed set', () => {
    const m = chat.start();
    m.feed(TOKEN);
    expect(m.feed('ollama:chat-tokn')).toBe('reject');
    expect(m.violationIndex).toBe(1);
    expect(m.expected).toEqual([ABORTED, DONE, ERROR, TOKEN]);
  });

  it('fails at end of stream when no terminal event came', () => {
    const m = chat.start();
    m.feed(TOKEN);
    m.feed(TOKEN);
    const end = m.end();
    expect(end.ok).toBe(false);
    expect(end.expected).toEqual([ABORTED, DONE, ERROR, TOKEN]);
    expect(m.violationIndex).toBe(2);
    expect(m.status).toBe('reject');
  });

  it('an accepting state with a way on is accept but not final', () => {
    const m = compileGrammar('(process:status:event | process:log:event)*').start();
    expect(m.status).toBe('accept');
    expect(m.feed('process:log:event')).toBe('accept');
    expect(m.isFinal).toBe(false);
    expect(m.expected).toEqual(['process:log:event', 'process:status:event']);
  });

  it('matchers are independent of each other', () => {
    const a = chat.start();
    const b = chat.start();
    a.feed(DONE);
    expect(a.status).toBe('accept');
    expect(b.status).toBe('open');
  });
});

describe('languageContains', () => {
  const g = (s: string) => compileGrammar(s);

  it('is true for a sub-language and for equal languages', () => {
    expect(languageContains(g('a* (b | c)'), g('a b'))).toEqual({ contains: true });
    expect(languageContains(g('a* (b | c)'), g('a+ c | b'))).toEqual({ contains: true });
    expect(languageContains(g('(a | b)*'), g('(a* b*)*'))).toEqual({ contains: true });
    expect(languageContains(g('(a* b*)*'), g('(a | b)*'))).toEqual({ contains: true });
  });

  it('gives a shortest counterexample when the new grammar allows more', () => {
    expect(languageContains(g('a b'), g('a* b'))).toEqual({ contains: false, counterexample: ['b'] });
    expect(languageContains(g('a* (b | c)'), g('a* (b | c | d)'))).toEqual({ contains: false, counterexample: ['d'] });
    expect(languageContains(g('a a?'), g('a+'))).toEqual({ contains: false, counterexample: ['a', 'a', 'a'] });
  });

  it('handles different alphabets in both directions', () => {
    const old = g(CHAT);
    const added = g(`${TOKEN}* (${DONE} | ${ERROR} | ${ABORTED} | ollama:chat-timeout)`);
    const removed = g(`${TOKEN}* (${DONE} | ${ERROR})`);
    expect(languageContains(old, added)).toEqual({ contains: false, counterexample: ['ollama:chat-timeout'] });
    expect(languageContains(added, old)).toEqual({ contains: true });
    expect(languageContains(removed, old)).toEqual({ contains: false, counterexample: [ABORTED] });
    expect(languageContains(old, removed)).toEqual({ contains: true });
  });

  it('the counterexample is a word of b that a rejects', () => {
    const a = g('x (y z)* w');
    const b = g('x (y z?)* w');
    const r = languageContains(a, b);
    expect(r.contains).toBe(false);
    expect(b.accepts(r.counterexample!)).toBe(true);
    expect(a.accepts(r.counterexample!)).toBe(false);
    expect(r.counterexample).toEqual(['x', 'y', 'w']);
  });
});

describe('sample', () => {
  const grammars = [
    CHAT,
    'start (progress+ | skipped)? (done | (fail retry?))',
    '(process:status:event | process:log:event)*',
    'Chunk* Done',
    'a (b c)+ d? e*',
  ];

  it.each(grammars)('every sampled word of %j is accepted, over 200 seeds', (source) => {
    const gr = compileGrammar(source);
    const seen = new Set<string>();
    for (let seed = 1; seed <= 200; seed++) {
      const word = gr.sample(rng(seed), 12);
      expect(gr.accepts(word), `seed ${seed}: ${word.join(' ')}`).toBe(true);
      expect(word.length).toBeLessThanOrEqual(12);
      seen.add(word.join(' '));
    }
    // Sampling explores the language rather than returning one word.
    expect(seen.size).toBeGreaterThan(3);
  });

  it('is deterministic for a given rng', () => {
    const gr = compileGrammar(CHAT);
    expect(gr.sample(rng(7), 10)).toEqual(gr.sample(rng(7), 10));
  });

  it('finishes along a shortest path when the budget is too small', () => {
    const gr = compileGrammar('a b c d');
    expect(gr.sample(rng(1), 2)).toEqual(['a', 'b', 'c', 'd']);
    expect(gr.shortest()).toEqual(['a', 'b', 'c', 'd']);
    expect(compileGrammar(CHAT).shortest()).toHaveLength(1);
  });

  it('covers every terminal of the chat grammar across seeds', () => {
    const gr = compileGrammar(CHAT);
    const last = new Set<string>();
    for (let seed = 1; seed <= 100; seed++) last.add(gr.sample(rng(seed)).at(-1)!);
    expect([...last].sort()).toEqual([ABORTED, DONE, ERROR]);
  });
});

describe('sample lengths', () => {
  it('spreads stream lengths between the shortest word and maxLength', () => {
    const gr = compileGrammar(CHAT);
    const lengths = new Set<number>();
    for (let seed = 1; seed <= 200; seed++) lengths.add(gr.sample(rng(seed), 20).length);
    expect(Math.min(...lengths)).toBe(1);
    expect(Math.max(...lengths)).toBeGreaterThanOrEqual(15);
    expect(lengths.size).toBeGreaterThan(10);
  });
});
