// Writes a file so that a reader never sees it half written (a temp file beside it, then a rename), and sweeps the
// temp files of writers that died before their rename (SIGKILL, a crash): their names carry the writer's pid.

import * as fs from 'fs';
import * as path from 'path';
import { processAlive } from './fileLock';

/** `<file>.<pid>.<random>.tmp`: what writeFileAtomic and the lock leave behind when killed mid-write. */
const TEMP = /\.(\d+)\.[a-z0-9]+\.tmp$/;
/** A temp file older than this is an orphan even when its pid is alive again (pids are reused). */
const ORPHAN_AGE_MS = 60 * 60 * 1000;

export function writeFileAtomic(file: string, contents: string | Uint8Array, options: { mode?: number } = {}): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(temp, contents, { mode: options.mode ?? 0o666 });
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Removes the temp files in `dir` whose writer is gone (or that are over an hour old); returns how many. Never
 * throws: a directory that is not there, or not ours to clean, is left as it is.
 */
export function sweepOrphanTemps(dir: string): number {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  let swept = 0;
  for (const name of names) {
    const pid = Number(TEMP.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    const file = path.join(dir, name);
    try {
      if (processAlive(pid) && Date.now() - fs.lstatSync(file).mtimeMs < ORPHAN_AGE_MS) continue;
      fs.rmSync(file, { force: true });
      swept++;
    } catch {
      // gone already, or not ours to remove
    }
  }
  return swept;
}
