// This run's findings temp directory (io/findingsChannel): made and named to the workers before any starts, emptied
// file by file as Jest reports each, removed when the run ends or the process exits.

import * as fs from 'fs';
import * as os from 'os';
import { oneLine } from '../core/errors';
import type { Finding } from '../core/findings';
import { createFindingsDir, findingsEnv, takeFindings } from '../io/findingsChannel';
import { warn } from './warnings';

/** Directories removed when the process exits. One listener however many runs (watch mode makes a reporter per run). */
const removedAtExit = new Set<string>();
function removeAtExit(dir: string): void {
  if (removedAtExit.size === 0) process.once('exit', () => removedAtExit.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  removedAtExit.add(dir);
}

export class FindingsDir {
  /** Null when it could not be made: the run goes on, without hygiene findings. */
  readonly dir: string | null;

  /** Makes the directory and names it in the environment, which workers inherit. */
  constructor(env: NodeJS.ProcessEnv = process.env, tmp: string = os.tmpdir()) {
    this.dir = makeFindingsDir(tmp);
    if (this.dir) {
      Object.assign(env, findingsEnv(this.dir));
      // A run that never starts (no tests found, a config error) still leaves nothing behind.
      removeAtExit(this.dir);
    }
  }

  /** Watch mode: the previous run removed it. */
  runStarted(): void {
    if (this.dir) fs.mkdirSync(this.dir, { recursive: true });
  }

  /** Takes the findings written for one file of one project; a foreign or malformed file is a one-line warning naming it. */
  take(testPath: string, project: string | null): Finding[] {
    return this.dir ? takeFindings(this.dir, testPath, project, (error) => warn(error.message)) : [];
  }

  runEnded(): void {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function makeFindingsDir(tmp: string): string | null {
  try {
    return createFindingsDir(tmp);
  } catch (error) {
    warn(`no directory for hygiene findings (${oneLine(error)}); hygiene findings are not reported this run`);
    return null;
  }
}
