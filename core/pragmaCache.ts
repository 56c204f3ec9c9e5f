// Reads test files' pragmas through a cache keyed by path + mtime + size, so a warm run re-reads no unchanged file.

import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from './atomicWrite';
import { parsePragmas, PRAGMA_PARSER_VERSION, type FilePragmas } from './pragmas';

/** What a file looked like when it was read: Jest's haste map already knows this, else a stat tells. */
export interface FileStamp {
  mtimeMs: number;
  size: number;
}

/** `[mtimeMs, size]` for the common file with no pragmas of ours; `[mtimeMs, size, pragmas]` otherwise. */
type CacheEntry = [mtimeMs: number, size: number, pragmas?: FilePragmas];

interface CacheFile {
  version: 2;
  /** `PRAGMA_PARSER_VERSION` of the parser that filled it: a newer parser re-reads every file once. */
  parser: number;
  files: Record<string, CacheEntry>;
}

const HEAD_BYTES = 16 * 1024;
const NO_PRAGMAS: FilePragmas = Object.freeze({ spec: Object.freeze({ lane: 'parallel' }), allow: [], warnings: [] }) as FilePragmas;

const isPlain = (pragmas: FilePragmas): boolean =>
  pragmas.spec.lane === 'parallel' && pragmas.allow.length === 0 && pragmas.warnings.length === 0 && pragmas.flaky === undefined;

export class PragmaCache {
  private readonly file: string | undefined;
  private entries: Record<string, CacheEntry> = {};
  private dirty = false;
  /** Files read from disk (not from the cache) since this cache was opened. */
  readCount = 0;

  /** `cacheDirectory` undefined: no cache on disk, every file is read. */
  constructor(cacheDirectory: string | undefined) {
    this.file = cacheDirectory ? path.join(cacheDirectory, 'jest-flakeguard', 'pragmas-v2.json') : undefined;
    if (!this.file) return;
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as CacheFile;
      const current = parsed && parsed.version === 2 && parsed.parser === PRAGMA_PARSER_VERSION;
      if (current && parsed.files && typeof parsed.files === 'object') this.entries = parsed.files;
    } catch {
      // No cache yet, or one we cannot read: start empty; it is only a cache.
    }
  }

  /** The pragmas of `testPath`; pass its stamp when the caller already knows it (saves a stat). */
  get(testPath: string, known?: FileStamp): FilePragmas {
    const stamp = known ?? fs.statSync(testPath);
    const cached = this.entries[testPath];
    if (cached && cached[0] === stamp.mtimeMs && cached[1] === stamp.size) return cached[2] ?? NO_PRAGMAS;
    const pragmas = parsePragmas(readHead(testPath, stamp.size), testPath);
    this.readCount++;
    this.entries[testPath] = isPlain(pragmas) ? [stamp.mtimeMs, stamp.size] : [stamp.mtimeMs, stamp.size, pragmas];
    this.dirty = true;
    return pragmas;
  }

  /** Saves what changed; a cache that cannot be written is not worth failing a run for. */
  save(): void {
    if (!this.file || !this.dirty) return;
    try {
      writeFileAtomic(this.file, JSON.stringify({ version: 2, parser: PRAGMA_PARSER_VERSION, files: this.entries } satisfies CacheFile));
      this.dirty = false;
    } catch {
      // read-only cache directory: the next run reads the files again
    }
  }
}

/** The start of a file, enough for its leading docblock; the whole file when the docblock runs longer. */
function readHead(file: string, size: number): string {
  if (size <= HEAD_BYTES) return fs.readFileSync(file, 'utf8');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const read = fs.readSync(fd, buffer, 0, HEAD_BYTES, 0);
    const head = buffer.subarray(0, read).toString('utf8');
    const opened = /^\s*\/\*\*/.test(head);
    return opened && !head.includes('*/') ? fs.readFileSync(file, 'utf8') : head;
  } finally {
    fs.closeSync(fd);
  }
}
