// The files of the order channel between `flakeguard hunt` and the runner (their shapes are core/runOrder's): the
// request named by FLAKEGUARD_FILE_ORDER, and one record per process (`order-<pid>.json`) in the request's recordDir.

import * as fs from 'fs';
import * as path from 'path';
import { FlakeguardError } from '../core/errors';
import { isProcessRecord, validateOrderRequest, type OrderRequest, type ProcessRecord } from '../core/runOrder';
import { writeFileAtomic } from './atomicWrite';

export const FILE_ORDER_ENV = 'FLAKEGUARD_FILE_ORDER';

export function writeOrderRequest(file: string, request: OrderRequest): void {
  writeFileAtomic(file, JSON.stringify(request));
}

export function readOrderRequest(file: string): OrderRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FlakeguardError('BAD_OPTION', `cannot read the file order request (${(error as Error).message.split('\n')[0]})`, file);
  }
  return validateOrderRequest(parsed, file);
}

/** The request named by the environment, or null (the runner then changes nothing). */
export function orderRequestFromEnv(env: NodeJS.ProcessEnv = process.env): OrderRequest | null {
  const file = env[FILE_ORDER_ENV];
  return file ? readOrderRequest(file) : null;
}

/** Appends the file one process started to its record (one record per process, rewritten atomically). */
export class ProcessRecorder {
  private readonly files: string[] = [];
  private readonly file: string;

  constructor(
    dir: string,
    private readonly pid: number = process.pid,
  ) {
    this.file = path.join(dir, `order-${pid}.json`);
  }

  started(testPath: string): void {
    this.files.push(testPath);
    const record: ProcessRecord = { schemaVersion: 1, pid: this.pid, files: this.files };
    try {
      writeFileAtomic(this.file, JSON.stringify(record));
    } catch (error) {
      // The hunt then knows less about this run's order; the tests themselves must not suffer for it.
      process.stderr.write(`flakeguard: cannot record the file order in ${this.file} (${(error as Error).message.split('\n')[0]})\n`);
    }
  }
}

/** Every process record of a run; torn or foreign files are skipped. */
export function readProcessRecords(dir: string): ProcessRecord[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => /^order-\d+\.json$/.test(name));
  } catch {
    return [];
  }
  const records: ProcessRecord[] = [];
  for (const name of names.sort()) {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
      if (isProcessRecord(parsed)) records.push(parsed);
    } catch {
      // unreadable: this process's order is unknown
    }
  }
  return records;
}
