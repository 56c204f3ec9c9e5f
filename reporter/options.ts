// The reporter's options as a user writes them in `reporters`, checked and resolved against rootDir.

import { DEFAULT_HISTORY_LIMIT } from '../core/history';
import { DEFAULT_OUTPUT_DIR, outputPaths, resolveUnderRoot, type OutputPaths } from '../core/outputPaths';

export interface ReporterOptions {
  /** Where last-run.json goes, relative to rootDir (`<rootDir>` allowed). Default `.flakeguard`. */
  outputDir?: string;
  /** `true` writes `<outputDir>/junit.xml`; a string is the report's path (relative to rootDir). */
  junit?: boolean | string;
  /** GitHub Actions annotations and step summary; default: when `GITHUB_ACTIONS=true`. */
  github?: boolean;
}

export interface ResolvedOptions {
  outputDir: string;
  manifestPath: string;
  /** Every output under outputDir (core/outputPaths). */
  paths: OutputPaths;
  junitPath: string | null;
  github: boolean;
  /** Runs kept in the flake history under outputDir/history. */
  historyLimit: number;
}

const KNOWN = new Set(['outputDir', 'junit', 'github', 'historyLimit']);

const resolvePath = resolveUnderRoot;

/** Never throws: a bad option is a one-line warning and its default is used. */
export function resolveOptions(raw: unknown, rootDir: string, env: NodeJS.ProcessEnv, warn: (message: string) => void): ResolvedOptions {
  const options = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) warn(`unknown reporter option "${key}" (known: ${[...KNOWN].join(', ')})`);
  }
  let paths = outputPaths(rootDir);
  if (options.outputDir !== undefined) {
    if (typeof options.outputDir === 'string' && options.outputDir.trim()) paths = outputPaths(rootDir, options.outputDir);
    else warn(`reporter option "outputDir" must be a non-empty string; using ${DEFAULT_OUTPUT_DIR}`);
  }
  let junitPath: string | null = null;
  if (options.junit === true) junitPath = paths.junit;
  else if (typeof options.junit === 'string' && options.junit.trim()) junitPath = resolvePath(rootDir, options.junit);
  else if (options.junit !== undefined && options.junit !== false) warn('reporter option "junit" must be true or a file path; no JUnit report');
  let github = env.GITHUB_ACTIONS === 'true';
  if (typeof options.github === 'boolean') github = options.github;
  else if (options.github !== undefined) warn('reporter option "github" must be true or false');
  let historyLimit = DEFAULT_HISTORY_LIMIT;
  if (options.historyLimit !== undefined) {
    if (Number.isInteger(options.historyLimit) && (options.historyLimit as number) > 0) historyLimit = options.historyLimit as number;
    else warn(`reporter option "historyLimit" must be a positive integer; keeping the last ${DEFAULT_HISTORY_LIMIT} runs`);
  }
  return { outputDir: paths.dir, manifestPath: paths.manifest, paths, junitPath, github, historyLimit };
}
