// The contract format's verdict statements: invalidParams (channel, pack default), errors.when,
// assumed (channel, stream, pack-wide) and the x-assumed / x-exact schema annotations.
import { describe, expect, it } from 'vitest';
import { loadPackFromSourcesSync } from '../../specs/loader.ts';
import { ContractError } from '../../specs/model.ts';

const pack = (body: string, head = '') => loadPackFromSourcesSync('v', { 'contract.yaml': `conform: 1
app: v
transport: electron
${head}bridge:
  roots: [window.api]
channels:
${body}` });

const invoke = (extra = '') => `  a:get:
    kind: invoke
    bridge: window.api.get
    params:
      - { name: id, schema: { type: string, minLength: 1, x-assumed: "ids are non-empty" } }
    returns: { type: object, properties: { id: { type: string } }, x-exact: true }
    budgetMs: 100
${extra}`;

describe('verdict statements in the contract format', () => {
  it('invalidParams: the channel statement, else the pack default, else unspecified', () => {
    expect(pack(invoke()).byName.get('a:get')!.invalidParams).toBe('unspecified');
    expect(pack(invoke(), 'invalidParams: tolerated\n').byName.get('a:get')!.invalidParams).toBe('tolerated');
    expect(pack(invoke('    invalidParams: rejected\n'), 'invalidParams: tolerated\n').byName.get('a:get')!.invalidParams).toBe('rejected');
  });

  it('invalidParams must fit the error style, with file:line in the message', () => {
    expect(() => pack(invoke('    invalidParams: error-branch\n'))).toThrow(ContractError);
    expect(() => pack(invoke('    invalidParams: error-branch\n'))).toThrow(/contract\.yaml:\d+:\d+: channels\.a:get\.invalidParams: invalidParams: error-branch needs errors style result-union/);
    expect(() => pack(invoke('    invalidParams: sometimes\n'))).toThrow(/invalidParams/);
  });

  it('errors.when and assumed: parts reach the model; pack-wide assumptions reach every bridge and budget', () => {
    const p = pack(invoke('    errors: { style: rejection, when: "no such id" }\n    assumed: { invalidParams: "a guess" }\n'),
      'assumed:\n  bridge: "guessed paths"\n  budgets: "Conform defaults"\n');
    const ch = p.byName.get('a:get')!;
    expect(ch.errors).toMatchObject({ style: 'rejection', when: 'no such id' });
    expect(ch.assumed).toEqual({ bridge: 'guessed paths', budgetMs: 'Conform defaults', invalidParams: 'a guess' });
    expect(() => pack(invoke('    assumed: { returns: "x" }\n'))).toThrow(/assumed/);
  });

  it('x-assumed and x-exact are annotations ajv knows; issues carry them', () => {
    const p = pack(invoke());
    const ch = p.byName.get('a:get')!;
    const args = p.schemas.validate(ch.args, ['']);
    expect(args.issues[0]).toMatchObject({ keyword: 'minLength', assumed: 'ids are non-empty' });
    expect(p.schemas.validate(ch.returns!, { id: 'x', extra: 1 }).valid).toBe(true); // x-exact alone is read by the checks
  });
});
