import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FlakeguardError } from './errors';
import { emptyCounts, mergeManifests, serializeManifest, validateManifest, worstStatus, type Manifest } from './manifest';
import { readManifest, writeManifest } from '../io/manifestFile';

function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    schemaVersion: 1,
    tool: 'jest-flakeguard',
    status: 'passed',
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: '2026-01-01T10:01:00.000Z',
    jestVersion: '30.5.2',
    shard: null,
    seed: 7,
    counts: emptyCounts(),
    failed: [],
    flaky: [],
    fileErrors: [],
    notRun: [],
    findings: [],
    ...overrides,
  };
}

const failedTest = (file: string, titles: string[]) => ({ project: null, file, titles, attempts: 3, message: 'Error: boom' });

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-test-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function errorOf(action: () => unknown): FlakeguardError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(FlakeguardError);
    return error as FlakeguardError;
  }
  throw new Error('expected a FlakeguardError');
}

describe('validateManifest', () => {
  test('accepts a full manifest and returns only the known fields', () => {
    const full = manifest({
      status: 'failed',
      shard: '1/3',
      counts: { passed: 1, failed: 1, flaky: 1, skipped: 0, todo: 2, fileErrors: 1, notRun: 1 },
      failed: [failedTest('a.test.ts', ['s', 't'])],
      flaky: [{ ...failedTest('a.test.ts', ['u']), attempts: 2 }],
      fileErrors: [{ project: 'p', file: 'b.test.ts', message: 'SyntaxError' }],
      notRun: [{ project: null, file: 'c.test.ts' }],
      findings: [{ check: 'unrestored-spy', project: null, file: 'a.test.ts', titles: ['s', 't'], message: 'spy on x.y', at: 'a.test.ts:3:5' }],
    });
    expect(validateManifest(JSON.parse(JSON.stringify({ ...full, extra: true })), 'm.json')).toEqual(full);
  });

  test.each([
    ['an array', [], 'not a jest-flakeguard manifest (the JSON is not an object)'],
    ['another tool', { tool: 'jest-junit', schemaVersion: 1 }, 'not a jest-flakeguard manifest (its tool is "jest-junit")'],
    ['no tool', { schemaVersion: 1 }, 'not a jest-flakeguard manifest (it has no "tool": "jest-flakeguard")'],
    ['a newer schema', { tool: 'jest-flakeguard', schemaVersion: 2 }, 'schemaVersion 2 is not supported'],
    ['a bad status', { ...manifest(), status: 'ok' }, 'invalid manifest: status must be'],
    ['a negative count', { ...manifest(), counts: { ...emptyCounts(), failed: -1 } }, 'invalid manifest: counts.failed must be a whole number ≥ 0'],
    [
      'titles as a string',
      { ...manifest(), failed: [{ ...failedTest('a', ['x']), titles: 'a b c' }] },
      'invalid manifest: failed[0].titles must be a non-empty array of strings',
    ],
    ['a missing list', { ...manifest(), notRun: undefined }, 'invalid manifest: notRun must be an array'],
    [
      'a bad finding',
      { ...manifest(), findings: [{ check: 'x', project: null, file: 'a', titles: ['t'], message: 'm' }] },
      'invalid manifest: findings[0].at must be a string or null',
    ],
  ])('rejects %s, naming the file', (_name, data, message) => {
    const error = errorOf(() => validateManifest(data, '/p/last-run.json'));
    expect(error.code).toBe('BAD_MANIFEST');
    expect(error.file).toBe('/p/last-run.json');
    expect(error.message.startsWith(`/p/last-run.json: ${message}`)).toBe(true);
    expect(error.message).not.toContain('\n');
  });
});

describe('readManifest / writeManifest', () => {
  test('round trip through an atomic write, creating the directory', () => {
    const file = path.join(dir, 'out', '.flakeguard', 'last-run.json');
    const value = manifest({ failed: [failedTest('a.test.ts', ['a b', 'c'])], counts: { ...emptyCounts(), failed: 1 }, status: 'failed' });
    writeManifest(file, value);
    expect(readManifest(file)).toEqual(value);
    expect(fs.readFileSync(file, 'utf8')).toBe(serializeManifest(value));
    expect(fs.readdirSync(path.dirname(file))).toEqual(['last-run.json']); // no temp file left behind
  });

  test('a missing file is NOT_FOUND with what to do', () => {
    const error = errorOf(() => readManifest(path.join(dir, 'nope.json')));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/nope\.json: no manifest here; run Jest with the jest-flakeguard reporter first$/);
  });

  test('corrupt JSON names the file and the parse problem on one line', () => {
    const file = path.join(dir, 'torn.json');
    fs.writeFileSync(file, '{"schemaVersion": 1, "tool": ');
    const error = errorOf(() => readManifest(file));
    expect(error.code).toBe('BAD_MANIFEST');
    expect(error.message).toMatch(/torn\.json: not valid JSON \(.+\)$/);
  });

  test('a directory in place of the file is BAD_MANIFEST, not a crash', () => {
    expect(errorOf(() => readManifest(dir)).message).toMatch(/is a directory, not a file/);
  });

  test('writing under a regular file throws (the reporter turns it into a warning)', () => {
    fs.writeFileSync(path.join(dir, 'blocker'), '');
    expect(() => writeManifest(path.join(dir, 'blocker', 'last-run.json'), manifest())).toThrow(/ENOTDIR|EEXIST/);
  });
});

