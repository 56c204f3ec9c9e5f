// The rerun path is a required check: crafted manifests, histories, quarantine files and caches (issue #10, one
// describe per numbered case) can neither run code, nor hide a failure, nor stall or flood CI.

import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { copyFixture, removeFixture, runFlakeguard, runJest } from './harness';
import { attempts, flakeguardLines, readManifestJson } from './reporterHelpers';
import { readHistory } from '../io/historyFile';
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
    writeJson(
      dir,
      'crafted.json',
      manifestOf([test_('unit', '__tests__/unit/ok.test.js', ['passes']), test_('--config=evil.config.js', '__tests__/unit/ok.test.js', ['passes'])]),
    );
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

  test('a manifest value with a NUL byte or an empty project is not a manifest: one line, exit 2, Jest never starts', async () => {
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
    expect(
      notFoundLines(run.stderr).every((line) =>
        line.endsWith('(Jest did not run this file: testMatch, testPathIgnorePatterns or roots leave it out, its project no longer takes it, or the run stopped first)'),
      ),
    ).toBe(true);
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
    writeJson(
      dir,
      'crafted.json',
      manifestOf([test_('other', '__tests__/other/other.test.js', ['other passes']), test_('unit', '__tests__/other/other.test.js', ['other passes'])]),
    );
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

describe('3. bounded reads: a gzip bomb or an oversized file is one line naming the cap, and loses no result', () => {
  let dir: string;
  let historyDir: string;
  beforeAll(async () => {
    dir = copyFixture('security');
    historyDir = path.join(dir, '.flakeguard', 'history');
    fs.mkdirSync(historyDir, { recursive: true });
    // 256 MiB of zeros gzip to a quarter of a megabyte; streamed, so the spec never holds them in memory.
    await new Promise<void>((resolve, reject) => {
      const gzip = zlib.createGzip();
      const out = fs.createWriteStream(path.join(historyDir, 'history.json.gz'));
      gzip.pipe(out).on('finish', resolve).on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < 256; i++) gzip.write(chunk);
      gzip.end();
    });
    fs.copyFileSync(path.join(historyDir, 'history.json.gz'), path.join(dir, 'bomb.json.gz'));
  });
  afterAll(() => removeFixture(dir));

  const capLine = /history\.json\.gz: inflates to over 64 MiB, the cap for a gzipped file flakeguard reads; delete it to start over/;

  test('a Jest run beside a bombed history: one warning naming the cap, the run and its manifest untouched', async () => {
    const run = await runJest(dir, []);
    expect(run.status).toBe(0);
    expect(flakeguardLines(run.stderr).filter((line) => line.includes('flake history'))).toEqual([expect.stringMatching(capLine)]);
    expect(readManifestJson(dir).counts).toMatchObject({ passed: 2 });
  });

  test.each([
    ['report', ['report', '--history', 'bomb.json.gz']],
    ['merge', ['merge', 'bomb.json.gz', 'bomb.json.gz', '-o', 'merged']],
    ['quarantine prune', ['quarantine', 'prune', '--history', 'bomb.json.gz', '--dry-run']],
  ])('flakeguard %s: exit 2, one line naming the cap', async (_name, args) => {
    const run = await runFlakeguard(dir, args);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/bomb\.json\.gz: inflates to over 64 MiB, the cap/)]);
  });

  test('a manifest or quarantine file over 64 MiB is refused from its size, before it is read', async () => {
    for (const file of ['big.json', '.flakeguard/quarantine.json']) {
      fs.writeFileSync(path.join(dir, file), '');
      fs.truncateSync(path.join(dir, file), 65 * 1024 * 1024);
    }
    const rerun = await runFlakeguard(dir, ['rerun', '--manifest', 'big.json']);
    expect(rerun.status).toBe(2);
    expect(rerun.stderr.trim().split('\n')).toEqual([expect.stringMatching(/big\.json: is 65 MiB, over the 64 MiB a file flakeguard reads may have$/)]);
    const list = await runFlakeguard(dir, ['quarantine', 'list']);
    expect(list.status).toBe(2);
    expect(list.stderr.trim().split('\n')).toEqual([expect.stringMatching(/quarantine\.json: is 65 MiB, over the 64 MiB a file flakeguard reads may have$/)]);
  });
});

