// Errors a user can fix. The CLI prints their message as one paragraph and exits 2; anything
// else is an internal error (exit 3), printed without a stack unless CONFORM_DEBUG is set.
import { ContractError } from '../specs/model.ts';

export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function isUserError(err: unknown): err is Error & { exitCode: number } {
  return err instanceof UsageError || err instanceof ContractError;
}

/** One paragraph: collapse newlines so a message never looks like a stack trace. */
export function oneParagraph(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
