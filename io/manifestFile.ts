// Reads and writes the rerun manifest file (the format is core/manifest's): bounded reads, atomic writes.

import { ReadProblem } from '../core/boundedParse';
import { FlakeguardError } from '../core/errors';
import { parseManifest, serializeManifest, type Manifest } from '../core/manifest';
import { writeFileAtomic } from './atomicWrite';
import { readCapped } from './boundedRead';

/**
 * Reads and validates a manifest; a missing, unreadable, oversized, corrupt or foreign file is a FlakeguardError
 * naming it (never quoting its bytes).
 */
export function readManifest(file: string): Manifest {
  let data: Buffer;
  try {
    data = readCapped(file);
  } catch (error) {
    if (!(error instanceof ReadProblem)) throw error;
    if (error.code === 'ENOENT') throw new FlakeguardError('NOT_FOUND', 'no manifest here; run Jest with the jest-flakeguard reporter first', file);
    throw new FlakeguardError('BAD_MANIFEST', error.message, file);
  }
  return parseManifest(data, file);
}

/** Writes atomically (temp file + rename): a concurrent reader or writer never sees a torn file. Throws on I/O errors. */
export function writeManifest(file: string, manifest: Manifest): void {
  writeFileAtomic(file, serializeManifest(manifest));
}
