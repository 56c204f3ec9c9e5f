// Gives each test file of a run its lane, from its pragmas (through the cache), and tells the user about both.

import * as path from 'path';
import type { Config, Test } from 'jest-runner';
import type { LaneFile } from '../core/lanes';
import { formatLaneSummary, summarizeLanes } from '../core/lanes';
import { PragmaCache, type FileStamp } from '../io/pragmaCache';
import { oneLine } from '../core/errors';

export function classifyTests(tests: readonly Test[], globalConfig: Config.GlobalConfig): LaneFile<Test>[] {
  const caches = new Map<string, PragmaCache>();
  // Quiet when Jest is: `--silent`, or `--json` printing its report on stdout for a machine to read.
  const quiet = globalConfig.silent || (globalConfig.json && !globalConfig.outputFile);
  const files = tests.map((test): LaneFile<Test> => {
    const cacheDirectory = test.context.config.cacheDirectory;
    let cache = caches.get(cacheDirectory);
    if (!cache) caches.set(cacheDirectory, (cache = new PragmaCache(cacheDirectory)));
    try {
      const pragmas = cache.get(test.path, hasteStamp(test));
      for (const warning of pragmas.warnings) {
        process.stderr.write(`flakeguard: warning: ${relative(globalConfig, warning.file)}:${warning.line}: ${warning.message}\n`);
      }
      return { item: test, spec: pragmas.spec };
    } catch (error) {
      // Unreadable file: let Jest run it where it always would and report its own error.
      process.stderr.write(`flakeguard: warning: ${relative(globalConfig, test.path)}: cannot read pragmas (${oneLine(error)})\n`);
      return { item: test, spec: { lane: 'parallel' } };
    }
  });
  for (const cache of caches.values()) cache.save();
  if (!quiet) process.stderr.write(`${formatLaneSummary(summarizeLanes(files.map((file) => file.spec)))}\n`);
  return files;
}

/**
 * The mtime and size Jest's haste map recorded for the file, which spares a stat per file on a warm run.
 * HasteFS keeps them in a metadata tuple (mtime at 1, size at 2) in Jest 29 and 30; anything else: stat.
 */
function hasteStamp(test: Test): FileStamp | undefined {
  const hasteFS = test.context.hasteFS as unknown as { _getFileData?: (file: string) => unknown };
  const data = typeof hasteFS._getFileData === 'function' ? hasteFS._getFileData(test.path) : undefined;
  if (!Array.isArray(data) || typeof data[1] !== 'number' || typeof data[2] !== 'number' || data[1] <= 0) return undefined;
  return { mtimeMs: data[1], size: data[2] };
}

function relative(globalConfig: Config.GlobalConfig, file: string): string {
  return path.relative(globalConfig.rootDir, file).split(path.sep).join('/');
}
