// The channel between `flakeguard hunt` and the runner about file order: the order the hunt asks for (a seeded
// shuffle of each lane, or an exact order for replays and bisection probes) and the order each process really ran
// its files in (written by the runner, read by the hunt to know which tests ran before a test in its process).
//
// The files themselves are io/runOrderFiles'. The hunt names a request file in FLAKEGUARD_FILE_ORDER; without it the runner keeps Jest's order and records
// nothing. Each process that runs test files writes one record (`order-<pid>.json`) into the request's
// `recordDir`, rewritten atomically after each file starts.

import { FlakeguardError } from './errors';

export interface OrderRequest {
  schemaVersion: 1;
  /** Shuffle the files of each lane with this seed; null keeps Jest's order. */
  shuffleSeed: number | null;
  /** Run exactly in this order (absolute paths); files not listed follow in Jest's order. Wins over shuffleSeed. */
  exact: string[] | null;
  /** Where each process writes the order it ran its files in; null records nothing. */
  recordDir: string | null;
}

export interface ProcessRecord {
  schemaVersion: 1;
  pid: number;
  /** Absolute test paths in the order this process started them. */
  files: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** `parsed` (the JSON of `file`) as an order request, or a FlakeguardError naming the file. */
export function validateOrderRequest(parsed: unknown, file: string): OrderRequest {
  if (
    !isObject(parsed) ||
    parsed.schemaVersion !== 1 ||
    !(parsed.shuffleSeed === null || Number.isInteger(parsed.shuffleSeed)) ||
    !(parsed.exact === null || isStringArray(parsed.exact)) ||
    !(parsed.recordDir === null || typeof parsed.recordDir === 'string')
  ) {
    throw new FlakeguardError('BAD_OPTION', 'not a jest-flakeguard file order request (schemaVersion 1)', file);
  }
  return parsed as unknown as OrderRequest;
}

/** Whether `parsed` is a process record (a torn or foreign one is skipped by its reader). */
export function isProcessRecord(parsed: unknown): parsed is ProcessRecord {
  return isObject(parsed) && parsed.schemaVersion === 1 && Number.isInteger(parsed.pid) && isStringArray(parsed.files);
}

/** A small fast PRNG (mulberry32): the same seed gives the same shuffle on every machine and Node version. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Fisher–Yates shuffle of a copy of `items`, decided by `seed` alone. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `items` in the order of `exact` (by `pathOf`); items not named keep their order after the named ones. */
export function inExactOrder<T>(items: readonly T[], exact: readonly string[], pathOf: (item: T) => string): T[] {
  const rank = new Map(exact.map((file, i) => [file, i]));
  const named = items.filter((item) => rank.has(pathOf(item))).sort((a, b) => rank.get(pathOf(a))! - rank.get(pathOf(b))!);
  return [...named, ...items.filter((item) => !rank.has(pathOf(item)))];
}
