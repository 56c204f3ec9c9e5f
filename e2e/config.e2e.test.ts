import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, removeFixture, runFlakeguard, runJest, runJestJson, type JestJson, type RunResult } from './harness';

const CART = '__tests__/cart.test.js';
const QUARANTINE = {
  schemaVersion: 1,
  entries: [
    { file: CART, titles: ['cart', 'applies a coupon'], reason: 'coupon service races', owner: 'ana', added: '2026-11-01', expires: '2099-01-01' },
    { file: '__tests__/search.test.js', reason: 'index warms up slowly', owner: 'bo', added: '2026-11-01' },
  ],
};

/** `PASS stable __tests__/x.test.js` lines of Jest's output, as "stable __tests__/x.test.js", sorted. */
const filesRun = (run: RunResult): string[] =>
  run.stderr
    .split('\n')
    .map((line) => /^(?:PASS|FAIL) (stable|flaky) (\S+)/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]} ${m[2]}`)
    .sort();

/** Every test of a run as "file > titles: status ×attempts", sorted. */
const outcomes = (json: JestJson, dir: string): string[] =>
  json.testResults
    .flatMap((file) =>
      file.assertionResults.map(
        (a) =>
          `${path.relative(dir, file.name).split(path.sep).join('/')} > ${[...a.ancestorTitles, a.title].join(' > ')}: ${a.status}${a.status === 'passed' ? ` ×${a.invocations ?? 1}` : ''}`,
      ),
    )
    .sort();

const quarantineBlock = (run: RunResult): string[] => {
  const lines = run.stderr.split('\n');
  const start = lines.indexOf('flakeguard quarantine:');
  if (start < 0) return [];
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break;
    block.push(line.trim());
  }
  return block;
};

describe('withFlakeguard: the stable and flaky projects', () => {
  let dir: string;
  const writeQuarantine = (value: unknown) => {
    fs.mkdirSync(path.join(dir, '.flakeguard'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.flakeguard', 'quarantine.json'), typeof value === 'string' ? value : JSON.stringify(value));
  };
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    fs.rmSync(path.join(dir, '.attempts'), { recursive: true, force: true });
    return runJestJson(dir, args, env);
  };

  beforeEach(() => {
    dir = copyFixture('quarantine-project');
    writeQuarantine(QUARANTINE);
  });
  afterEach(() => removeFixture(dir));

  test('--selectProjects stable leaves quarantined files out and skips quarantined tests, with the reason', async () => {
    const result = await run(['--selectProjects', 'stable']);
    expect(result.status).toBe(0);
    expect(filesRun(result)).toEqual([`stable ${CART}`, 'stable __tests__/profile.test.js']);
    expect(outcomes(result.json, dir)).toEqual([
      `${CART} > cart > adds an item: passed ×1`,
      `${CART} > cart > applies a coupon: pending`,
      `${CART} > checkout > applies a coupon: passed ×1`,
      '__tests__/profile.test.js > runs in the custom environment when one is configured: passed ×1',
      '__tests__/profile.test.js > shows the name: passed ×1',
    ]);
    expect(quarantineBlock(result)).toEqual([`skipped (quarantined): ${CART} > cart > applies a coupon — coupon service races (owner ana, until 2099-01-01)`]);
  });

  test('run from a subfolder, Jest finds the config above it and the quarantine still applies', async () => {
    const sub = path.join(dir, '__tests__');
    fs.rmSync(path.join(dir, '.attempts'), { recursive: true, force: true });
    const result = await runJestJson(sub, ['--selectProjects', 'stable']);
    expect(result.status).toBe(0);
    // Jest prints paths relative to the current directory; search.test.js, quarantined whole, is left out.
    expect(filesRun(result)).toEqual(['stable ./cart.test.js', 'stable ./profile.test.js']);
    expect(outcomes(result.json, dir)).toContain(`${CART} > cart > applies a coupon: pending`);
    expect(quarantineBlock(result)).toEqual([`skipped (quarantined): ${CART} > cart > applies a coupon — coupon service races (owner ana, until 2099-01-01)`]);
    // The command line finds the same root from there.
    const list = await runFlakeguard(sub, ['quarantine', 'list']);
    expect(list.status).toBe(0);
    expect(list.stdout.trim().split('\n').pop()).toBe('2 entries; 1 @flaky file');
  });

  test('--selectProjects flaky runs exactly the quarantine, with retries, and passes', async () => {
    const result = await run(['--selectProjects', 'flaky']);
    expect(result.status).toBe(0);
    expect(filesRun(result)).toEqual([`flaky ${CART}`, 'flaky __tests__/legacy.test.js', 'flaky __tests__/search.test.js']);
    expect(outcomes(result.json, dir)).toEqual([
      `${CART} > cart > adds an item: pending`,
      `${CART} > cart > applies a coupon: passed ×2`,
      `${CART} > checkout > applies a coupon: pending`,
      '__tests__/legacy.test.js > talks to the legacy service: passed ×2',
      '__tests__/search.test.js > finds by name: passed ×1',
    ]);
  });

  test('plain jest runs both projects; without retries the quarantine fails', async () => {
    const both = await run([]);
    expect(both.status).toBe(0);
    expect(filesRun(both)).toEqual([
      `flaky ${CART}`,
      'flaky __tests__/legacy.test.js',
      'flaky __tests__/search.test.js',
      `stable ${CART}`,
      'stable __tests__/profile.test.js',
    ]);
    expect(both.json.numPassedTests).toBe(7);

    const noRetries = await run(['--selectProjects', 'flaky'], { FG_OPTIONS: JSON.stringify({ retries: 0 }) });
    expect(noRetries.status).toBe(1);
    expect(outcomes(noRetries.json, dir).filter((line) => line.includes('failed'))).toEqual([
      `${CART} > cart > applies a coupon: failed`,
      '__tests__/legacy.test.js > talks to the legacy service: failed',
    ]);
  });

  test('an expired entry fails the run with one line naming the entry and its owner', async () => {
    writeQuarantine({ ...QUARANTINE, entries: [{ ...QUARANTINE.entries[0], expires: '2020-01-01' }, QUARANTINE.entries[1]] });
    const result = await run(['--selectProjects', 'stable']);
    expect(result.status).toBe(1);
    expect(result.json.numFailedTests).toBe(0);
    expect(quarantineBlock(result)).toContain(
      `✕ quarantine of "${CART} > cart > applies a coupon" (owner: ana) expired after 2020-01-01: ` +
        'fix the test and run `flakeguard quarantine remove`, or extend it with `flakeguard quarantine add … --expires`',
    );
  });

  test('entries naming a file or a test that no longer exists are reported; the run passes', async () => {
    writeQuarantine({
      ...QUARANTINE,
      entries: [
        ...QUARANTINE.entries,
        { file: '__tests__/gone.test.js', reason: 'r', added: '2026-11-01' },
        { file: CART, titles: ['cart', 'renamed away'], reason: 'r', added: '2026-11-01' },
      ],
    });
    const result = await run(['--selectProjects', 'stable']);
    expect(result.status).toBe(0);
    expect(quarantineBlock(result).filter((line) => line.startsWith('!'))).toEqual([
      '! quarantine entry names a test that is gone: file __tests__/gone.test.js does not exist; remove it with `flakeguard quarantine prune`',
      `! quarantine entry names a test that is gone: no test "${CART} > cart > renamed away"; remove it with \`flakeguard quarantine prune\``,
    ]);
  });

  test('a file that fails to load does not make its test-level entries look gone', async () => {
    fs.writeFileSync(path.join(dir, '__tests__', 'broken.test.js'), "throw new Error('cannot load');\ntest('slow', () => {});\n");
    writeQuarantine({ ...QUARANTINE, entries: [...QUARANTINE.entries, { file: '__tests__/broken.test.js', titles: ['slow'], reason: 'r', added: '2026-11-01' }] });
    const result = await run(['--selectProjects', 'stable']);
    expect(result.status).toBe(1);
    expect(result.json.numRuntimeErrorTestSuites).toBe(1);
    expect(quarantineBlock(result).filter((line) => line.startsWith('!'))).toEqual([]);
  });

  test('a malformed quarantine.json is a one-line error', async () => {
    writeQuarantine('{"schemaVersion": 1, "entries": [{"file": "a.test.js"}]}');
    const result = await runJest(dir, []);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `jest-flakeguard: ${path.join(dir, '.flakeguard', 'quarantine.json')}: entries[0].reason must be a non-empty string (fix or remove the file)`,
    );
  });

  test('stable retries report a flaky test; failOnFlaky makes it fail the run', async () => {
    const env = { FAIL_ONCE: '1' };
    const retried = await run(['--selectProjects', 'stable'], { ...env, FG_OPTIONS: JSON.stringify({ stableRetries: 1 }) });
    expect(retried.status).toBe(0);
    expect(outcomes(retried.json, dir)).toContain(`${CART} > checkout > applies a coupon: passed ×2`);

    const strict = await run(['--selectProjects', 'stable'], { ...env, FG_OPTIONS: JSON.stringify({ stableRetries: 1, failOnFlaky: true }) });
    expect(strict.status).toBe(1);
    expect(strict.json.numFailedTests).toBe(0);
    expect(quarantineBlock(strict)).toContain(`✕ failOnFlaky: ${CART} > checkout > applies a coupon passed only on attempt 2`);

    const none = await run(['--selectProjects', 'stable'], env);
    expect(none.status).toBe(1);
    expect(outcomes(none.json, dir)).toContain(`${CART} > checkout > applies a coupon: failed`);
  });

  test("the user's own environment class gets flakeguard's behaviour, the quarantine included", async () => {
    const result = await run(['--selectProjects', 'stable'], { FG_ENV: '<rootDir>/customEnvironment.js' });
    expect(result.status).toBe(0);
    expect(outcomes(result.json, dir)).toContain('__tests__/profile.test.js > runs in the custom environment when one is configured: passed ×1');
    expect(outcomes(result.json, dir)).toContain(`${CART} > cart > applies a coupon: pending`);
  });

  test('nothing quarantined: --selectProjects flaky passes with no tests, stable runs everything', async () => {
    writeQuarantine({ schemaVersion: 1, entries: [] });
    fs.rmSync(path.join(dir, '__tests__', 'legacy.test.js'));
    const flaky = await run(['--selectProjects', 'flaky']);
    expect(flaky.status).toBe(0);
    expect(flaky.json.numTotalTestSuites).toBe(0);
    const stable = await run(['--selectProjects', 'stable']);
    expect(filesRun(stable)).toEqual([`stable ${CART}`, 'stable __tests__/profile.test.js', 'stable __tests__/search.test.js']);
  });
});

