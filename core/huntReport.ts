// The hunt report (`.flakeguard/hunt.json`, schemaVersion 1): its shape, validation and codec; reading and
// writing the file is io/huntReportFile's.
//
// `flakeguard hunt` writes it; `flakeguard hunt --replay` and `flakeguard quarantine add --from-hunt` read it. This
// module is its only owner. Everything read back is validated: its strings are data, shown to people, never options.

import { FlakeguardError } from './errors';
import type { OrderRole, TestClass } from './huntClassify';
import type { StopReason, Tally } from './huntPlan';

export const HUNT_SCHEMA_VERSION = 1;
export { HUNT_FILE_NAME } from './outputPaths';

/** A test: file relative to rootDir with `/`, and its title path (describe titles, then its own). */
export interface HuntTestRef {
  file: string;
  titles: string[];
}

/** What made a test order-dependent: another test (its polluter or state-setter). */
export type HuntCulprit = HuntTestRef;

export interface HuntRun {
  /** 1-based, the number `--replay` takes. */
  run: number;
  /** Jest's `--seed` of the run; with `shuffled`, also the seed of the file order. */
  seed: number;
  shuffled: boolean;
  stressed: boolean;
  /** Tests that ran (passed or failed). */
  tests: number;
  failed: HuntTestRef[];
}

export interface HuntTest extends HuntTestRef {
  runs: number;
  failures: number;
  calm: Tally;
  stressed: Tally;
  flakeRate: number;
  /** Wilson interval of the flake rate at the hunt's confidence. */
  interval: { low: number; high: number };
  class: TestClass;
  /** Order-dependent tests only: fails after the culprit (victim) or passes only after it (brittle). */
  role: OrderRole | null;
  culprits: HuntCulprit[];
  /** Clean tests: whether they passed enough runs to rule out the hunt's rate at its confidence. */
  settled: boolean;
  firstFailedRun: number | null;
  /** Probes (Jest runs) spent classifying this test, and the ones that decided. */
  probes: number;
  evidence: string[];
}

/** An environment finding that a pair run proved to change another test's outcome. */
export interface ProvenFinding {
  check: string;
  message: string;
  at: string | null;
  /** The test that leaked (the finding's test): the polluter or state-setter. */
  leaker: HuntTestRef;
  /** The test whose outcome it changes. */
  affected: HuntTestRef;
  effect: 'fails' | 'passes';
}

export interface HuntOptions {
  runs: number | null;
  durationMs: number | null;
  shuffle: boolean;
  seed: number;
  stress: 'cpu' | null;
  changed: string | null;
  confidence: number;
  rate: number;
}

export interface HuntReport {
  schemaVersion: typeof HUNT_SCHEMA_VERSION;
  tool: 'jest-flakeguard';
  kind: 'hunt';
  startedAt: string;
  finishedAt: string;
  options: HuntOptions;
  stopReason: StopReason;
  runs: HuntRun[];
  /** Jest runs spent classifying, all tests together. */
  probes: number;
  /** Every test that ran: the flaky ones first. */
  tests: HuntTest[];
  proven: ProvenFinding[];
}

export const TEST_CLASSES: readonly TestClass[] = ['clean', 'order-dependent', 'non-order-dependent', 'timing-sensitive', 'failing', 'unresolved'];
const STOP_REASONS: readonly StopReason[] = ['settled', 'runs', 'duration', 'interrupted'];