describe('mergeManifests', () => {
  const shard1 = manifest({
    status: 'failed',
    shard: '1/2',
    seed: 1,
    startedAt: '2026-01-01T10:00:05.000Z',
    finishedAt: '2026-01-01T10:01:00.000Z',
    counts: { passed: 5, failed: 1, flaky: 1, skipped: 1, todo: 0, fileErrors: 0, notRun: 1 },
    failed: [failedTest('a.test.ts', ['a b', 'c'])],
    flaky: [{ ...failedTest('a.test.ts', ['f']), attempts: 2 }],
    notRun: [{ project: null, file: 'z.test.ts' }],
  });
  const shard2 = manifest({
    status: 'passed',
    shard: '2/2',
    seed: 2,
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: '2026-01-01T10:02:00.000Z',
    counts: { passed: 3, failed: 1, flaky: 0, skipped: 0, todo: 2, fileErrors: 1, notRun: 0 },
    failed: [failedTest('b.test.ts', ['a', 'b c'])],
    fileErrors: [{ project: null, file: 'c.test.ts', message: 'boom' }],
  });

  test('adds counts, unites lists, takes the worst status and the widest time span, drops the shard', () => {
    const merged = mergeManifests([shard1, shard2]);
    expect(merged.counts).toEqual({ passed: 8, failed: 2, flaky: 1, skipped: 1, todo: 2, fileErrors: 1, notRun: 1 });
    expect(merged.failed.map((t) => t.titles)).toEqual([
      ['a b', 'c'],
      ['a', 'b c'],
    ]);
    expect(merged).toMatchObject({ status: 'failed', shard: null, seed: null, startedAt: shard2.startedAt, finishedAt: shard2.finishedAt });
    expect(validateManifest(JSON.parse(serializeManifest(merged)), 'merged.json')).toEqual(merged);
  });

  test('an entry in two inputs appears once, and its count follows the list', () => {
    const merged = mergeManifests([shard1, shard1]);
    expect(merged.failed).toHaveLength(1);
    expect(merged.counts.failed).toBe(1);
    expect(merged.seed).toBe(1);
  });

  test('interrupted beats failed beats passed', () => {
    expect(worstStatus('passed', 'failed')).toBe('failed');
    expect(worstStatus('interrupted', 'failed')).toBe('interrupted');
    expect(mergeManifests([shard2, manifest({ status: 'interrupted' })]).status).toBe('interrupted');
  });

  test('shards started alike keep their invocation; runs started differently have none', () => {
    const invocation = { cwd: '.', outputDir: '.flakeguard', config: 'ci/jest.config.js', options: { testTimeout: 9000 }, nodeFlags: [] };
    expect(mergeManifests([manifest({ invocation }), manifest({ invocation: { ...invocation } })]).invocation).toEqual(invocation);
    expect(mergeManifests([manifest({ invocation }), manifest({ invocation: { ...invocation, config: null } })]).invocation).toBeUndefined();
    expect(mergeManifests([manifest({ invocation }), manifest()]).invocation).toBeUndefined();
  });

  test('an invalid invocation is a bad manifest naming the field', () => {
    const data = JSON.parse(serializeManifest(manifest())) as Record<string, unknown>;
    data.invocation = { cwd: '/etc', outputDir: '.flakeguard', config: null, options: {}, nodeFlags: [] };
    expect(errorOf(() => validateManifest(data, 'm.json')).message).toContain('invocation.cwd must be a relative path');
  });

  test('nothing to merge is a usage error', () => {
    expect(errorOf(() => mergeManifests([])).code).toBe('USAGE');
  });

  test('many shards of many failed tests merge without loss (keys, not pairwise comparisons)', () => {
    const shards = Array.from({ length: 20 }, (_, s) => manifest({ failed: Array.from({ length: 1000 }, (_, t) => failedTest(`f${s}.test.ts`, [`t${t}`])) }));
    const merged = mergeManifests([...shards, shards[0]!]);
    expect(merged.failed).toHaveLength(20_000);
    expect(merged.counts.failed).toBe(20_000);
  });
});
