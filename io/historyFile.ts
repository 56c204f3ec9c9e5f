// Reads, writes and records into the flake history file (the format is core/history's): bounded reads, atomic
// writes, and one run recorded under a lock file so two Jest processes finishing together both land.

import * as fs from 'fs';
import * as path from 'path';
import { ReadProblem } from '../core/boundedParse';
import { FlakeguardError } from '../core/errors';
import { appendRun, DEFAULT_HISTORY_LIMIT, emptyHistory, historyFile, parseHistory, serializeHistory, type History, type RunOutcomes } from '../core/history';
import { writeFileAtomic } from './atomicWrite';
import { readCapped } from './boundedRead';
import { withFileLock } from './fileLock';

/** Reads the history of a directory (or a history file), within the size caps; none yet is an empty history. */
export function readHistory(dirOrFile: string): History {
  const file = historyFile(dirOrFile);
  let data: Buffer;
  try {
    data = readCapped(file);
  } catch (error) {
    if (error instanceof ReadProblem && error.code === 'ENOENT') return emptyHistory();
    if (error instanceof ReadProblem) throw new FlakeguardError('BAD_HISTORY', `${error.message}; delete it to start over`, file);
    throw error;
  }
  return parseHistory(data, file);
}

/** Writes atomically (temp file + rename): a reader never sees a torn history. Returns the bytes written. */
export function writeHistory(dirOrFile: string, history: History): number {
  const file = historyFile(dirOrFile);
  const data = serializeHistory(history);
  try {
    writeFileAtomic(file, data);
  } catch (error) {
    throw new FlakeguardError('UNWRITABLE', `cannot write the history (${(error as Error).message.split('\n')[0]})`, file);
  }
  return data.length;
}

export interface RecordOptions {
  /** Runs kept; default 200. */
  limit?: number;
}

export interface RecordResult {
  file: string;
  runs: number;
  tests: number;
  bytes: number;
}

/**
 * Adds one run to the history in `historyDir` (read, append, bound, atomic write) under a lock file, so two
 * Jest processes finishing together both land. The reporter's one call. Throws FlakeguardError (BAD_HISTORY
 * for an unreadable history, UNWRITABLE) — the reporter turns it into a warning.
 */
export function recordRun(historyDir: string, outcomes: RunOutcomes, options: RecordOptions = {}): RecordResult {
  const limit = options.limit ?? DEFAULT_HISTORY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new FlakeguardError('BAD_OPTION', `historyLimit must be a positive integer, got ${limit}`);
  const file = historyFile(historyDir);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new FlakeguardError('UNWRITABLE', `cannot write the history (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, file);
  }
  return withFileLock(`${file}.lock`, () => {
    const history = appendRun(readHistory(file), outcomes, limit);
    const bytes = writeHistory(file, history);
    return { file, runs: history.runs.length, tests: history.tests.length, bytes };
  });
}
