// Finds Jest's own packages (jest-runner, jest-worker, jest-environment-node, …) in the Jest that is running us.
//
// This is the one place where Jest versions meet. A user's project may have Jest 29 or 30, and in a monorepo
// our package may sit beside a different Jest than the workspace runs. Resolving from the running Jest —
// its bin in the main process, jest-worker's child script in a worker — loads the runner, worker and
// environment that match it; our own dependencies are the fallback.

import * as path from 'path';

function hostEntry(): string | undefined {
  return require.main?.filename ?? process.argv[1];
}

/** The absolute path of `request` as the running Jest would resolve it, else as we would. */
export function resolveFromJest(request: string, from: string | undefined = hostEntry()): string {
  if (from) {
    try {
      return require.resolve(request, { paths: [path.dirname(from)] });
    } catch {
      // not beside the running Jest: use ours
    }
  }
  return require.resolve(request);
}

/** `require(request)` from the running Jest. */
export function requireFromJest<T>(request: string, from?: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolveFromJest(request, from)) as T;
}

/** The major version of the Jest package that `jest-runner` (or another Jest package) belongs to. */
export function jestMajor(packageName = 'jest-runner'): number {
  const pkg = requireFromJest<{ version: string }>(`${packageName}/package.json`);
  return Number(pkg.version.split('.')[0]);
}
