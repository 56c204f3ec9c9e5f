// The package as a user gets it: `npm pack`, then installed from the tarball into a throwaway Jest 29.7 project
// and a Jest 30 project outside this repo (nothing resolves from our node_modules), then run there: the lanes, a
// leak finding, a manifest and a rerun in each. Runs once, in the Jest 30 pass: it drives both Jests itself.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { childEnv, JEST_MAJOR, REPO, runNode } from './harness';

const npm = (args: string[], cwd: string) => {
  const run = spawnSync('npm', args, { cwd, encoding: 'utf8', env: childEnv() });
  if (run.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}\n${run.stderr}`);
  return run.stdout;
};

const JESTS: Array<[major: number, version: string]> = [
  [29, '29.7.0'],
  [30, require(path.join(REPO, 'node_modules', 'jest', 'package.json')).version as string],
];

(JEST_MAJOR === 30 ? describe : describe.skip)('the packed tarball in a user project', () => {
  let scratch: string;
  let tarball: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-packed-'));
    const name = npm(['pack', '--silent', '--pack-destination', scratch], REPO).trim().split('\n').pop()!;
    tarball = path.join(scratch, name);
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test('the tarball holds the built package and no tests or sources of ours', () => {
    const listing = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.split('\n');
    expect(listing).toEqual(expect.arrayContaining(['package/dist/runner/index.js', 'package/dist/cli/flakeguard.js', 'package/README.md']));
    expect(listing.filter((file) => /\.test\.|\/e2e\/|\/fixtures\/|\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
    // core/simulate replays the scheduler for its spec and bench/lanes: built, never shipped.
    expect(listing.filter((file) => /simulate/.test(file))).toEqual([]);
    // Source maps would point at TypeScript sources the package does not hold.
    expect(listing.filter((file) => file.endsWith('.map'))).toEqual([]);
    // Every module shipped is built from a source of today's tree: the build starts from an empty dist/, so a module
    // renamed or removed does not linger in the package.
    const shipped = listing.filter((file) => /^package\/dist\/.*\.js$/.test(file)).map((file) => file.replace(/^package\/dist\//, '').replace(/\.js$/, '.ts'));
    expect(shipped.filter((source) => !fs.existsSync(path.join(REPO, source)))).toEqual([]);
  });

  describe.each(JESTS)('Jest %i', (major, version) => {
    let project: string;
    beforeAll(() => {
      project = path.join(scratch, `jest-${major}`);
      fs.cpSync(path.join(REPO, 'fixtures', 'packed'), project, { recursive: true });
      const template = fs.readFileSync(path.join(project, 'package.json.template'), 'utf8');
      fs.writeFileSync(path.join(project, 'package.json'), template.replace('JEST_MAJOR', String(major)).replace('JEST_VERSION', version).replace('TARBALL', tarball));
      npm(['install', '--no-audit', '--no-fund', '--prefer-offline'], project);
    }, 300_000);

    test("npm installed it beside the Jest it found: one jest-runner, the project's", () => {
      const fromPackage = require.resolve('jest-runner/package.json', { paths: [path.join(project, 'node_modules', 'jest-flakeguard')] });
      expect(fromPackage.startsWith(project)).toBe(true);
      expect(Number(JSON.parse(fs.readFileSync(fromPackage, 'utf8')).version.split('.')[0])).toBe(major);
    });

    test('lanes, a leak finding, a manifest, and a rerun that converges', async () => {
      const jest = path.join(project, 'node_modules', 'jest', 'bin', 'jest.js');
      const first = await runNode(jest, ['--ci', '--maxWorkers=3', '--selectProjects', 'stable'], project);
      expect(first.status).toBe(1);
      expect(first.stderr).toContain('flakeguard: 3 parallel · 1 serial · 2 in resource groups (db ×2)');
      expect(first.stderr).toMatch(/unrestored-spy +spy on api\.fetchUser was not restored +\(__tests__\/leak\.test\.js:4:\d+\)/);
      const manifest = JSON.parse(fs.readFileSync(path.join(project, '.flakeguard', 'last-run.json'), 'utf8'));
      expect(manifest.jestVersion.split('.')[0]).toBe(String(major));
      expect(manifest.failed).toEqual([expect.objectContaining({ project: 'stable', file: '__tests__/once.test.js', titles: ['fails on the first run only'] })]);
      expect(manifest.findings).toEqual([expect.objectContaining({ check: 'unrestored-spy', file: '__tests__/leak.test.js' })]);

      const rerun = await runNode(path.join(project, 'node_modules', '.bin', 'flakeguard'), ['rerun'], project);
      expect(rerun.status).toBe(0);
      const after = JSON.parse(fs.readFileSync(path.join(project, '.flakeguard', 'last-run.json'), 'utf8'));
      expect(after.status).toBe('passed');
      expect(after.counts.passed).toBe(1);
    });
  });
});
