// Whether Jest's watch mode sees a file: the rule that keeps the reporter from writing a file whose change would start
// another run, whose write would start another, forever.

import * as path from 'path';
import type { Config } from '@jest/types';

/** The parts of a project's config that decide what its watch mode sees. */
export type WatchedProject = Pick<Config.ProjectConfig, 'rootDir' | 'roots' | 'moduleFileExtensions' | 'watchPathIgnorePatterns' | 'modulePathIgnorePatterns' | 'displayName'>;

/**
 * In watch mode Jest reruns on any change to a watched file — `.json` under a project's roots included — so
 * writing `file` there would loop forever. Returns the project that would see `file` (its displayName, else its
 * rootDir), or null.
 */
export function watchedBy(file: string, projects: Iterable<WatchedProject>): string | null {
  for (const config of projects) {
    if (!config.roots.some((root) => file.startsWith(root + path.sep))) continue;
    if (!config.moduleFileExtensions.includes('json')) continue;
    const ignored = [...config.watchPathIgnorePatterns, ...config.modulePathIgnorePatterns].some((pattern) => new RegExp(pattern).test(file));
    if (!ignored) return config.displayName?.name ?? config.rootDir;
  }
  return null;
}
