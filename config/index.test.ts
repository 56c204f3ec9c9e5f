import * as path from 'path';
import type { Config } from 'jest';

describe('findFlakyPragmaFiles with the project test-file rule', () => {
  const fsMod = require('fs') as typeof import('fs');
  const os = require('os') as typeof import('os');
  let dir: string;
  beforeAll(() => {
    dir = fsMod.realpathSync(fsMod.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-scan-')));
    const write = (file: string, text: string) => {
      fsMod.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fsMod.writeFileSync(path.join(dir, file), text);
    };
    write('__tests__/a.test.js', '/** @flaky one */\ntest("a", () => {});\n');
    write('src/b.spec.ts', '/** @flaky two */\n');
    write('src/helper.js', '/** @flaky not a test */\n');
    write('ignored/c.test.js', '/** @flaky ignored */\n');
  });
  afterAll(() => fsMod.rmSync(dir, { recursive: true, force: true }));

  test("Jest's default testMatch minus testPathIgnorePatterns; testRegex instead when given", () => {
    const { findFlakyPragmaFiles, testFileMatcher } = require('./index') as typeof import('./index');
    const scan = (config: Config) => [...findFlakyPragmaFiles(dir, [{ roots: [dir], isTest: testFileMatcher(config, dir) }], undefined).keys()].sort();
    expect(scan({ testPathIgnorePatterns: ['/node_modules/', '<rootDir>/ignored/'] })).toEqual(['__tests__/a.test.js', 'src/b.spec.ts']);
    expect(scan({ testMatch: ['**/src/**/*.ts'] })).toEqual(['src/b.spec.ts']);
    expect(scan({ testRegex: 'c\\.test\\.js$' })).toEqual(['ignored/c.test.js']);
    // Without a rule (flakeguard quarantine list): every source file, as before.
    expect([...findFlakyPragmaFiles(dir, [dir], undefined).keys()].sort()).toEqual(['__tests__/a.test.js', 'ignored/c.test.js', 'src/b.spec.ts', 'src/helper.js']);
  });
});

describe('the quarantine sequencer', () => {
  test('keepsFile: exclude keeps the unlisted, only keeps the listed, no selection keeps everything', () => {
    const { keepsFile } = require('./quarantineSequencer') as typeof import('./quarantineSequencer');
    expect(keepsFile({ mode: 'exclude', files: ['/a'] }, '/a')).toBe(false);
    expect(keepsFile({ mode: 'exclude', files: ['/a'] }, '/b')).toBe(true);
    expect(keepsFile({ mode: 'only', files: ['/a'] }, '/a')).toBe(true);
    expect(keepsFile({ mode: 'only', files: [] }, '/b')).toBe(false);
    expect(keepsFile(undefined, '/b')).toBe(true);
  });
});
