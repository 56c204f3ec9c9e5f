import * as fs from 'fs';
import * as path from 'path';
import { type RunOutcomes } from '../core/history';
import { recordRun } from '../io/historyFile';
import { copyFixture, removeFixture, runFlakeguard } from './harness';

const CHECKOUT = '__tests__/checkout.test.js';
const dayAfter = (day: string, days: number): string => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

describe('flakeguard quarantine', () => {
  let dir: string;
  let file: string;
  const read = () => JSON.parse(fs.readFileSync(file, 'utf8'));

  beforeEach(() => {
    dir = copyFixture('quarantine-basic');
    file = path.join(dir, '.flakeguard', 'quarantine.json');
  });
  afterEach(() => removeFixture(dir));

  test('add a test and a whole file, list them, remove one', async () => {
    const added = await runFlakeguard(dir, [
      'quarantine',
      'add',
      CHECKOUT,
      '--test',
      'checkout > applies a coupon',
      '--reason',
      'races the cart service',
      '--owner',
      'ana',
      '--expires',
      '30d',
    ]);
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    const [entry] = read().entries;
    expect(entry).toEqual({
      file: CHECKOUT,
      titles: ['checkout', 'applies a coupon'],
      reason: 'races the cart service',
      owner: 'ana',
      added: entry.added,
      expires: dayAfter(entry.added, 30),
    });
    expect(added.stdout).toBe(
      `quarantined ${CHECKOUT} > checkout > applies a coupon until ${entry.expires} (owner ana): it runs in the flaky project only (jest --selectProjects flaky)\n`,
    );

    const whole = await runFlakeguard(dir, ['quarantine', 'add', './__tests__/search.test.js', '--reason', 'https://example.test/issues/9', '--expires', '2099-01-01']);
    expect(whole.status).toBe(0);
    expect(read().entries.map((e: { file: string; expires: string }) => [e.file, e.expires])).toEqual([
      [CHECKOUT, entry.expires],
      ['__tests__/search.test.js', '2099-01-01'],
    ]);

    const list = await runFlakeguard(dir, ['quarantine', 'list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain(
      `- ${CHECKOUT} > checkout > applies a coupon\n    reason: races the cart service — owner ana, added ${entry.added}, expires ${entry.expires}\n`,
    );
    expect(list.stdout).toContain('- __tests__/search.test.js\n    reason: https://example.test/issues/9 — no owner');
    expect(list.stdout).toContain('- [@flaky] __tests__/legacy.test.js\n    reason: https://example.test/issues/3 — remove the pragma to release it\n');
    expect(list.stdout.trim().split('\n').pop()).toBe('2 entries; 1 @flaky file');

    const removed = await runFlakeguard(dir, ['quarantine', 'remove', CHECKOUT, '--test', 'checkout > applies a coupon']);
    expect(removed.status).toBe(0);
    expect(read().entries.map((e: { file: string }) => e.file)).toEqual(['__tests__/search.test.js']);

    const again = await runFlakeguard(dir, ['quarantine', 'remove', CHECKOUT, '--test', 'checkout > applies a coupon']);
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(`flakeguard quarantine: ${file}: no quarantine entry for ${CHECKOUT} > checkout > applies a coupon (see flakeguard quarantine list)\n`);
  });

  test('from a subfolder: the quarantine of the root, files named from there or from the root', async () => {
    const sub = path.join(dir, '__tests__');
    const here = await runFlakeguard(sub, ['quarantine', 'add', 'checkout.test.js', '--reason', 'r', '--expires', 'never']);
    expect(here.status).toBe(0);
    const fromRoot = await runFlakeguard(sub, ['quarantine', 'add', '__tests__/search.test.js', '--reason', 'r', '--expires', 'never']);
    expect(fromRoot.status).toBe(0);
    expect(read().entries.map((e: { file: string }) => e.file)).toEqual([CHECKOUT, '__tests__/search.test.js']);
    expect(fs.existsSync(path.join(sub, '.flakeguard'))).toBe(false);
  });

  test.each([
    [['add', CHECKOUT, '--test', 'checkout > adds an item'], 'flakeguard quarantine: --reason is required: say why the test is quarantined (or link the issue)'],
    [['add', '__tests__/gone.test.js', '--reason', 'r'], `flakeguard quarantine: no test file __tests__/gone.test.js under `],
    [['add', CHECKOUT, '--reason', 'r', '--expires', '2020-01-01'], 'flakeguard quarantine: --expires 2020-01-01: 2020-01-01 is already past'],
    [['add', CHECKOUT, '--reason', 'r', '--expires', 'soon'], 'flakeguard quarantine: --expires soon: use a duration (30d, 2w, 1m) or a date YYYY-MM-DD'],
    [
      ['add', CHECKOUT, '--reason', 'r', '--expires', '99999999d'],
      'flakeguard quarantine: --expires 99999999d: too far in the future (the last date is 9999-12-31; --expires never for no expiry)',
    ],
    [['add', CHECKOUT, '--reason', 'r', '--frobnicate'], 'flakeguard quarantine: unknown option --frobnicate (see flakeguard quarantine add --help)'],
  ])('bad input is one line and exit 2: %j', async (args, message) => {
    const result = await runFlakeguard(dir, ['quarantine', ...args]);
    expect(result.status).toBe(2);
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(file)).toBe(false);
  });

  test('add warns when the history knows the file and not the test (a typo would quarantine nothing)', async () => {
    recordRun(path.join(dir, '.flakeguard', 'history'), {
      runId: 'r1',
      startedAt: '2026-11-01T00:00:00Z',
      tests: [{ project: 'stable', file: CHECKOUT, titles: ['checkout', 'adds an item'], outcome: 'passed' }],
    });
    const typo = await runFlakeguard(dir, ['quarantine', 'add', CHECKOUT, '--test', 'checkout > adds an itme', '--reason', 'r']);
    expect(typo.status).toBe(0);
    expect(typo.stderr).toBe(`flakeguard quarantine: warning: the last run of ${CHECKOUT} had no test "checkout > adds an itme" (titles are matched exactly)\n`);
    const right = await runFlakeguard(dir, ['quarantine', 'add', CHECKOUT, '--test', 'checkout > adds an item', '--reason', 'r']);
    expect(right.stderr).toBe('');
  });

  test('list marks expired entries and entries whose file is gone', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const entries = [
      { file: CHECKOUT, titles: ['checkout', 'adds an item'], reason: 'slow CI', owner: 'bo', added: '2020-01-01', expires: '2020-02-01' },
      { file: '__tests__/deleted.test.js', reason: 'gone', added: '2020-01-01' },
    ];
    fs.writeFileSync(file, JSON.stringify({ schemaVersion: 1, entries }));
    const list = await runFlakeguard(dir, ['quarantine', 'list']);
    expect(list.stdout).toContain(`- [EXPIRED] ${CHECKOUT} > checkout > adds an item\n`);
    expect(list.stdout).toContain('- [FILE MISSING] __tests__/deleted.test.js\n');
    expect(list.stdout.trim().split('\n').pop()).toBe('2 entries, 1 expired, 1 naming a missing file; 1 @flaky file');
    const json = JSON.parse((await runFlakeguard(dir, ['quarantine', 'list', '--json'])).stdout);
    expect(json.entries.map((e: { expired: boolean; dangling: string | null }) => [e.expired, e.dangling])).toEqual([
      [true, null],
      [false, 'file-missing'],
    ]);
    expect(json.pragmaFiles).toEqual([{ file: '__tests__/legacy.test.js', reason: 'https://example.test/issues/3' }]);
  });

  test('a malformed quarantine.json is one line naming the file and the problem, exit 2', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ schemaVersion: 1, entries: [{ file: CHECKOUT, added: '2026-01-01' }] }));
    const result = await runFlakeguard(dir, ['quarantine', 'list']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`flakeguard quarantine: ${file}: entries[0].reason must be a non-empty string (fix or remove the file)\n`);
  });

  test('prune drops entries for tests gone or healed per history, and keeps the rest', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const entry = (over: object) => ({ reason: 'flaky', added: '2026-01-01', ...over });
    fs.writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        entries: [
          entry({ file: CHECKOUT, titles: ['checkout', 'adds an item'] }), // green first try in the last 3 runs: healed
          entry({ file: CHECKOUT, titles: ['checkout', 'renamed away'] }), // not in the newest run of the file: gone
          entry({ file: '__tests__/deleted.test.js' }), // file gone
          entry({ file: '__tests__/search.test.js' }), // flaky in the newest run: kept
          // green in all four runs, but only two of them came after the day it was added: kept
          entry({ file: CHECKOUT, titles: ['checkout', 'applies a coupon'], added: '2026-11-02' }),
        ],
      }),
    );
    const historyDir = path.join(dir, '.flakeguard', 'history');
    const run = (id: string, search: 'passed' | 'flaky'): RunOutcomes => ({
      runId: id,
      startedAt: `2026-11-0${id}T00:00:00Z`,
      tests: [
        { project: 'flaky', file: CHECKOUT, titles: ['checkout', 'adds an item'], outcome: 'passed' },
        { project: 'stable', file: CHECKOUT, titles: ['checkout', 'applies a coupon'], outcome: 'passed' },
        { project: 'flaky', file: '__tests__/search.test.js', titles: ['finds by name'], outcome: search },
      ],
    });
    recordRun(historyDir, {
      ...run('1', 'passed'),
      tests: [...run('1', 'passed').tests, { project: 'flaky', file: CHECKOUT, titles: ['checkout', 'renamed away'], outcome: 'failed' }],
    });
    for (const id of ['2', '3', '4']) recordRun(historyDir, run(id, id === '4' ? 'flaky' : 'passed'));

    const dry = await runFlakeguard(dir, ['quarantine', 'prune', '--release-after', '3', '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stdout.split('\n').filter(Boolean).sort()).toEqual([
      `would drop ${CHECKOUT} > checkout > adds an item — healed: passed on the first try in each of its last 3+ runs since it was added`,
      `would drop ${CHECKOUT} > checkout > renamed away — no test "${CHECKOUT} > checkout > renamed away"`,
      'would drop __tests__/deleted.test.js — file __tests__/deleted.test.js does not exist',
    ]);
    expect(read().entries).toHaveLength(5);

    const pruned = await runFlakeguard(dir, ['quarantine', 'prune', '--release-after', '3']);
    expect(pruned.status).toBe(0);
    expect(read().entries.map((e: { file: string; titles?: string[] }) => [e.file, ...(e.titles ?? [])].join(' > '))).toEqual([
      `${CHECKOUT} > checkout > applies a coupon`,
      '__tests__/search.test.js',
    ]);
    expect((await runFlakeguard(dir, ['quarantine', 'prune', '--release-after', '3'])).stdout).toBe('nothing to prune: 2 entries still needed\n');
  });
});
