// Reads test files' pragmas through a cache keyed by path + mtime + size, so a warm run re-reads no unchanged file.
// The cache can save work, never decide an outcome: it lives in a directory of the user's own (anything else is
// refused), and an entry can only say "no pragmas", "@serial" or "@serial <resources>" — which at most makes a file
// run apart from others. A file whose pragmas could change what a run reports (`@flaky` moves it out of `stable`,
// `@flakeguard-allow` silences a check) or that has warnings is read again every time, so a planted entry can
// never give a file such a pragma.

import * as fs from 'fs';
import * as path from 'path';
import { sweepOrphanTemps, writeFileAtomic } from './atomicWrite';
import { readCapped } from './boundedRead';
import { jestDocblock } from './jestHost';
import { parseJson } from '../core/boundedParse';
import { FlakeguardError } from '../core/errors';
import { parsePragmas, PRAGMA_PARSER_VERSION, RESOURCE_NAME, type FilePragmas } from '../core/pragmas';

/** What a file looked like when it was read: Jest's haste map already knows this, else a stat tells. */
export interface FileStamp {
  mtimeMs: number;
  size: number;
}

/**
 * `[mtimeMs, size]`: no pragmas of ours; `[mtimeMs, size, 'serial']` / `[mtimeMs, size, [resources…]]`: that lane
 * and nothing else; `[mtimeMs, size, 1]`: pragmas the cache does not hold, read the file again.
 */
type CacheEntry = [mtimeMs: number, size: number, lane?: 'serial' | string[] | 1];

interface CacheFile {
  version: 3;
  /** `PRAGMA_PARSER_VERSION` of the parser that filled it: a newer parser re-reads every file once. */
  parser: number;
  files: Record<string, CacheEntry>;
}

const CACHE_FILE = 'pragmas-v3.json';
const HEAD_BYTES = 16 * 1024;
/** jest-docblock's extract overflows the stack on a docblock of a few megabytes; none of ours is near this. */
export const MAX_DOCBLOCK_BYTES = 1024 * 1024;
const NO_PRAGMAS: FilePragmas = Object.freeze({ spec: Object.freeze({ lane: 'parallel' }), allow: [], warnings: [] }) as FilePragmas;

const SERIAL: FilePragmas = Object.freeze({ spec: Object.freeze({ lane: 'serial' }), allow: [], warnings: [] }) as FilePragmas;

/** What the cache may hold of a file's pragmas: its lane alone, when nothing else is there. */
function cachedLane(pragmas: FilePragmas): CacheEntry[2] {
  if (pragmas.allow.length > 0 || pragmas.warnings.length > 0 || pragmas.flaky !== undefined) return 1;
  if (pragmas.spec.lane === 'parallel') return undefined;
  return pragmas.spec.lane === 'serial' ? 'serial' : [...pragmas.spec.resources];
}

/** A cached entry's pragmas, or null when the file must be read (stale, foreign, or pragmas the cache never holds). */
function fromCache(entry: unknown, stamp: FileStamp): FilePragmas | null {
  if (!Array.isArray(entry) || entry[0] !== stamp.mtimeMs || entry[1] !== stamp.size) return null;
  const lane: unknown = entry[2];
  if (entry.length === 2) return NO_PRAGMAS;
  if (lane === 'serial') return SERIAL;
  if (Array.isArray(lane) && lane.length > 0 && lane.every((name) => typeof name === 'string' && RESOURCE_NAME.test(name))) {
    return { spec: { lane: 'resources', resources: [...(lane as string[])] }, allow: [], warnings: [] };
  }
  return null;
}

const uid = typeof process.getuid === 'function' ? process.getuid() : null;

/**
 * Why a cache directory (or file) must not be trusted, or null. Ours: owned by this user, writable by no one else.
 * The directory it sits in (Jest's cacheDirectory, say /tmp/jest_x): this user's or root's, and not one where others
 * may replace entries (world-writable without the sticky bit). Windows has no such modes: nothing is refused.
 */
export function untrustedPath(target: string, kind: 'ours' | 'parent'): string | null {
  if (uid === null) return null;
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch {
    return null; // not there yet: we create it, ours
  }
  if (stat.isSymbolicLink()) return 'is a symbolic link';
  if (kind === 'ours') {
    if (stat.uid !== uid) return `belongs to uid ${stat.uid}, not to you (uid ${uid})`;
    if ((stat.mode & 0o022) !== 0) return 'can be written by other users';
    return null;
  }
  if (stat.uid !== uid && stat.uid !== 0) return `belongs to uid ${stat.uid}, not to you (uid ${uid})`;
  if ((stat.mode & 0o002) !== 0 && (stat.mode & 0o1000) === 0) return 'can be written by every user';
  return null;
}

