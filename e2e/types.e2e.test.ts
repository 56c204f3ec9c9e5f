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

const RESOLUTIONS: Array<[moduleResolution: string, module: string]> = [
  ['node10', 'commonjs'],
  ['node16', 'node16'],
  ['nodenext', 'nodenext'],
  ['bundler', 'esnext'],
];

// One project per moduleResolution, all checked by one `tsc -b` (half the CPU of four tsc processes); an error is
// reported under its project's folder, so each resolution still has a test of its own.
describe('the types under each moduleResolution', () => {
  let dir: string;
  let run: { status: number | null; output: string[] };
  beforeAll(() => {
    fs.mkdirSync(SCRATCH, { recursive: true });
    dir = fs.mkdtempSync(path.join(SCRATCH, 'types-'));
    for (const [moduleResolution, module] of RESOLUTIONS) {
      fs.mkdirSync(path.join(dir, moduleResolution));
      fs.writeFileSync(path.join(dir, moduleResolution, 'jest.config.ts'), SOURCE);
      const compilerOptions = { noEmit: true, strict: true, skipLibCheck: true, types: ['node'], module, moduleResolution, esModuleInterop: true };
      fs.writeFileSync(path.join(dir, moduleResolution, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['jest.config.ts'] }));
    }
    const result = spawnSync(process.execPath, [TSC, '-b', '--force', ...RESOLUTIONS.map(([moduleResolution]) => moduleResolution)], { cwd: dir, encoding: 'utf8' });
    run = { status: result.status, output: (result.stdout + result.stderr).split('\n').filter(Boolean) };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(RESOLUTIONS)('moduleResolution %s (module %s): every entry point has its types', (moduleResolution) => {
    expect(run.output.filter((line) => line.startsWith(`${moduleResolution}/`))).toEqual([]);
  });

  test('tsc reports nothing and exits 0', () => {
    expect(run.output).toEqual([]);
    expect(run.status).toBe(0);
  });
});
