// Files Conform writes that can hold an app's payloads (reports, cassettes, drift and diff
// reports) are readable by their owner only (0600), also when they replace an existing file.
import { chmodSync, writeFileSync } from 'node:fs';

export function writePrivateFile(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600); // `mode` applies only when the file is created
}
