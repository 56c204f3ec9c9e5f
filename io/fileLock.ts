// A lock file that names the process holding it: taken at once when that process is gone, waited for (bounded)
// while it lives. Used where two Jest processes may finish together (the flake history).

import * as fs from 'fs';
import { FlakeguardError } from '../core/errors';

/** Whether a process with this id still runs (EPERM: it does, as another user's). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface LockOptions {
  /** How long to wait for a live holder before taking over anyway (a process stuck holding it). Default 10 s. */
  waitMs?: number;
  /** Sleeps between tries; replaceable in tests. */
  sleep?: (ms: number) => void;
}

const DEFAULT_WAIT_MS = 10_000;
/** A lock file without a readable pid (a foreign file, or one torn by a crash on a filesystem without hard links). */
const UNREADABLE_STALE_MS = 2_000;

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** The pid a lock file names: a number, null when the file says nothing readable, 'gone' when it vanished. */
function holderOf(lock: string): number | null | 'gone' {
  try {
    const pid = Number(/^(\d+)\n/.exec(fs.readFileSync(lock, 'utf8'))?.[1]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : null;
  }
}

function olderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}

/**
 * Creates `lock` holding this process's pid, in one step: the pid is written to a temp file that is then hard-linked
 * to the lock's name, so no one ever sees a lock without its pid. Where hard links are not supported, `wx` + write.
 * Returns false when the lock exists.
 */
function tryCreate(lock: string): boolean {
  const content = `${process.pid}\n`;
  const temp = `${lock}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(temp, content, { flag: 'wx' });
    try {
      fs.linkSync(temp, lock);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'EOPNOTSUPP') throw error;
    }
    const fd = fs.openSync(lock, 'wx');
    try {
      fs.writeSync(fd, content);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * Runs `body` holding `lock`. A lock whose process is gone (SIGKILL, a crash) is taken at once; a live holder is
 * waited for at most `waitMs`, then taken over rather than lose this run's record. Released only while it is still
 * ours (a holder that was taken over must not remove its successor's lock).
 */
export function withFileLock<T>(lock: string, body: () => T, options: LockOptions = {}): T {
  const sleep = options.sleep ?? sleepSync;
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  for (;;) {
    let created: boolean;
    try {
      created = tryCreate(lock);
    } catch (error) {
      throw new FlakeguardError('UNWRITABLE', `cannot lock (${(error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0]})`, lock);
    }
    if (created) break;
    const holder = holderOf(lock);
    if (holder === 'gone') continue;
    // Our own pid there is a dead process's whose pid we now have: this process takes no lock twice.
    const stale = holder === null ? olderThan(lock, UNREADABLE_STALE_MS) : holder === process.pid || !processAlive(holder);
    if (stale || Date.now() > deadline) {
      fs.rmSync(lock, { force: true });
      continue;
    }
    sleep(25);
  }
  try {
    return body();
  } finally {
    if (holderOf(lock) === process.pid) fs.rmSync(lock, { force: true });
  }
}
