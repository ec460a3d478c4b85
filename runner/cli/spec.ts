// `conform spec ...`: lint, list and sample contract packs.
import type { Command } from 'commander';

export function register(program: Command): void {
  program.command('spec').description('Check, list and sample contract packs');
}
