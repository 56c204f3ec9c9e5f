// `flakeguard lint` as a project without an ESLint config runs it: on a copy of the planted cases and of the clean
// corpus, with paths as lint-staged passes them, and with bad usage. ESLint does not depend on Jest: this runs in
// the Jest 30 pass only.
import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, JEST_MAJOR, removeFixture, runFlakeguard } from './harness';

interface JsonResult {
  filePath: string;
  errorCount: number;
  messages: Array<{ ruleId: string | null; line: number; column: number; message: string }>;
}

const reportsOf = (stdout: string, root: string): string[] =>
  (JSON.parse(stdout) as JsonResult[]).flatMap((result) =>
    result.messages.map((m) => `${path.relative(root, result.filePath).split(path.sep).join('/')}:${m.line} ${m.ruleId}`),
  );

(JEST_MAJOR === 30 ? describe : describe.skip)('flakeguard lint', () => {
  let planted: string;
  let clean: string;
  beforeAll(() => {
    planted = copyFixture('lint-planted');
    clean = copyFixture('lint-clean');
  });
  afterAll(() => {
    removeFixture(planted);
    removeFixture(clean);
  });

  test('planted cases: exit 1, ESLint stylish output naming each rule at its line', async () => {
    const run = await runFlakeguard(planted, ['lint']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/__tests__[/\\]world\.test\.js\n\s+3:5\s+error\s+process\.env\.API_URL is set here .*flakeguard\/leaked-env/);
    expect(run.stdout).toContain('✖ 15 problems (15 errors, 0 warnings)');
    expect(run.stderr).toBe('');
  });

  test('--format json: every rule, at its line', async () => {
    const run = await runFlakeguard(planted, ['lint', '--format', 'json']);
    expect(run.status).toBe(1);
    expect(reportsOf(run.stdout, planted).sort()).toEqual(
      [
        '__tests__/db.test.ts:4 flakeguard/serial-marker',
        '__tests__/floating.test.js:7 flakeguard/pending-mock-promise',
        '__tests__/floating.test.js:12 flakeguard/pending-mock-promise',
        '__tests__/misspelt.test.js:2 flakeguard/valid-pragma',
        '__tests__/misspelt.test.js:3 flakeguard/valid-pragma',
        '__tests__/once.test.ts:7 flakeguard/unused-mock-once',
        '__tests__/port.test.js:6 flakeguard/serial-marker',
        '__tests__/spy.test.js:4 flakeguard/unrestored-spy',
        '__tests__/spy.test.js:10 flakeguard/unrestored-spy',
        '__tests__/stale.test.ts:9 flakeguard/stale-module',
        '__tests__/stray.test.js:2 flakeguard/valid-pragma',
        '__tests__/tmp.test.js:8 flakeguard/serial-marker',
        '__tests__/world.test.js:3 flakeguard/leaked-env',
        '__tests__/world.test.js:4 flakeguard/leaked-global',
        '__tests__/world.test.js:7 flakeguard/fake-timers-left',
      ].sort(),
    );
  });

  test('the clean corpus: exit 0 and no output', async () => {
    const run = await runFlakeguard(clean, ['lint']);
    expect(run).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  test('files as lint-staged passes them: test files linted, others skipped', async () => {
    fs.mkdirSync(path.join(planted, 'src'), { recursive: true });
    fs.writeFileSync(path.join(planted, 'src', 'app.js'), 'process.env.NOT_A_TEST = "1";\n');
    const run = await runFlakeguard(planted, ['lint', '--format', 'json', path.join(planted, 'src', 'app.js'), '__tests__/spy.test.js']);
    expect(run.status).toBe(1);
    expect(reportsOf(run.stdout, planted)).toEqual(['__tests__/spy.test.js:4 flakeguard/unrestored-spy', '__tests__/spy.test.js:10 flakeguard/unrestored-spy']);
  });

  test("the project's own ESLint comments neither fail nor widen the run", async () => {
    fs.writeFileSync(
      path.join(clean, 'directives.test.js'),
      [
        '/* eslint no-console: "error" */',
        '// eslint-disable-next-line jest/no-done-callback',
        "test('a', (done) => { console.log('x'); done(); });",
        '// eslint-disable-next-line flakeguard/fake-timers-left',
        "test('b', () => { jest.useFakeTimers(); });",
        '',
      ].join('\n'),
    );
    const run = await runFlakeguard(clean, ['lint', 'directives.test.js']);
    expect(run).toMatchObject({ status: 0, stdout: '' });
  });

  test('bad usage: exit 2 and one line', async () => {
    for (const args of [
      ['lint', '--format', 'xml'],
      ['lint', 'no/such/dir'],
      ['lint', '--fix'],
    ]) {
      const run = await runFlakeguard(planted, args);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^flakeguard lint: (unknown format "xml"|no such file or folder: no\/such\/dir|unknown option --fix \(see flakeguard lint --help\))/);
    }
  });
});
