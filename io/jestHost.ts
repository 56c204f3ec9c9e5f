// Finds Jest's own packages (jest-runner, jest-worker, jest-environment-node, jest-docblock, …) in the Jest that is
// running us, and refuses a Jest older than we support.
//
// This is the one place where Jest versions meet. We depend on none of Jest's packages (a dependency would make
// pnpm or Yarn install a second Jest beside the user's): every one is loaded from the running Jest. Where it is
// depends on the package manager — hoisted beside `jest` under npm, only inside Jest's own dependency graph under
// pnpm — so the search starts from the Jest packages already loaded in this process (jest-config and @jest/core in
// the main process, jest-runner in a worker), then the script this process started from, then the current
// directory's `jest`, and walks Jest's own dependency edges (jest → jest-cli → @jest/core → jest-config,
// jest-runner) until the package is found.

import * as fs from 'fs';
import * as path from 'path';
import { FlakeguardError } from '../core/errors';

/** The oldest Jest we run on, and the first with the runner tuple `runner: [path, options]`. */
export const MIN_JEST = '29.7.0';
export const RUNNER_TUPLE_JEST = '30.5.0';

/** Jest packages whose dependencies lead to the one we look for (each depends on the next ones). */
const HOPS = ['jest', 'jest-cli', '@jest/core', 'jest-config', 'jest-runner'];
/** A loaded module inside one of Jest's packages: its package directory. */
const LOADED_JEST_PACKAGE = /^(.*[\\/]node_modules[\\/](?:@jest[\\/][^\\/]+|jest-[^\\/]+|jest))[\\/]/;

function loadedJestPackages(): string[] {
  const dirs = new Set<string>();
  for (const file of Object.keys(require.cache)) {
    const dir = LOADED_JEST_PACKAGE.exec(file)?.[1];
    if (dir && !dir.endsWith(`${path.sep}jest-flakeguard`)) dirs.add(dir);
  }
  return [...dirs];
}

function tryResolve(request: string, from: string): string | undefined {
  try {
    return require.resolve(request, { paths: [from] });
  } catch {
    return undefined;
  }
}

const found = new Map<string, string>();

/** Where to start, in order of trust: each group is searched whole before the next. */
function anchorGroups(from: string | undefined): string[][] {
  const main = require.main?.filename ?? process.argv[1];
  return [from ? [path.dirname(from)] : [], loadedJestPackages(), main ? [path.dirname(fs.realpathSync(main))] : [], [process.cwd()]];
}

/** Breadth first from `start` along Jest's own dependency edges, to the nearest directory that resolves `request`. */
function searchFrom(request: string, start: readonly string[]): string | undefined {
  const seen = new Set<string>();
  let frontier = [...start];
  for (let depth = 0; depth <= HOPS.length && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of frontier) {
      if (seen.has(dir)) continue;
      seen.add(dir);
      const resolved = tryResolve(request, dir);
      if (resolved) return resolved;
      for (const hop of HOPS) {
        const pkg = tryResolve(`${hop}/package.json`, dir);
        if (pkg) next.push(path.dirname(pkg));
      }
    }
    frontier = next;
  }
  return undefined;
}

/** The absolute path of `request` as the running Jest resolves it (`from`: a file of Jest's to start at), else as we would. */
export function resolveFromJest(request: string, from?: string): string {
  const key = `${from ?? ''}\0${request}`;
  const cached = found.get(key);
  if (cached) return cached;
  for (const group of anchorGroups(from)) {
    const resolved = group.length > 0 ? searchFrom(request, group) : undefined;
    if (resolved) {
      found.set(key, resolved);
      return resolved;
    }
  }
  try {
    return require.resolve(request);
  } catch {
    throw new FlakeguardError('NOT_FOUND', `cannot find ${request} in the running Jest's packages (is jest installed in this project?)`);
  }
}

/** `require(request)` from the running Jest. */
export function requireFromJest<T>(request: string, from?: string): T {
  return require(resolveFromJest(request, from)) as T;
}

/** jest-docblock, as the running Jest (or, from our command line, the project's Jest) has it. */
export function jestDocblock(): typeof import('jest-docblock') {
  return requireFromJest<typeof import('jest-docblock')>('jest-docblock');
}

/** The version of a package of the running Jest (`jest-runner` by default). */
export function jestVersion(packageName = 'jest-runner'): string {
  return requireFromJest<{ version: string }>(`${packageName}/package.json`).version;
}

/** The major version of the Jest package that `jest-runner` (or another Jest package) belongs to. */
export function jestMajor(packageName = 'jest-runner'): number {
  return Number(jestVersion(packageName).split('.')[0]);
}

/** Whether version `a` is at least `b` (plain x.y.z; a pre-release counts as its release). */
export function atLeast(a: string, b: string): boolean {
  const parse = (v: string) =>
    v
      .split(/[.-]/)
      .slice(0, 3)
      .map((n) => Number.parseInt(n, 10) || 0);
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! > y[i]!;
  return true;
}

/** One line when `version` (of the running Jest) is older than we support; null when it is fine. */
export function unsupportedJest(version: string): string | null {
  return atLeast(version, MIN_JEST) ? null : `jest-flakeguard needs Jest ${MIN_JEST} or later, and this is Jest ${version}: upgrade Jest (npm i -D jest@30)`;
}

let checked = false;
/** Throws the one-line refusal when the running Jest is older than we support (checked once per process). */
export function assertSupportedJest(packageName = 'jest-runner'): void {
  if (checked) return;
  let version: string;
  try {
    version = jestVersion(packageName);
  } catch {
    return; // no Jest to judge: whatever loads next says what is missing
  }
  const refusal = unsupportedJest(version);
  if (refusal) {
    const error = new FlakeguardError('UNSUPPORTED', refusal);
    error.stack = `jest-flakeguard: ${refusal}`;
    throw error;
  }
  checked = true;
}
