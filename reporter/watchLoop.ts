// Watch mode's guard: a manifest that Jest watches is never written (the write would start another run, forever),
// and the user is told once how to unwatch it.

import * as path from 'path';
import type { TestContext } from '@jest/test-result';
import type { Config } from '@jest/types';
import { watchedBy } from '../core/watchLoop';
import { relativeToCwd, warn } from './warnings';

export const watchMode = (globalConfig: Config.GlobalConfig): boolean => globalConfig.watch || globalConfig.watchAll;

const relativeToRoot = (rootDir: string, dir: string): string => path.relative(rootDir, dir).split(path.sep).join('/') || '.';

export class WatchLoopGuard {
  /** The advice is given once per reporter: it does not change between runs. */
  private warned = false;

  constructor(
    private readonly globalConfig: Config.GlobalConfig,
    private readonly manifestPath: string,
    private readonly outputDir: string,
  ) {}

  /**
   * Watch mode on a clean tree starts with no tests and no projects, so nothing can say whether Jest watches our
   * files: such a run writes nothing. A write there would start a run with no tests, which would write again, forever.
   */
  blind(contexts: Set<TestContext>): boolean {
    return watchMode(this.globalConfig) && contexts.size === 0;
  }

  /** Whether this run may write the manifest; warns (once) when watch mode watches it. */
  mayWriteManifest(contexts: Set<TestContext>): boolean {
    if (!watchMode(this.globalConfig)) return true;
    const project = watchedBy(
      this.manifestPath,
      [...contexts].map((context) => context.config),
    );
    if (project && !this.warned) {
      this.warned = true;
      warn(
        `Jest watches ${relativeToCwd(this.manifestPath)} (project ${project}): writing it would start another run, so watch mode ` +
          `leaves it alone; add watchPathIgnorePatterns: ['<rootDir>/${relativeToRoot(this.globalConfig.rootDir, this.outputDir)}/'] to the config`,
      );
    }
    return project === null;
  }
}
