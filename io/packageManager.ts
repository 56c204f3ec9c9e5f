// Which package manager runs this project, and so how our printed commands must start: `npx flakeguard` under npm,
// `pnpm exec flakeguard` under pnpm, `yarn flakeguard` under Yarn. Under Yarn Plug'n'Play `npx flakeguard` would
// ask the registry for whatever package is named `flakeguard`: the command must name the manager in use.

import * as fs from 'fs';
import * as path from 'path';

export type PackageManager = 'npm' | 'pnpm' | 'yarn';

const LOCKFILES: Array<[file: string, manager: PackageManager]> = [
  ['.pnp.cjs', 'yarn'],
  ['yarn.lock', 'yarn'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['pnpm-workspace.yaml', 'pnpm'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/**
 * The manager that started this process (`npm_config_user_agent`, which npm, pnpm and Yarn set for scripts and exec),
 * else the nearest lockfile from `dir` up (a workspace package's lockfile is at the repository root), else npm.
 */
export function detectPackageManager(env: NodeJS.ProcessEnv, dir: string, exists: (file: string) => boolean = fs.existsSync): PackageManager {
  const agent = /^(npm|pnpm|yarn)\//.exec(env.npm_config_user_agent ?? '')?.[1] as PackageManager | undefined;
  if (agent) return agent;
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    for (const [file, manager] of LOCKFILES) if (exists(path.join(current, file))) return manager;
    if (path.dirname(current) === current) return 'npm';
  }
}

/** How to run one of this package's commands under `manager`. */
export function commandPrefix(manager: PackageManager): string {
  return manager === 'pnpm' ? 'pnpm exec flakeguard' : manager === 'yarn' ? 'yarn flakeguard' : 'npx flakeguard';
}