export function serializeHuntReport(report: HuntReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation: the first thing wrong, as one line naming the file.

class Invalid extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function field<T>(object: Record<string, unknown>, key: string, where: string, check: (value: unknown) => value is T, what: string): T {
  const value = object[key];
  if (!check(value)) throw new Invalid(`${where}.${key} must be ${what}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isNullableCount = (v: unknown): v is number | null => v === null || isCount(v);
const isInt32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v === (v | 0);
const isFraction = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
const isTitles = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every(isString);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const oneOf =
  <T extends string>(values: readonly T[]) =>
  (v: unknown): v is T =>
    typeof v === 'string' && (values as readonly string[]).includes(v);

function list<T>(object: Record<string, unknown>, key: string, where: string, item: (value: unknown, where: string) => T): T[] {
  const value = object[key];
  if (!Array.isArray(value)) throw new Invalid(`${where}.${key} must be an array`);
  return value.map((entry, i) => item(entry, `${where}.${key}[${i}]`));
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (!isObject(value)) throw new Invalid(`${where} must be an object`);
  return value;
}

function testRef(value: unknown, where: string): HuntTestRef {
  const o = object(value, where);
  return { file: field(o, 'file', where, isString, 'a string'), titles: field(o, 'titles', where, isTitles, 'a non-empty array of strings') };
}

function tally(value: unknown, where: string): Tally {
  const o = object(value, where);
  const runs = field(o, 'runs', where, isCount, 'a whole number ≥ 0');
  const failures = field(o, 'failures', where, isCount, 'a whole number ≥ 0');
  if (failures > runs) throw new Invalid(`${where}.failures must not exceed runs`);
  return { runs, failures };
}

function huntTest(value: unknown, where: string): HuntTest {
  const o = object(value, where);
  const interval = object(o.interval, `${where}.interval`);
  return {
    ...testRef(o, where),
    runs: field(o, 'runs', where, isCount, 'a whole number ≥ 0'),
    failures: field(o, 'failures', where, isCount, 'a whole number ≥ 0'),
    calm: tally(o.calm, `${where}.calm`),
    stressed: tally(o.stressed, `${where}.stressed`),
    flakeRate: field(o, 'flakeRate', where, isFraction, 'a number from 0 to 1'),
    interval: {
      low: field(interval, 'low', `${where}.interval`, isFraction, 'a number from 0 to 1'),
      high: field(interval, 'high', `${where}.interval`, isFraction, 'a number from 0 to 1'),
    },
    class: field(o, 'class', where, oneOf(TEST_CLASSES), `one of ${TEST_CLASSES.join(', ')}`),
    role: field(o, 'role', where, (v): v is OrderRole | null => v === null || v === 'victim' || v === 'brittle', 'victim, brittle or null'),
    culprits: list(o, 'culprits', where, testRef),
    settled: field(o, 'settled', where, isBoolean, 'true or false'),
    firstFailedRun: field(o, 'firstFailedRun', where, isNullableCount, 'a run number or null'),
    probes: field(o, 'probes', where, isCount, 'a whole number ≥ 0'),
    evidence: field(o, 'evidence', where, isStrings, 'an array of strings'),
  };
}

export function validateHuntReport(value: unknown): HuntReport {
  const o = object(value, 'the report');
  if (o.schemaVersion !== HUNT_SCHEMA_VERSION || o.tool !== 'jest-flakeguard' || o.kind !== 'hunt') {
    throw new Invalid(`not a jest-flakeguard hunt report (schemaVersion ${HUNT_SCHEMA_VERSION})`);
  }
  const options = object(o.options, 'options');
  return {
    schemaVersion: HUNT_SCHEMA_VERSION,
    tool: 'jest-flakeguard',
    kind: 'hunt',
    startedAt: field(o, 'startedAt', 'report', isString, 'a string'),
    finishedAt: field(o, 'finishedAt', 'report', isString, 'a string'),
    options: {
      runs: field(options, 'runs', 'options', isNullableCount, 'a whole number or null'),
      durationMs: field(options, 'durationMs', 'options', isNullableCount, 'a whole number or null'),
      shuffle: field(options, 'shuffle', 'options', isBoolean, 'true or false'),
      seed: field(options, 'seed', 'options', isInt32, 'a 32-bit integer'),
      stress: field(options, 'stress', 'options', (v): v is 'cpu' | null => v === null || v === 'cpu', "'cpu' or null"),
      changed: field(options, 'changed', 'options', isNullableString, 'a string or null'),
      confidence: field(options, 'confidence', 'options', isFraction, 'a number from 0 to 1'),
      rate: field(options, 'rate', 'options', isFraction, 'a number from 0 to 1'),
    },
    stopReason: field(o, 'stopReason', 'report', oneOf(STOP_REASONS), `one of ${STOP_REASONS.join(', ')}`),
    runs: list(o, 'runs', 'report', (entry, where) => {
      const r = object(entry, where);
      return {
        run: field(r, 'run', where, isCount, 'a whole number ≥ 0'),
        seed: field(r, 'seed', where, isInt32, 'a 32-bit integer'),
        shuffled: field(r, 'shuffled', where, isBoolean, 'true or false'),
        stressed: field(r, 'stressed', where, isBoolean, 'true or false'),
        tests: field(r, 'tests', where, isCount, 'a whole number ≥ 0'),
        failed: list(r, 'failed', where, testRef),
      };
    }),
    probes: field(o, 'probes', 'report', isCount, 'a whole number ≥ 0'),
    tests: list(o, 'tests', 'report', huntTest),
    proven: list(o, 'proven', 'report', (entry, where) => {
      const p = object(entry, where);
      return {
        check: field(p, 'check', where, isString, 'a string'),
        message: field(p, 'message', where, isString, 'a string'),
        at: field(p, 'at', where, isNullableString, 'a string or null'),
        leaker: testRef(p.leaker, `${where}.leaker`),
        affected: testRef(p.affected, `${where}.affected`),
        effect: field(p, 'effect', where, oneOf(['fails', 'passes'] as const), 'fails or passes'),
      };
    }),
  };
}

/** The hunt report in `text` (the contents of `file`), validated; anything wrong is a FlakeguardError naming the file. */
export function parseHuntReport(text: string, file: string): HuntReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FlakeguardError('BAD_HUNT_REPORT', 'not valid JSON: delete it and run `flakeguard hunt` again', file);
  }
  try {
    return validateHuntReport(parsed);
  } catch (error) {
    if (error instanceof Invalid) throw new FlakeguardError('BAD_HUNT_REPORT', error.message, file);
    throw error;
  }
}

/** `file > describe > test`, the way hunt and quarantine name tests. */
export function testName(test: HuntTestRef): string {
  return `${test.file} > ${test.titles.join(' > ')}`;
}

/** Why a hunt found a test flaky, as a quarantine reason: its class and, for order-dependent tests, the culprit. */
export function huntReason(test: HuntTest): string {
  const rate = `${test.failures}/${test.runs} runs failed`;
  const culprits = test.culprits.map(testName).join(' + ');
  switch (test.class) {
    case 'order-dependent':
      return test.role === 'brittle'
        ? `hunt: order-dependent (brittle): passes only after ${culprits}; ${rate}`
        : `hunt: order-dependent (victim): fails after ${culprits}; ${rate}`;
    case 'timing-sensitive':
      return `hunt: timing-sensitive: failed ${test.stressed.failures}/${test.stressed.runs} runs under CPU stress, ${test.calm.failures}/${test.calm.runs} calm`;
    case 'non-order-dependent':
      return `hunt: non-order-dependent: fails on its own; ${rate}`;
    default:
      return `hunt: ${test.class}; ${rate}`;
  }
}
