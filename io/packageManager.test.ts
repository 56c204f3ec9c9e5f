import * as path from 'path';
import { commandPrefix, detectPackageManager } from './packageManager';

describe('detectPackageManager', () => {
  const root = path.resolve('/work/repo');
  const files =
    (...names: string[]) =>
    (file: string) =>
      names.map((name) => path.join(root, name)).includes(file);

  test('the manager running us says so in npm_config_user_agent', () => {
    expect(detectPackageManager({ npm_config_user_agent: 'pnpm/10.34.9 npm/? node/v20.20.2 linux x64' }, root, files('package-lock.json'))).toBe('pnpm');
    expect(detectPackageManager({ npm_config_user_agent: 'yarn/4.9.4 npm/? node/v20.20.2 linux x64' }, root, files())).toBe('yarn');
    expect(detectPackageManager({ npm_config_user_agent: 'npm/10.8.2 node/v20.20.2 linux x64 workspaces/false' }, root, files('yarn.lock'))).toBe('npm');
  });

  test('else the nearest lockfile from the project up (a workspace package finds the root one); else npm', () => {
    const pkg = path.join(root, 'packages', 'a');
    expect(detectPackageManager({}, pkg, files('pnpm-lock.yaml'))).toBe('pnpm');
    expect(detectPackageManager({}, pkg, files('.pnp.cjs'))).toBe('yarn');
    expect(detectPackageManager({}, root, files('yarn.lock'))).toBe('yarn');
    expect(detectPackageManager({}, root, files('package-lock.json'))).toBe('npm');
    expect(detectPackageManager({}, root, files())).toBe('npm');
  });

  test('the command for each: never a bare name the registry could resolve under Yarn', () => {
    expect(['npm', 'pnpm', 'yarn'].map((m) => commandPrefix(m as 'npm'))).toEqual(['npx flakeguard', 'pnpm exec flakeguard', 'yarn flakeguard']);
  });
});