/** Lines GitHub would run as workflow commands (it trims leading spaces): only our own annotations may be there. */
const commandLines = (text: string): string[] => text.split('\n').filter((line) => line.trimStart().startsWith('::'));
const ours = /^::(error|warning) file=__tests__\/hostile\.test\.js,/;

/** Markdown outside code spans: what GitHub would render as links, images or HTML. */
const outsideCode = (markdown: string): string => markdown.replace(/(`+)[^\n]*?\1/g, '');

describe('4 and 5. titles, reasons, owners and messages are data in every output: no workflow command, no markup, no escape', () => {
  let dir: string;
  let run: { status: number | null; stdout: string; stderr: string };
  let summary: string;
  beforeAll(async () => {
    dir = copyFixture('security-output');
    run = await runJest(dir, [], { GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md') });
    summary = fs.readFileSync(path.join(dir, 'summary.md'), 'utf8');
  });
  afterAll(() => removeFixture(dir));

  test('the run (one failed, one flaky, one quarantined hostile test) printed its blocks and annotations', () => {
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('flakeguard: 1 failed · 1 flaky');
    expect(run.stderr).toContain('flakeguard quarantine:\n  skipped (quarantined): __tests__/hostile.test.js > t\\n::add-mask::x');
    expect(commandLines(run.stdout).map((line) => line.slice(0, 10))).toEqual(['::error fi', '::warning ']);
  });

  test("the reporter's summary block, the quarantine block and the annotations: no line GitHub would run but ours, no ESC, no CR", () => {
    for (const text of [run.stdout, run.stderr]) {
      expect(commandLines(text).filter((line) => !ours.test(line))).toEqual([]);
      expect(text).not.toMatch(/\u001b|\r/);
    }
    // An annotation's title is one line; its message keeps line breaks only as GitHub's %0A.
    expect(
      run.stdout
        .split('\n')
        .filter(Boolean)
        .every((line) => ours.test(line)),
    ).toBe(true);
  });

  test('$GITHUB_STEP_SUMMARY: links, images and HTML are code spans; a lone CR or a | cannot split a table row', () => {
    expect(summary).not.toMatch(/\u001b|\r/);
    expect(outsideCode(summary)).not.toMatch(/evil\.test|<img|::add-mask/);
    const rows = summary.split('\n').filter((line) => line.startsWith('| `__tests__'));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(6); // 4 cells
  });

  test('flakeguard report, as text and --markdown, from a history of those titles', async () => {
    const text = await runFlakeguard(dir, ['report', '--all']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('flaky t\\n::add-mask::x');
    expect(commandLines(text.stdout)).toEqual([]);
    expect(text.stdout).not.toMatch(/\u001b|\r/);
    const markdown = await runFlakeguard(dir, ['report', '--all', '--markdown']);
    expect(markdown.status).toBe(0);
    expect(commandLines(markdown.stdout)).toEqual([]);
    expect(markdown.stdout).not.toMatch(/\u001b|\r/);
    expect(outsideCode(markdown.stdout)).not.toMatch(/evil\.test|<img|::add-mask/);
  });

  test('flakeguard quarantine list, and an error quoting a hostile value', async () => {
    const list = await runFlakeguard(dir, ['quarantine', 'list', '--file', 'quarantine.json']);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('    reason: reason t\\n::add-mask::x');
    expect(commandLines(list.stdout)).toEqual([]);
    expect(list.stdout).not.toMatch(/\u001b|\r/);
    writeJson(dir, 'bad-quarantine.json', { schemaVersion: 1, entries: [{ file: '../\n::error::x', reason: 'r', added: '2026-01-01' }] });
    const bad = await runFlakeguard(dir, ['quarantine', 'list', '--file', 'bad-quarantine.json']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(commandLines(bad.stderr)).toEqual([]);
  });
});

