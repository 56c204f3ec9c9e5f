// The package's types as TypeScript users resolve them: every entry point under every moduleResolution they use,
// `node10` (the classic resolution of `"module": "commonjs"`, which ignores `exports`) included.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO } from './harness';

const TSC = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
// Inside the repo, so `jest-flakeguard` resolves to the link `npm run build` makes in node_modules, as a user's would.
const SCRATCH = path.join(REPO, '.e2e-tmp');

const SOURCE = `import { withFlakeguard, type FlakeguardOptions } from 'jest-flakeguard/config';
import FlakeguardRunner from 'jest-flakeguard/runner';
import FlakeguardReporter from 'jest-flakeguard/reporter';
import { TestEnvironment, withFlakeguardEnvironment } from 'jest-flakeguard/environment';
import * as jsdom from 'jest-flakeguard/environment/jsdom';

const options: FlakeguardOptions = { retries: 2 };
const config = withFlakeguard({ testEnvironment: 'node' }, options);
export default config;
export const parts = [FlakeguardRunner, FlakeguardReporter, TestEnvironment, withFlakeguardEnvironment, jsdom];
`;

describe.each([
  ['node10', 'commonjs'],
  ['node16', 'node16'],
  ['nodenext', 'nodenext'],
  ['bundler', 'esnext'],
])('moduleResolution %s (module %s)', (moduleResolution, module) => {
  let dir: string;
  beforeAll(() => {
    fs.mkdirSync(SCRATCH, { recursive: true });
    dir = fs.mkdtempSync(path.join(SCRATCH, `types-${moduleResolution}-`));
    fs.writeFileSync(path.join(dir, 'jest.config.ts'), SOURCE);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('every entry point has its types', () => {
    const args = [
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      '--types',
      'node',
      '--module',
      module,
      '--moduleResolution',
      moduleResolution,
      '--esModuleInterop',
      'jest.config.ts',
    ];
    const run = spawnSync(process.execPath, [TSC, ...args], { cwd: dir, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
