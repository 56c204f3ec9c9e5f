// The rerun path is a required check: crafted manifests, histories, quarantine files and caches (issue #10, one
// describe per numbered case) can neither run code, nor hide a failure, nor stall or flood CI.

import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, removeFixture, runFlakeguard, runJest } from './harness';
import { attempts, readManifestJson } from './reporterHelpers';
import { emptyCounts, type Manifest, type ManifestTest } from '../core/manifest';

const test_ = (project: string | null, file: string, titles: string[]): ManifestTest => ({ project, file, titles, attempts: 1, message: 'x' });

function manifestOf(failed: ManifestTest[], extra: Partial<Manifest> = {}): Manifest {
  return {
    schemaVersion: 1,
    tool: 'jest-flakeguard',
    status: 'failed',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    jestVersion: '30.5.2',
    shard: null,
    seed: 1,
    counts: { ...emptyCounts(), failed: failed.length },
    failed,
    flaky: [],
    fileErrors: [],
    notRun: [],
    findings: [],
    ...extra,
  };
}

const writeJson = (dir: string, file: string, value: unknown): void => fs.writeFileSync(path.join(dir, file), JSON.stringify(value));

const notFoundLines = (stderr: string): string[] => stderr.split('\n').filter((line) => line.startsWith('flakeguard rerun: not found: '));

describe('1. a manifest cannot make Jest load code: project names and files are data, never options', () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('security')));
  afterAll(() => removeFixture(dir));

  test('a project "--config=evil.config.js" beside an ordinary entry: never handed to Jest, not found, the run fails', async () => {
    writeJson(dir, 'crafted.json', manifestOf([test_('unit', '__tests__/unit/ok.test.js', ['passes']), test_('--config=evil.config.js', '__tests__/unit/ok.test.js', ['passes'])]));
    const run = await runFlakeguard(dir, ['rerun', '--manifest', 'crafted.json']);
    expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(false);
    expect(run.status).toBe(1);
    expect(attempts(dir, 'unit passes')).toBe(1); // the ordinary entry ran
    expect(notFoundLines(run.stderr)).toEqual([expect.stringContaining('(refused: project "--config=evil.config.js" is not one Jest reports (unit, other))')]);
    // …and it stays in the rerun's own manifest, so the next rerun refuses it again.
    const own = readManifestJson(dir);
    expect(own.status).toBe('failed');
    expect(own.failed.map((t) => [t.project, t.attempts])).toEqual([['--config=evil.config.js', 0]]);
  });

  test('files that look like options, or climb out of rootDir, never reach Jest as such', async () => {
    writeJson(
      dir,
      'crafted.json',
      manifestOf([
        test_('unit', '__tests__/unit/ok.test.js', ['passes']),
        test_('unit', '--config=evil.config.js', ['x']),
        test_('unit', '../../evil.config.js', ['x']),
        test_('unit', path.join(path.dirname(dir), 'elsewhere.test.js'), ['x']),
      ]),
    );
    const run = await runFlakeguard(dir, ['rerun', '--manifest', 'crafted.json']);
    expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(false);
    expect(run.status).toBe(1);
    expect(notFoundLines(run.stderr)).toEqual([
      expect.stringMatching(/not found: --config=evil\.config\.js › x \(the file is gone\)$/),
      expect.stringMatching(/not found: \.\.\/\.\.\/evil\.config\.js › x \(refused: the file is outside Jest's rootDir /),
      expect.stringMatching(/elsewhere\.test\.js › x \(refused: the file is outside Jest's rootDir /),
    ]);
  });

  test("a manifest value with a NUL byte or an empty project is not a manifest: one line, exit 2, Jest never starts", async () => {
    writeJson(dir, 'crafted.json', manifestOf([test_('', '__tests__/unit/ok.test.js', ['passes'])]));
    const run = await runFlakeguard(dir, ['rerun', '--manifest', 'crafted.json']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/crafted\.json: invalid manifest: failed\[0\]\.project must be a non-empty name or null$/)]);
  });
});

describe('2. every target a rerun names ends passed, failed, flaky or not found: a file Jest does not run is never a pass', () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('security')));
  afterAll(() => removeFixture(dir));

  const filtered = [
    test_('unit', '__tests__/ignored/unit/ignored.test.js', ['ignored']), // testPathIgnorePatterns
    test_('unit', '__tests__/unit/helper.js', ['helper test']), // testMatch
    test_('unit', 'outside/unit/outside.test.js', ['outside']), // roots
    test_('unit', '__tests__/other/other.test.js', ['other passes']), // only project "other" takes it
  ];

  test('filtered by testPathIgnorePatterns, testMatch, roots, or run by another project: not found, exit 1, kept for the next rerun', async () => {
    writeJson(dir, 'crafted.json', manifestOf([test_('unit', '__tests__/unit/ok.test.js', ['passes']), ...filtered]));
    const run = await runFlakeguard(dir, ['rerun', '--manifest', 'crafted.json']);
    expect(run.status).toBe(1);
    expect(notFoundLines(run.stderr).map((line) => line.replace(/ \(.*$/, ''))).toEqual(filtered.map((t) => `flakeguard rerun: not found: ${t.file} › ${t.titles[0]}`));
    expect(notFoundLines(run.stderr).every((line) => line.endsWith('(Jest did not run this file: testMatch, testPathIgnorePatterns or roots leave it out, its project no longer takes it, or the run stopped first)'))).toBe(true);
    expect(['ignored', 'helper', 'outside', 'other passes'].map((name) => attempts(dir, name))).toEqual([0, 0, 0, 0]);
    const own = readManifestJson(dir);
    expect(own.status).toBe('failed');
    expect(own.counts).toMatchObject({ passed: 1, failed: 4 });
    expect(own.failed.map((t) => t.file)).toEqual(filtered.map((t) => t.file));

    // The next rerun, of the rerun's own manifest, names them again: never "nothing to rerun".
    const next = await runFlakeguard(dir, ['rerun']);
    expect(next.status).toBe(1);
    expect(notFoundLines(next.stderr)).toHaveLength(4);
  });

  test('a file that runs, but in another project than the target names, does not count for it', async () => {
    // Both projects are selected; Jest runs other.test.js in "other" only. Jest's --json report has no project:
    // the reporter, which knows each result's project, fails the run.
    writeJson(dir, 'crafted.json', manifestOf([test_('other', '__tests__/other/other.test.js', ['other passes']), test_('unit', '__tests__/other/other.test.js', ['other passes'])]));
    const run = await runFlakeguard(dir, ['rerun', '--manifest', 'crafted.json']);
    expect(run.status).toBe(1);
    const own = readManifestJson(dir);
    expect(own.failed.map((t) => [t.project, t.file, t.attempts])).toEqual([['unit', '__tests__/other/other.test.js', 0]]);
    expect(own.counts).toMatchObject({ passed: 1, failed: 1 });
  });

  test('when Jest runs nothing at all, the given manifest still names every target', async () => {
    writeJson(dir, 'crafted.json', manifestOf(filtered.slice(0, 3)));
    const run = await runFlakeguard(dir, ['rerun', '--manifest', 'crafted.json']);
    expect(run.status).toBe(1);
    expect(notFoundLines(run.stderr)).toHaveLength(3);
    expect(run.stderr).toContain('flakeguard rerun: crafted.json is unchanged; a full run of the suite writes a fresh manifest');
  });

  test('a plain Jest run of the fixture is what the specs above assume', async () => {
    const run = await runJest(dir, []);
    expect(run.status).toBe(0);
    expect(readManifestJson(dir).counts).toMatchObject({ passed: 2, failed: 0 });
  });
});