describe('6. a pragma cache anyone can write decides nothing: lanes only, and only in a directory of your own', () => {
  let dir: string;
  let cacheRoot: string;
  const required = () => path.join(dir, '__tests__', 'required.test.js');
  // Where withFlakeguard keeps its pragma cache by default (config/index.ts): predictable, under the temp directory.
  const defaultCache = () => path.join(os.tmpdir(), `jest-flakeguard-config-${createHash('sha1').update(dir).digest('hex').slice(0, 12)}`);
  const stableFiles = async (): Promise<{ files: string[]; stderr: string }> => {
    const run = await runJest(dir, ['--listTests', '--selectProjects', 'stable']);
    expect(run.status).toBe(0);
    return { files: run.stdout.split('\n').filter((line) => line.endsWith('.test.js')), stderr: run.stderr };
  };
  const plant = (): void => {
    const stat = fs.statSync(required());
    const flakyEntry = { spec: { lane: 'parallel' }, allow: [], warnings: [], flaky: 'x' };
    fs.mkdirSync(path.join(cacheRoot, 'jest-flakeguard'), { recursive: true });
    // The format the issue was found with, and today's, each claiming `@flaky` for a file without it.
    fs.writeFileSync(
      path.join(cacheRoot, 'jest-flakeguard', 'pragmas-v2.json'),
      JSON.stringify({ version: 2, parser: 2, files: { [required()]: [stat.mtimeMs, stat.size, flakyEntry] } }),
    );
    fs.writeFileSync(
      path.join(cacheRoot, 'jest-flakeguard', 'pragmas-v3.json'),
      JSON.stringify({ version: 3, parser: 2, files: { [required()]: [stat.mtimeMs, stat.size, flakyEntry] } }),
    );
  };
  beforeAll(() => {
    dir = fs.realpathSync(copyFixture('security-cache'));
    cacheRoot = defaultCache();
    fs.rmSync(cacheRoot, { recursive: true, force: true });
  });
  afterAll(() => {
    removeFixture(dir);
    fs.rmSync(cacheRoot, { recursive: true, force: true });
  });

  test('a planted entry claiming @flaky does not move a file out of stable, nor into `quarantine list`', async () => {
    plant();
    expect((await stableFiles()).files).toEqual([required()]);
    const list = await runFlakeguard(dir, ['quarantine', 'list']);
    expect(list.stdout).not.toContain('[@flaky]');
  });

  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0 ? test : test.skip;
  asRoot("a cache directory that is another user's, or that everyone can write, is not used: one warning line", async () => {
    plant();
    fs.chownSync(path.join(cacheRoot, 'jest-flakeguard'), 12345, 12345);
    const theirs = await stableFiles();
    expect(theirs.files).toEqual([required()]);
    expect(theirs.stderr.split('\n').filter((line) => line.includes('pragma cache'))).toEqual([
      expect.stringMatching(/^flakeguard: the pragma cache .*jest-flakeguard belongs to uid 12345, not to you \(uid 0\): not used/),
    ]);
    fs.chownSync(path.join(cacheRoot, 'jest-flakeguard'), 0, 0);
    fs.chmodSync(cacheRoot, 0o777);
    const everyone = await stableFiles();
    expect(everyone.stderr).toMatch(/the pragma cache .* can be written by every user: not used/);
  });
});

