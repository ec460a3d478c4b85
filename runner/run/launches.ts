// The run's record of launches: failed launches and crashes in a row, and when to stop relaunching
// (a crash loop ends after MAX_FAILED_LAUNCHES in a row instead of relaunching until killed).
import type { LaunchRecord } from '../checks/observations.ts';
import type { LaunchFailed } from './session.ts';

export const MAX_FAILED_LAUNCHES = 3;

export class LaunchLedger {
  readonly failures: LaunchRecord[] = [];
  private inARow = 0;
  /** Why the run stopped relaunching; undefined while it still may. */
  gaveUp: string | undefined;

  /** A launch that failed; true when the run must stop relaunching now. */
  launchFailed(attempt: number, err: LaunchFailed): boolean {
    this.failures.push({ attempt, phase: err.phase, message: err.message, exitCode: err.exitCode, signal: err.signal, output: err.output });
    return this.count(err.message);
  }

  /** The app went away before a channel group completed on its launch (it will be relaunched). */
  crashed(attempt: number, reason: string, output: string[]): boolean {
    this.failures.push({ attempt, phase: 'went-away', message: reason, exitCode: null, signal: null, output });
    return this.count(reason);
  }

  /** A channel group completed: the app is usable, the streak ends. */
  succeeded(): void {
    this.inARow = 0;
  }

  private count(reason: string): boolean {
    this.inARow++;
    if (this.inARow >= MAX_FAILED_LAUNCHES && !this.gaveUp) {
      this.gaveUp = `stopped relaunching after ${this.inARow} failed launches in a row; the last: ${reason}`;
    }
    return this.gaveUp !== undefined;
  }
}
