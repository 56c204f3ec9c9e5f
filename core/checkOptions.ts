// The hygiene environment's options: `testEnvironmentOptions.flakeguard` and `@flakeguard-allow`, normalised into a plan.

import { CHECK_NAMES, type CheckName } from './findings';
import { FlakeguardError } from './errors';

export type CheckMode = 'error' | 'warn' | 'off';
export const CHECK_MODES: readonly CheckMode[] = ['error', 'warn', 'off'];

/** What a user writes under `testEnvironmentOptions.flakeguard`. */
export interface FlakeguardEnvironmentOptions {
  /** Every check not named in `checks` becomes 'error' (default: 'warn'). */
  strict?: boolean;
  /** Per-check mode; wins over `strict`. */
  checks?: Partial<Record<CheckName, CheckMode>>;
  /** Undo what a test leaked after reporting it (default false: undoing may expose tests that depend on a leak). */
  isolate?: boolean;
}

export interface CheckPlan {
  modes: Record<CheckName, CheckMode>;
  isolate: boolean;
}

const OPTION = 'testEnvironmentOptions.flakeguard';
const KNOWN_KEYS = ['strict', 'checks', 'isolate'];

const isCheckName = (name: string): name is CheckName => (CHECK_NAMES as readonly string[]).includes(name);
const listChecks = (): string => CHECK_NAMES.join(', ');
const bad = (message: string, file?: string): FlakeguardError => new FlakeguardError('BAD_OPTION', message, file);

/** The check names of a `@flakeguard-allow` pragma value (Jest gives a string, or an array when repeated). */
export function parseAllowPragma(value: string | string[] | undefined, file?: string): CheckName[] {
  if (value === undefined) return [];
  const words = (Array.isArray(value) ? value : [value]).flatMap((entry) => String(entry).split(/[\s,]+/)).filter(Boolean);
  if (words.length === 0) throw bad(`@flakeguard-allow names no check; name one or more of: ${listChecks()}`, file);
  for (const word of words) {
    if (!isCheckName(word)) throw bad(`@flakeguard-allow: unknown check '${word}' (known: ${listChecks()})`, file);
  }
  return words as CheckName[];
}

export interface PlanContext {
  /** The `@flakeguard-allow` pragma of the test file. */
  allow?: string | string[];
  /** The test file, for messages about its pragma. */
  testPath?: string;
}

/** Validates `options` (anything a user may have written) and applies the file's pragma. Throws one-line FlakeguardErrors. */
export function planChecks(options: unknown, context: PlanContext): CheckPlan {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw bad(`${OPTION} must be an object like { strict: true, checks: { 'leaked-env': 'error' } }`);
  }
  const given = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    // Validated once and never acted on, so removed: say what does the job instead of only "unknown".
    if (key === 'isolateModules')
      throw bad(`${OPTION}.isolateModules is not an option: Jest isolates modules per file; for a fresh registry per test set \`resetModules: true\` in the Jest config`);
    if (!KNOWN_KEYS.includes(key)) throw bad(`${OPTION}: unknown option '${key}' (known: ${KNOWN_KEYS.join(', ')})`);
  }
  const { strict = false, checks = {}, isolate = false } = given;
  if (typeof strict !== 'boolean') throw bad(`${OPTION}.strict must be true or false, not ${JSON.stringify(strict)}`);
  if (typeof isolate !== 'boolean') throw bad(`${OPTION}.isolate must be true or false, not ${JSON.stringify(isolate)}`);
  if (!checks || typeof checks !== 'object' || Array.isArray(checks)) {
    throw bad(`${OPTION}.checks must be an object of check name → 'error' | 'warn' | 'off'`);
  }
  const modes = Object.fromEntries(CHECK_NAMES.map((name) => [name, strict ? 'error' : 'warn'])) as Record<CheckName, CheckMode>;
  for (const [name, mode] of Object.entries(checks as Record<string, unknown>)) {
    if (!isCheckName(name)) throw bad(`${OPTION}.checks: unknown check '${name}' (known: ${listChecks()})`);
    if (!CHECK_MODES.includes(mode as CheckMode)) {
      throw bad(`${OPTION}.checks['${name}'] must be 'error', 'warn' or 'off', not ${JSON.stringify(mode)}`);
    }
    modes[name] = mode as CheckMode;
  }
  for (const name of parseAllowPragma(context.allow, context.testPath)) modes[name] = 'off';
  return { modes, isolate };
}