describe('withFlakeguard keeps a jsdom + ts-jest config intact', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyFixture('quarantine-jsdom-ts');
    fs.mkdirSync(path.join(dir, '.flakeguard'));
    fs.writeFileSync(
      path.join(dir, '.flakeguard', 'quarantine.json'),
      JSON.stringify({ schemaVersion: 1, entries: [{ file: 'src/greeting.test.ts', titles: ['greeting', 'renders late'], reason: 'timing', added: '2026-11-01' }] }),
    );
  });
  afterAll(() => removeFixture(dir));

  test('stable: jsdom, ts-jest, moduleNameMapper and the user setup file all work; the quarantined test is skipped', async () => {
    const result = await runJestJson(dir, ['--selectProjects', 'stable']);
    expect(result.stderr).not.toContain('Validation Warning');
    expect(result.status).toBe(0);
    expect(outcomes(result.json, dir)).toEqual([
      'src/greeting.test.ts > greeting > renders into the document: passed ×1',
      'src/greeting.test.ts > greeting > renders late: pending',
    ]);
  });

  test('flaky: the quarantined TypeScript test runs alone, with retries', async () => {
    const result = await runJestJson(dir, ['--selectProjects', 'flaky']);
    expect(result.status).toBe(0);
    expect(outcomes(result.json, dir)).toEqual([
      'src/greeting.test.ts > greeting > renders into the document: pending',
      'src/greeting.test.ts > greeting > renders late: passed ×2',
    ]);
  });
});
