// Reads the files flakeguard trusts least (manifests, histories, quarantine files, caches) within a cap on the bytes
// read; turning those bytes into values (gzip, JSON) within bounds is core/boundedParse's job.

import * as fs from 'fs';
import { ReadProblem } from '../core/boundedParse';

/** A manifest, quarantine file or history on disk: far above any real suite's (100,000 failed tests ≈ 25 MB). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

const mib = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MiB`;

/**
 * The bytes of `file`, at most `cap` of them. Reads with a bound rather than trusting the size a stat reports, so
 * a FIFO or a symlink to /dev/zero cannot make it read forever.
 */
export function readCapped(file: string, cap = MAX_FILE_BYTES): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReadProblem(`cannot read (${code ?? 'error'})`, code);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw new ReadProblem('is a directory, not a file', 'EISDIR');
    if (stat.isFile() && stat.size > cap) throw new ReadProblem(`is ${mib(stat.size)}, over the ${mib(cap)} a file flakeguard reads may have`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, cap + 1 - total));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
      total += read;
      if (total > cap) throw new ReadProblem(`is over the ${mib(cap)} a file flakeguard reads may have`);
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    if (error instanceof ReadProblem) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReadProblem(`cannot read (${code ?? 'error'})`, code);
  } finally {
    fs.closeSync(fd);
  }
}