/** Cache directories already warned about in this process: one warning each, not one per PragmaCache. */
const warned = new Set<string>();

const defaultWarn = (message: string): void => {
  process.stderr.write(`flakeguard: ${message}\n`);
};

export class PragmaCache {
  private readonly file: string | undefined;
  private entries: Record<string, CacheEntry> = {};
  private dirty = false;
  /** Files read from disk (every file with pragmas, and files the cache does not know) since this cache was opened. */
  readCount = 0;

  /** `cacheDirectory` undefined: no cache on disk, every file is read. A directory that is not the user's is not used. */
  constructor(cacheDirectory: string | undefined, warn: (message: string) => void = defaultWarn) {
    if (!cacheDirectory) return;
    const dir = path.join(cacheDirectory, 'jest-flakeguard');
    const file = path.join(dir, CACHE_FILE);
    const checks: Array<[string, 'ours' | 'parent']> = [
      [cacheDirectory, 'parent'],
      [dir, 'ours'],
      [file, 'ours'],
    ];
    for (const [target, kind] of checks) {
      const why = untrustedPath(target, kind);
      if (why === null) continue;
      if (!warned.has(dir)) warn(`the pragma cache ${target} ${why}: not used (every test file's pragmas are read); make it yours or set cacheDirectory`);
      warned.add(dir);
      return;
    }
    this.file = file;
    sweepOrphanTemps(dir);
    try {
      const parsed = parseJson(readCapped(file).toString('utf8')) as CacheFile;
      const current = parsed && parsed.version === 3 && parsed.parser === PRAGMA_PARSER_VERSION;
      if (current && parsed.files && typeof parsed.files === 'object') this.entries = parsed.files;
    } catch {
      // No cache yet, or one we cannot read: start empty; it is only a cache.
    }
  }

  /** The pragmas of `testPath`; pass its stamp when the caller already knows it (saves a stat). */
  get(testPath: string, known?: FileStamp): FilePragmas {
    const stamp = known ?? fs.statSync(testPath);
    const cached = this.entries[testPath];
    const hit = fromCache(cached, stamp);
    if (hit) return hit;
    const pragmas = parsePragmas(readHead(testPath, stamp.size), testPath, jestDocblock());
    this.readCount++;
    const lane = cachedLane(pragmas);
    const entry: CacheEntry = lane === undefined ? [stamp.mtimeMs, stamp.size] : [stamp.mtimeMs, stamp.size, lane];
    // A file read again every time (lane 1) and unchanged needs no write.
    if (!(lane === 1 && Array.isArray(cached) && cached[0] === stamp.mtimeMs && cached[1] === stamp.size && cached[2] === 1)) {
      this.entries[testPath] = entry;
      this.dirty = true;
    }
    return pragmas;
  }

  /** Saves what changed, readable and writable by this user only; a cache that cannot be written is not worth failing a run for. */
  save(): void {
    if (!this.file || !this.dirty) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      writeFileAtomic(this.file, JSON.stringify({ version: 3, parser: PRAGMA_PARSER_VERSION, files: this.entries } satisfies CacheFile), { mode: 0o600 });
      this.dirty = false;
    } catch {
      // read-only cache directory: the next run reads the files again
    }
  }
}

/**
 * The start of a file, enough for its leading docblock; more when the docblock runs longer, up to
 * MAX_DOCBLOCK_BYTES: past that, one FlakeguardError naming the file (jest-docblock would overflow the stack).
 */
function readHead(file: string, size: number): string {
  if (size <= HEAD_BYTES) return fs.readFileSync(file, 'utf8');
  const fd = fs.openSync(file, 'r');
  try {
    const read = (bytes: number): string => {
      const buffer = Buffer.alloc(bytes);
      return buffer.subarray(0, fs.readSync(fd, buffer, 0, bytes, 0)).toString('utf8');
    };
    const head = read(HEAD_BYTES);
    if (!/^\s*\/\*\*/.test(head) || head.includes('*/')) return head;
    const longer = read(Math.min(size, MAX_DOCBLOCK_BYTES));
    if (longer.includes('*/')) return longer;
    if (size <= MAX_DOCBLOCK_BYTES) return longer; // an unclosed comment: no docblock, as jest-docblock says
    throw new FlakeguardError('BAD_PRAGMA', `its leading docblock runs past ${MAX_DOCBLOCK_BYTES / (1024 * 1024)} MiB: too long to read pragmas from (shorten it)`, file);
  } finally {
    fs.closeSync(fd);
  }
}
