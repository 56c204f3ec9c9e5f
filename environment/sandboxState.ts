// Tracks what a test leaves in the sandbox's process.env (leaked-env) and on its global object (leaked-global),
// and puts both back.
//
// Both are compared between test start and test end. The start state is reused from the previous test's end
// when nothing ran in between (no beforeAll/afterAll), which halves the cost on the hot path.

import type { CheckName } from '../core/findings';
import { addedKeys, diffEnv, restoreEnv, snapshotEnv, type EnvSnapshot } from '../core/envDiff';
import { messages } from '../core/findingFormat';
import type { Leak, Tracker } from './leak';

// Globals a tool adds on its own while a test runs (istanbul's coverage counters).
const IGNORED_GLOBALS = new Set(['__coverage__']);

export interface SandboxStateOptions {
  enabled: (check: CheckName) => boolean;
  global: object;
}

export class SandboxState implements Tracker {
  private readonly global: Record<string, unknown> & { process?: { env?: Record<string, unknown> } };
  private readonly checkEnv: boolean;
  private readonly checkGlobals: boolean;
  private env: EnvSnapshot | undefined;
  private keys: string[] | undefined;
  private stale = true;

  constructor(options: SandboxStateOptions) {
    this.global = options.global as SandboxState['global'];
    this.checkEnv = options.enabled('leaked-env');
    this.checkGlobals = options.enabled('leaked-global');
  }

  install(): void {}
  uninstall(): void {}

  /** Something ran outside a test (a beforeAll or afterAll hook): the last known state is out of date. */
  outsideTest(): void {
    this.stale = true;
  }

  private currentEnv(): Record<string, unknown> | undefined {
    const env = this.global.process?.env;
    return env && typeof env === 'object' ? env : undefined;
  }

  testStarted(): void {
    if (!this.stale) return;
    this.stale = false;
    const env = this.checkEnv ? this.currentEnv() : undefined;
    this.env = env ? snapshotEnv(env) : undefined;
    this.keys = this.checkGlobals ? Object.getOwnPropertyNames(this.global) : undefined;
  }

  testAbandoned(): void {}

  testDone(): Leak[] {
    const leaks: Leak[] = [];
    const env = this.currentEnv();
    const before = this.env;
    if (before && env) {
      const changes = diffEnv(before, env);
      for (const change of changes) {
        leaks.push({
          check: 'leaked-env',
          message: messages.leakedEnv(change.key, change.kind),
          undo: () => restoreEnv(before, env, [change]),
        });
      }
      // What the next test starts from: the snapshot again once undone; re-read lazily if not undone.
      if (changes.length > 0) this.stale = true;
    }
    if (this.keys) {
      const added = addedKeys(this.keys, Object.getOwnPropertyNames(this.global)).filter((key) => !IGNORED_GLOBALS.has(key));
      for (const key of added) {
        leaks.push({
          check: 'leaked-global',
          message: messages.leakedGlobal(key),
          undo: () => {
            delete this.global[key];
          },
        });
      }
      if (added.length > 0) this.stale = true;
    }
    return leaks;
  }
}
