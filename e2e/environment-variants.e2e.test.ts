import * as path from 'path';
import { copyFixture, removeFixture, REPO, runJestJson } from './harness';
import { readFindings } from './environmentFindings';

const describeFindings = (dir: string): string[] =>
  readFindings(dir)
    .map((f) => `${f.check} | ${f.titles.join(' › ')} | ${f.message} @ ${f.at}`)
    .sort();

describe('ts-jest: locations are the .ts lines, through source maps', () => {
  test('each leak points at the TypeScript line that made it', async () => {
    const dir = copyFixture('env-ts');
    try {
      const run = await runJestJson(dir, ['--ci']);
      expect(run.status).toBe(0);
      expect(describeFindings(dir)).toEqual([
        'pending-timer | typed leaks › timer | setTimeout (500 ms) still pending at the end of the test @ __tests__/typed.test.ts:26:5',
        'unrestored-spy | typed leaks › spy | spy on api.fetchUser was not restored @ __tests__/typed.test.ts:17:10',
        'unused-mock-once | typed leaks › once | mockResolvedValueOnce queued on load never consumed @ __tests__/typed.test.ts:21:10',
      ]);
    } finally {
      removeFixture(dir);
    }
  });
});

describe('babel-jest: locations are the source lines, through source maps', () => {
  test('the fixture’s plugin moves every line of the compiled code, and each leak still points at its source line', async () => {
    const dir = copyFixture('env-babel');
    try {
      // The proof needs the compiled lines to differ: @babel/core is the one babel-jest (a Jest dependency) uses.
      const babelJest = path.dirname(require.resolve('babel-jest/package.json', { paths: [REPO] }));
      const babel = require(require.resolve('@babel/core', { paths: [babelJest] })) as typeof import('@babel/core');
      const compiled = babel.transformFileSync(path.join(dir, '__tests__', 'shifted.test.js'), { cwd: dir })?.code?.split('\n') ?? [];
      expect(compiled.findIndex((text) => text.includes("jest.spyOn(api, 'fetchUser').mockResolvedValue")) + 1).toBeGreaterThanOrEqual(15);

      const run = await runJestJson(dir, ['--ci']);
      expect(run.status).toBe(0);
      expect(describeFindings(dir)).toEqual([
        'leaked-env | babel leaks › env | process.env.BABEL_SHIFTED set and not restored @ __tests__/shifted.test.js:19:30',
        'pending-timer | babel leaks › timer | setTimeout (500 ms) still pending at the end of the test @ __tests__/shifted.test.js:15:5',
        'unrestored-spy | babel leaks › spy | spy on api.fetchUser was not restored @ __tests__/shifted.test.js:7:10',
        'unused-mock-once | babel leaks › once | mockResolvedValueOnce queued on load never consumed @ __tests__/shifted.test.js:11:10',
      ]);
    } finally {
      removeFixture(dir);
    }
  });
});

describe('jest-flakeguard/environment/jsdom', () => {
  test('the same checks and isolation on a jsdom window; DOM work is clean', async () => {
    const dir = copyFixture('env-jsdom');
    try {
      const run = await runJestJson(dir, ['--ci']);
      expect(run.status).toBe(0);
      expect(run.json.numPassedTests).toBe(7);
      expect(describeFindings(dir)).toEqual([
        'leaked-global | leaks › window property added | global analytics added and not removed @ __tests__/dom.test.js:3:5',
        'pending-timer | leaks › interval left running | setInterval (1000 ms) still pending at the end of the test @ __tests__/dom.test.js:9:5',
        'unrestored-spy | leaks › spy on a DOM method | spy on document.querySelector was not restored @ __tests__/dom.test.js:6:10',
      ]);
    } finally {
      removeFixture(dir);
    }
  });
});

describe('withFlakeguardEnvironment on a user’s own environment class', () => {
  test('keeps the base behaviour, adds the checks and isolation', async () => {
    const dir = copyFixture('env-custom');
    try {
      const run = await runJestJson(dir, ['--ci']);
      expect(run.status).toBe(0);
      expect(run.json.numPassedTests).toBe(3);
      expect(describeFindings(dir)).toEqual(['leaked-env | and flakeguard reports leaks | process.env.FROM_CUSTOM set and not restored @ __tests__/custom.test.js:7:27']);
    } finally {
      removeFixture(dir);
    }
  });
});
