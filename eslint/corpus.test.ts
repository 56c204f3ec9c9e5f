// The plugin as a project configures it (eslint.config.js: the recommended config, a TypeScript parser) over three
// sets: the clean corpus (zero reports), the planted cases (each rule at its line and column), and the e2e
// fixtures, whose planted leaks the hygiene environment finds at run time and the rules must find before it.
import * as fs from 'fs';
import * as path from 'path';
import { ESLint, type Linter } from 'eslint';
import plugin from './index';

const REPO = path.resolve(__dirname, '..');
const FIXTURES = path.join(REPO, 'fixtures');

const eslint = new ESLint({
  cwd: REPO,
  overrideConfigFile: true,
  overrideConfig: [
    { ...plugin.configs.recommended } as Linter.Config,
    { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: require('@typescript-eslint/parser') as Linter.Parser } },
    { files: ['**/*.{js,jsx}'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
  ],
  ignore: false,
});

interface Report {
  file: string;
  line: number;
  column: number;
  rule: string;
}

async function lint(patterns: string[], base: string): Promise<Report[]> {
  const results = await eslint.lintFiles(patterns);
  return results.flatMap((result) =>
    result.messages.map((message) => ({
      file: path.relative(base, result.filePath).split(path.sep).join('/'),
      line: message.line,
      column: message.column,
      rule: message.ruleId?.replace('flakeguard/', '') ?? `fatal: ${message.message}`,
    })),
  );
}

const testFiles = (dir: string): string[] =>
  (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile() && /\.(test|spec)\.[cm]?[jt]sx?$/.test(entry.name) && !entry.parentPath.includes('node_modules'))
    .map((entry) => path.join(entry.parentPath, entry.name));

test('the clean corpus: zero reports, every file linted', async () => {
  const files = testFiles(path.join(FIXTURES, 'lint-clean'));
  expect(files.length).toBeGreaterThanOrEqual(30);
  const results = await eslint.lintFiles(files);
  expect(results).toHaveLength(files.length);
  expect(await lint(files, FIXTURES)).toEqual([]);
});

test('the planted cases: every rule, at its line and column', async () => {
  const reports = await lint(testFiles(path.join(FIXTURES, 'lint-planted')), path.join(FIXTURES, 'lint-planted', '__tests__'));
  expect(reports.map((r) => `${r.file}:${r.line}:${r.column} ${r.rule}`).sort()).toEqual([
    'db.test.ts:4:28 serial-marker',
    'floating.test.js:12:3 pending-mock-promise',
    'floating.test.js:7:3 pending-mock-promise',
    'misspelt.test.js:2:4 valid-pragma',
    'misspelt.test.js:3:22 valid-pragma',
    'once.test.ts:7:72 unused-mock-once',
    'port.test.js:6:42 serial-marker',
    'spy.test.js:10:5 unrestored-spy',
    'spy.test.js:4:3 unrestored-spy',
    'stale.test.ts:9:38 stale-module',
    'stray.test.js:2:5 valid-pragma',
    'tmp.test.js:8:19 serial-marker',
    'world.test.js:3:5 leaked-env',
    'world.test.js:4:5 leaked-global',
    'world.test.js:7:5 fake-timers-left',
  ]);
  expect(new Set(reports.map((r) => r.rule))).toEqual(new Set(Object.keys(plugin.rules)));
});

test('the e2e fixtures: the leaks planted for the environment, and nothing in the clean projects', async () => {
  const projects = fs.readdirSync(FIXTURES).filter((name) => !name.startsWith('lint-'));
  // runner-edges holds files that do not parse, on purpose (the runner must survive them).
  const files = projects.flatMap((name) => testFiles(path.join(FIXTURES, name))).filter((file) => !/-syntax\.test\.js$/.test(file));
  const reports = await lint(files, FIXTURES);
  // Each report named by its file, rule and the source line it points at: the fixtures' own edits may move lines.
  const named = reports.map((r) => [r.file, r.rule, fs.readFileSync(path.join(FIXTURES, r.file), 'utf8').split('\n')[r.line - 1]!.trim()]);
  expect(named.sort()).toEqual(
    [
      ['demo/__tests__/profile.test.js', 'unrestored-spy', "jest.spyOn(api, 'fetchUser').mockResolvedValue({ id: 1, name: 'Mocked Ada' });"],
      ['env-babel/__tests__/shifted.test.js', 'unrestored-spy', "jest.spyOn(api, 'fetchUser').mockResolvedValue({ id: 1 });"],
      ['env-babel/__tests__/shifted.test.js', 'unused-mock-once', 'load.mockResolvedValueOnce({ id: 2 });'],
      ['env-babel/__tests__/shifted.test.js', 'leaked-env', "process.env.BABEL_SHIFTED = '1';"],
      ['env-checks/__tests__/fake-timers-left.test.js', 'fake-timers-left', 'jest.useFakeTimers();'],
      ['env-checks/__tests__/leaked-env.test.js', 'leaked-env', "process.env.API_URL = 'http://localhost:9999';"],
      ['env-checks/__tests__/leaked-env.test.js', 'leaked-env', 'delete process.env.HOME;'],
      ['env-checks/__tests__/leaked-global.test.js', 'leaked-global', 'globalThis.userCache = new Map();'],
      ['env-checks/__tests__/pending-mock-promise.test.js', 'pending-mock-promise', 'slowSave({ id: 1 });'],
      ['env-checks/__tests__/pending-mock-promise.test.js', 'pending-mock-promise', 'load();'],
      ['env-checks/__tests__/unrestored-spy.test.js', 'unrestored-spy', "jest.spyOn(api, 'fetchUser').mockResolvedValue({ id: 1, name: 'mock' });"],
      ['env-checks/__tests__/unrestored-spy.test.js', 'unrestored-spy', "jest.replaceProperty(api, 'limit', 99);"],
      ['env-checks/__tests__/unrestored-spy.test.js', 'unrestored-spy', "jest.spyOn(api, 'version', 'get').mockReturnValue(2);"],
      ['env-checks/__tests__/unrestored-spy.test.js', 'unrestored-spy', "jest.replaceProperty(api, 'limit', 30);"],
      ['env-checks/__tests__/unused-mock-once.test.js', 'unused-mock-once', "fetchUser.mockResolvedValueOnce('first').mockResolvedValueOnce('second');"],
      ['env-checks/__tests__/unused-mock-once.test.js', 'unused-mock-once', "log.mockImplementationOnce(() => 'x');"],
      ['env-corpus/__tests__/env-leak.test.js', 'leaked-env', "process.env.NO_COLOR_LEAK = '1';"],
      ['env-corpus/__tests__/spy-before-each.test.js', 'unrestored-spy', "jest.spyOn(settings, 'theme').mockReturnValue('blue');"],
      ['env-custom/__tests__/custom.test.js', 'leaked-env', "process.env.FROM_CUSTOM = '1';"],
      ['env-edges/__tests__/clear-mocks-after-each.test.js', 'pending-mock-promise', 'slowSave({ id: 1 });'],
      ['env-edges/__tests__/clear-mocks-after-each.test.js', 'pending-mock-promise', 'slowLoad();'],
      ['env-edges/__tests__/concurrent.test.js', 'leaked-env', "process.env.AFTER_CONCURRENT = '1';"],
      ['env-edges/__tests__/env-replaced.test.js', 'leaked-env', "process.env = { ONLY: '1' };"],
      ['env-edges/__tests__/env-replaced.test.js', 'leaked-env', "process.env.WRITTEN_FIRST = '1';"],
      ['env-edges/__tests__/env-replaced.test.js', 'leaked-env', 'process.env = { ...process.env };'],
      ['env-edges/__tests__/env-replaced.test.js', 'unrestored-spy', "jest.replaceProperty(process, 'env', { ONLY: '2' });"],
      ['env-edges/__tests__/replace-property-getter.test.js', 'unrestored-spy', "jest.replaceProperty(child, 'limit', 2);"],
      ['env-edges/__tests__/symbol-global.test.js', 'leaked-global', 'globalThis[CACHE] = new Map();'],
      ['env-edges/__tests__/symbol-global.test.js', 'leaked-global', 'globalThis[local] = 1;'],
      ['env-isolation/__tests__/order.test.js', 'unrestored-spy', "jest.spyOn(config, 'get').mockReturnValue('mocked');"],
      ['env-isolation/__tests__/order.test.js', 'unused-mock-once', "fetchUser.mockResolvedValueOnce('stale');"],
      ['env-isolation/__tests__/order.test.js', 'leaked-env', "process.env.FEATURE_FLAG = 'on';"],
      ['env-isolation/__tests__/order.test.js', 'leaked-global', 'globalThis.currentUser = { id: 1 };'],
      ['env-isolation/__tests__/order.test.js', 'fake-timers-left', 'jest.useFakeTimers();'],
      ['env-jsdom/__tests__/dom.test.js', 'leaked-global', 'window.analytics = { track: () => {} };'],
      ['env-jsdom/__tests__/dom.test.js', 'unrestored-spy', "jest.spyOn(document, 'querySelector').mockReturnValue(null);"],
      ['env-react/__tests__/fake-timers.test.js', 'fake-timers-left', 'jest.useFakeTimers();'],
      ['env-retry/__tests__/retried.test.js', 'leaked-env', "process.env.LEAKED_KEY = 'yes';"],
      ['env-stale/__tests__/stale.test.js', 'stale-module', "expect(() => validate('')).toThrow(ValidationError);"],
      ['env-stale/__tests__/stale.test.js', 'stale-module', 'expect(makeError()).toBeInstanceOf(ValidationError);'],
      ['env-ts/__tests__/typed.test.ts', 'unrestored-spy', "jest.spyOn(api, 'fetchUser').mockResolvedValue(user);"],
      ['env-ts/__tests__/typed.test.ts', 'unused-mock-once', "load.mockResolvedValueOnce({ id: 2, name: 'queued' });"],
      ['hunt/__tests__/greeting.test.js', 'unrestored-spy', "jest.spyOn(config, 'locale').mockReturnValue('fr');"],
      ['packed/__tests__/leak.test.js', 'unrestored-spy', "jest.spyOn(api, 'fetchUser').mockResolvedValue({ id: 'mocked' });"],
    ].sort(),
  );
});
