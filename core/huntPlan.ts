// The hunt's repeat policy: each run's seed and load, when a test is settled, and when the hunt stops.
//
// A test is settled when it is known flaky (it failed at least once) or when it passed so often that a flake rate
// of `rate` or more is ruled out at `confidence`: the upper end of the Wilson interval of its failure rate is
// below `rate`. The hunt stops when every selected test is settled, when the run budget is spent, or when the
// time budget is: whichever comes first.

import { FlakeguardError } from './errors';
import { wilsonInterval } from './wilson';

export interface HuntPolicy {
  /** At most this many runs; null: no limit but the duration. */
  maxRuns: number | null;
  /** Stop starting runs after this long; null: no limit but the runs. */
  durationMs: number | null;
  confidence: number;
  /** The smallest flake rate a clean verdict rules out. */
  rate: number;
  /** Alternate calm and CPU-stressed runs (`--stress cpu`). */
  stress: boolean;
}

export const DEFAULT_RUNS = 20;
export const DEFAULT_CONFIDENCE = 0.95;
export const DEFAULT_RATE = 0.2;

export interface Tally {
  runs: number;
  failures: number;
}

export type Settlement = 'clean' | 'flaky' | 'open';

export function settlement(tally: Tally, policy: Pick<HuntPolicy, 'confidence' | 'rate'>): Settlement {
  if (tally.failures > 0) return 'flaky';
  return wilsonInterval(0, tally.runs, policy.confidence).high < policy.rate ? 'clean' : 'open';
}

/** Passing runs a test needs before it is settled clean: the smallest n with z²/(n+z²) < rate. */
export function runsToSettle(policy: Pick<HuntPolicy, 'confidence' | 'rate'>): number {
  let n = 1;
  while (wilsonInterval(0, n, policy.confidence).high >= policy.rate) n++;
  return n;
}

export type StopReason = 'settled' | 'runs' | 'duration' | 'interrupted';

/** Whether to start another run, given every selected test's tally (null: go on). */
export function stopReason(tallies: Iterable<Tally>, policy: HuntPolicy, runsDone: number, elapsedMs: number): StopReason | null {
  let any = false;
  let open = false;
  for (const tally of tallies) {
    any = true;
    if (settlement(tally, policy) === 'open') {
      open = true;
      break;
    }
  }
  // With --stress a settled verdict needs calm and stressed runs alike: never stop after one run.
  if (any && !open && (!policy.stress || runsDone >= 2)) return 'settled';
  if (policy.maxRuns !== null && runsDone >= policy.maxRuns) return 'runs';
  if (policy.durationMs !== null && elapsedMs >= policy.durationMs) return 'duration';
  return null;
}

/** Run `index` (1-based) of a stressed hunt runs under CPU load every second time: calm runs are the baseline. */
export function isStressedRun(index: number, policy: Pick<HuntPolicy, 'stress'>): boolean {
  return policy.stress && index % 2 === 0;
}

/**
 * The seed of run `index` (1-based): a 32-bit mix of the hunt's seed and the index, so runs differ and any one
 * can be replayed from the hunt's seed alone. Within Jest's accepted range (a signed 32-bit integer).
 */
export function runSeed(huntSeed: number, index: number): number {
  let h = (huntSeed ^ Math.imul(index, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) | 0;
}

/** `10m`, `90s`, `1h`, `1h30m`, `500ms` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text.trim());
  if (!match || text.trim() === '' || match.slice(1).every((part) => part === undefined)) {
    throw new FlakeguardError('USAGE', `--duration "${text}": give a duration such as 10m, 90s, 1h30m`);
  }
  const [, h, m, s, ms] = match.map((part) => Number(part ?? 0));
  const total = h! * 3_600_000 + m! * 60_000 + s! * 1000 + ms!;
  if (total <= 0) throw new FlakeguardError('USAGE', `--duration "${text}" must be longer than 0`);
  return total;
}
