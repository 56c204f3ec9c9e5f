import * as path from 'path';
import { recordInvocation, replayInvocation, runRootDir, validateInvocation, type Invocation } from './invocation';

const root = path.resolve('/repo');
const record = (args: string[], extra: Partial<Parameters<typeof recordInvocation>[0]> = {}) =>
  recordInvocation({
    argv: ['node', '/repo/node_modules/jest/bin/jest.js', ...args],
    execArgv: [],
    nodeOptions: undefined,
    cwd: root,
    rootDir: root,
    outputDir: path.join(root, '.flakeguard'),
    ...extra,
  });

describe('recordInvocation', () => {
  test('the config file, relative to rootDir, and the options that select or shape tests, by their long names', () => {
    const invocation = record([
      '--config',
      'scripts/jest.config.js',
      '--testTimeout=9000',
      '--testPathIgnorePatterns',
      '/node_modules/',
      'fixtures/',
      '-i',
      '--env',
      'node',
      'src/',
      '-t',
      'adds',
      '--shard=1/2',
    ]);
    expect(invocation).toEqual({
      cwd: '.',
      outputDir: '.flakeguard',
      config: 'scripts/jest.config.js',
      options: { testTimeout: 9000, testPathIgnorePatterns: ['/node_modules/', 'fixtures/'], runInBand: true, testEnvironment: 'node' },
      nodeFlags: [],
    });
  });

  test('an array takes the words up to the next option, as yargs does; kebab-case and --no- booleans', () => {
    expect(record(['--test-match', 'a/**', 'b/**', '--ci'])?.options).toEqual({ testMatch: ['a/**', 'b/**'], ci: true });
    expect(record(['--no-ci', '--roots=src', '--roots', 'lib'])?.options).toEqual({ ci: false, roots: ['src', 'lib'] });
  });

  test('cwd and config relative to rootDir; inline JSON is no config file', () => {
    const sub = path.join(root, 'sub');
    expect(record(['-c', 'sub/jest.config.js'], { rootDir: sub, outputDir: path.join(sub, '.flakeguard') })).toMatchObject({ cwd: '..', config: 'jest.config.js' });
    expect(record(['--config', '{"testMatch":["x"]}'])?.config).toBeNull();
  });

  test('node flags from execArgv and NODE_OPTIONS, only those a rerun may repeat', () => {
    const invocation = record([], {
      execArgv: ['--experimental-vm-modules', '--require', './evil.js', '--inspect'],
      nodeOptions: '--max-old-space-size=4096 --import=tsx --no-warnings',
    });
    expect(invocation?.nodeFlags).toEqual(['--experimental-vm-modules', '--max-old-space-size=4096', '--no-warnings']);
  });

  test("not Jest's command line (runCLI from a script): nothing recorded", () => {
    expect(
      recordInvocation({ argv: ['node', '/repo/scripts/test.js', '--config', 'x'], execArgv: [], nodeOptions: undefined, cwd: root, rootDir: root, outputDir: root }),
    ).toBeNull();
  });
});

describe('validateInvocation: data is data', () => {
  const valid: Invocation = { cwd: '.', outputDir: '.flakeguard', config: 'jest.config.js', options: { testTimeout: 100 }, nodeFlags: ['--experimental-vm-modules'] };

  test('a valid one reads back; unknown option names and node flags are dropped', () => {
    expect(
      validateInvocation({ ...valid, options: { ...valid.options, watch: true, reporters: ['x'] }, nodeFlags: ['--experimental-vm-modules', '--require=./x.js'] }),
    ).toEqual(valid);
  });

  test.each([
    [{ ...valid, cwd: '/etc' }, 'invocation.cwd must be a relative path'],
    [{ ...valid, config: 'a\0b' }, 'invocation.config must be a relative path'],
    [{ ...valid, options: { testTimeout: '100' } }, 'invocation.options.testTimeout must be a number'],
    [{ ...valid, options: { testMatch: [1] } }, 'invocation.options.testMatch[0] must be a string'],
    [{ ...valid, options: { maxWorkers: '--inspect' } }, 'maxWorkers must be a count or a percentage'],
    [{ ...valid, nodeFlags: 'x' }, 'invocation.nodeFlags must be an array of strings'],
  ])('refused: %j', (data, message) => {
    expect(() => validateInvocation(data)).toThrow(message);
  });
});

describe('replayInvocation', () => {
  const invocation: Invocation = {
    cwd: '..',
    outputDir: '.flakeguard',
    config: 'jest.config.js',
    options: { testMatch: ['-x/**', 'b'], runInBand: true, ci: false, testTimeout: 5 },
    nodeFlags: ['--experimental-vm-modules'],
  };
  const sub = path.join(root, 'sub');

  test("our option names, the manifest's values after =: never a word of its own", () => {
    expect(replayInvocation(invocation, sub, [], () => true)).toEqual({
      cwd: root,
      jestArgs: [`--config=${path.join(sub, 'jest.config.js')}`, '--testTimeout=5', '--testMatch=-x/**', '--testMatch=b', '--runInBand', '--no-ci'],
      nodeFlags: ['--experimental-vm-modules'],
    });
  });

  test('what the user gives stands: their --config, their options (any spelling)', () => {
    expect(replayInvocation(invocation, sub, ['-c', 'other.js', '--test-timeout', '1', '-i', '--ci'], () => true).jestArgs).toEqual(['--testMatch=-x/**', '--testMatch=b']);
  });

  test("rootDir unknown: no directory, no config; a directory that is gone: the rerun's own", () => {
    expect(replayInvocation(invocation, null, [], () => true)).toMatchObject({
      cwd: null,
      jestArgs: ['--testTimeout=5', '--testMatch=-x/**', '--testMatch=b', '--runInBand', '--no-ci'],
    });
    expect(replayInvocation(invocation, sub, [], () => false).cwd).toBeNull();
  });
});

describe('runRootDir', () => {
  const invocation: Invocation = { cwd: '.', outputDir: 'out/flake', config: null, options: {}, nodeFlags: [] };
  test("the manifest's folder less the recorded outputDir", () => {
    expect(runRootDir(path.join(root, 'out', 'flake', 'last-run.json'), invocation)).toBe(root);
  });
  test('a manifest elsewhere, or an outputDir outside rootDir: unknown', () => {
    expect(runRootDir(path.join(root, 'shards', 'last-run.json'), invocation)).toBeNull();
    expect(runRootDir(path.join(root, 'x', 'last-run.json'), { ...invocation, outputDir: '../x' })).toBeNull();
  });
});