describe("7. crash leftovers: orphan temp files are swept, a dead process's lock is taken at once", () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('security')));
  afterAll(() => removeFixture(dir));

  test('a planted lock naming a dead pid and 7.5 MB of orphan temp files: the next run never waits, and sweeps them', async () => {
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const history = path.join(dir, '.flakeguard', 'history');
    fs.mkdirSync(history, { recursive: true });
    fs.writeFileSync(path.join(history, 'history.json.gz.lock'), `${dead}\n`);
    const orphans = [path.join(dir, '.flakeguard', `last-run.json.${dead}.k1ll3d.tmp`), path.join(history, `history.json.gz.${dead}.k1ll3d.tmp`)];
    for (const orphan of orphans) fs.writeFileSync(orphan, Buffer.alloc(3.75 * 1024 * 1024));
    const log = path.join(dir, 'point.log');
    const run = await runJest(dir, [], { NODE_OPTIONS: `--require ${path.join(__dirname, 'killPoint.js')}`, KILL_POINT_LOG: log });
    expect(run.status).toBe(0);
    expect(
      fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line === 'lock-wait'),
    ).toEqual([]); // taken at once
    expect(orphans.filter((orphan) => fs.existsSync(orphan))).toEqual([]);
    expect(fs.readdirSync(history)).toEqual(['history.json.gz']);
    expect(readHistory(history).runs).toHaveLength(1);
  });
});

describe('8. smaller cases', () => {
  test('a quarantine whose every entry is dangling: `jest --selectProjects flaky` passes, the entries are reported', async () => {
    const dir = copyFixture('security-cache');
    try {
      fs.mkdirSync(path.join(dir, '.flakeguard'), { recursive: true });
      writeJson(dir, '.flakeguard/quarantine.json', {
        schemaVersion: 1,
        entries: [
          { file: '__tests__/deleted.test.js', reason: 'gone since', added: '2026-01-01' },
          { file: '__tests__/also-gone.test.js', titles: ['t'], reason: 'gone too', added: '2026-01-01' },
        ],
      });
      const run = await runJest(dir, ['--selectProjects', 'flaky']);
      expect(run.stderr).not.toContain('No tests found');
      expect(run.status).toBe(0);
      expect(run.stderr).toContain('quarantine entry names a test that is gone: file __tests__/deleted.test.js does not exist');
    } finally {
      removeFixture(dir);
    }
  });

  test('flakeguard lanes on a file with a 4 MB docblock: one warning naming the file, the others listed', async () => {
    const dir = copyFixture('security');
    try {
      fs.writeFileSync(path.join(dir, '__tests__', 'unit', 'huge.test.js'), `/**\n${' * x\n'.repeat(850_000)} * @serial\n */\ntest('huge', () => {});\n`);
      const run = await runFlakeguard(dir, ['lanes']);
      expect(run.status).toBe(0);
      expect(run.stderr.trim().split('\n')).toEqual([
        'flakeguard: warning: __tests__/unit/huge.test.js: cannot read pragmas (its leading docblock runs past 1 MiB: too long to read pragmas from (shorten it))',
      ]);
      expect(run.stdout).toMatch(/^parallel\s+__tests__\/unit\/huge\.test\.js$/m);
      expect(run.stdout).toMatch(/^parallel\s+__tests__\/unit\/ok\.test\.js$/m);
    } finally {
      removeFixture(dir);
    }
  });

  test('an error about a bad file never echoes its bytes (a symlink to another file, control bytes)', async () => {
    const dir = copyFixture('security');
    try {
      fs.writeFileSync(path.join(dir, 'secret.txt'), 'root:x:0:0:SECRET\u001b]0;owned\u0007');
      fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'linked.json'));
      for (const args of [
        ['rerun', '--manifest', 'linked.json'],
        ['merge', 'linked.json'],
        ['quarantine', 'list', '--file', 'linked.json'],
        ['report', '--history', 'linked.json'],
      ]) {
        const run = await runFlakeguard(dir, args);
        expect([args[0], run.status]).toEqual([args[0], 2]);
        expect(run.stderr).toMatch(/linked\.json: not valid JSON/);
        expect(run.stderr).not.toMatch(/SECRET|root:x|\u001b/);
      }
    } finally {
      removeFixture(dir);
    }
  });
});
