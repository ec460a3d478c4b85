// Error-contract rules: how a failing call reaches the renderer. The result-union error branch
// itself is compared by the schema walker (location `error-branch`, flowing out).
import type { ChannelRule } from '../types.ts';
import { canon } from '../normalize.ts';

const HOW: Record<string, string> = {
  rejection: 'the promise rejects with "Error invoking remote method"',
  'result-union': 'the call resolves with a failure branch',
  'tauri-string': 'the promise rejects with a bare string',
  none: 'no failure mode',
};

export const errorStyleChanged: ChannelRule = {
  id: 'error-style-changed',
  family: 'errors',
  summary: 'the error contract changed style (rejection / result-union / tauri-string / none)',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: failure handling written for the old style (catch vs checking the result) misses failures',
  check: (p) => {
    const a = p.oldChannel.errors.style;
    const b = p.newChannel.errors.style;
    if (a === b || a === 'unspecified' || b === 'unspecified') return [];
    return [{ location: 'errors', message: `error contract changed from ${a} to ${b}: before, ${HOW[a]}; now, ${HOW[b]}`, before: a, after: b }];
  },
};

export const errorContractSpecified: ChannelRule = {
  id: 'error-contract-specified',
  family: 'errors',
  summary: 'an unspecified error contract is now stated',
  severity: 'info',
  who: 'none',
  what: 'none: the failure mode was open; review renderer error handling against the stated one',
  check: (p) => (p.oldChannel.errors.style === 'unspecified' && p.newChannel.errors.style !== 'unspecified' ? [{ location: 'errors', message: `error contract now stated: ${p.newChannel.errors.style}`, after: p.newChannel.errors.style }] : []),
};

export const errorContractUnspecified: ChannelRule = {
  id: 'error-contract-unspecified',
  family: 'errors',
  summary: 'a stated error contract became unspecified',
  severity: 'info',
  who: 'none',
  what: 'none: failures are no longer checked; note says what is open',
  check: (p) => (p.oldChannel.errors.style !== 'unspecified' && p.newChannel.errors.style === 'unspecified' ? [{ location: 'errors', message: `error contract now unspecified (was ${p.oldChannel.errors.style})`, before: p.oldChannel.errors.style }] : []),
};

export const errorDiscriminatorChanged: ChannelRule = {
  id: 'error-discriminator-changed',
  family: 'errors',
  summary: 'the field/value that marks the failure branch of a result union changed',
  severity: 'breaking',
  who: 'renderer',
  what: 'renderer: code testing the old discriminator mistakes failures for successes',
  check: (p) => {
    const a = p.oldChannel.errors;
    const b = p.newChannel.errors;
    if (a.style !== 'result-union' || b.style !== 'result-union') return [];
    const x = canon(a.discriminator ?? null);
    const y = canon(b.discriminator ?? null);
    return x === y ? [] : [{ location: 'errors', message: `error discriminator changed from ${x} to ${y}`, before: x, after: y }];
  },
};

export const errorMessageChanged: ChannelRule = {
  id: 'error-message-changed',
  family: 'errors',
  summary: 'the rejection message pattern changed',
  severity: 'warning',
  who: 'renderer',
  what: 'renderer: code matching the old message text may stop recognising the failure',
  check: (p) => {
    const a = p.oldChannel.errors;
    const b = p.newChannel.errors;
    if (a.style !== 'rejection' || b.style !== 'rejection' || a.message === b.message) return [];
    return [{ location: 'errors', message: `rejection message pattern changed from ${a.message ?? '(any)'} to ${b.message ?? '(any)'}`, before: a.message, after: b.message }];
  },
};

export const ERROR_RULES: ChannelRule[] = [errorStyleChanged, errorContractSpecified, errorContractUnspecified, errorDiscriminatorChanged, errorMessageChanged];
