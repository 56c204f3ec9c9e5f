import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Rule } from 'eslint';
import { findConfig, fromObject, jestMockOptions } from './jestConfig';

const espree = require('espree') as object;
const typescript = require('@typescript-eslint/parser') as object;

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-jestconfig-'));
  fs.mkdirSync(path.join(root, '.git'));
  fs.mkdirSync(path.join(root, 'src', '__tests__'), { recursive: true });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const write = (name: string, text: string): void => fs.writeFileSync(path.join(root, name), text);
const optionsFor = (parser: object = espree, settings: Record<string, unknown> = {}) =>
  jestMockOptions({ filename: path.join(root, 'src', '__tests__', 'a.test.ts'), settings, languageOptions: { parser } } as unknown as Rule.RuleContext);

test('package.json "jest" key', () => {
  write('package.json', JSON.stringify({ name: 'x', jest: { restoreMocks: true, clearMocks: false } }));
  expect(optionsFor()).toEqual({ restoreMocks: true, resetMocks: false, clearMocks: false, resetModules: false });
});

test('a package.json without "jest" is passed over; jest.config.json is read', () => {
  fs.writeFileSync(path.join(root, 'src', 'package.json'), '{"name":"inner"}');
  write('jest.config.json', '{"resetMocks": true}');
  expect(optionsFor().resetMocks).toBe(true);
});

test('jest.config.js: the exported object literal, through a helper call and a constant', () => {
  write(
    'jest.config.js',
    "const { withFlakeguard } = require('jest-flakeguard/config');\nconst base = { resetModules: true, restoreMocks: true };\nmodule.exports = withFlakeguard(base, { retries: 2 });\n",
  );
  expect(optionsFor()).toMatchObject({ resetModules: true, restoreMocks: true });
});

test('jest.config.ts is read with the TypeScript parser, and not with espree', () => {
  write('jest.config.ts', "import type { Config } from 'jest';\nconst config: Config = { restoreMocks: true } satisfies Config;\nexport default config;\n");
  expect(optionsFor(typescript).restoreMocks).toBe(true);
  expect(optionsFor(espree).restoreMocks).toBe(false);
});

test('a config made by a function gives the defaults; settings win key by key', () => {
  write('jest.config.js', 'module.exports = async () => ({ restoreMocks: true });\n');
  expect(optionsFor().restoreMocks).toBe(false);
  expect(optionsFor(espree, { flakeguard: { jest: { restoreMocks: true, resetMocks: 'yes' } } })).toMatchObject({ restoreMocks: true, resetMocks: false });
});

test('a config that does not parse gives the defaults', () => {
  write('jest.config.js', 'module.exports = {{{');
  expect(optionsFor().restoreMocks).toBe(false);
});

test('projects: the ones whose testMatch takes the file decide; unreadable patterns make any project count', () => {
  const file = '/repo/restore-mocks/a.test.js';
  const projects = [
    { displayName: 'checks', testMatch: ['<rootDir>/__tests__/*.test.js'] },
    { displayName: 'restore', restoreMocks: true, testMatch: ['<rootDir>/restore-mocks/*.test.js'] },
  ];
  expect(fromObject({ projects }, file, '/repo')).toEqual({ restoreMocks: true });
  expect(fromObject({ projects }, '/repo/__tests__/a.test.js', '/repo')).toEqual({});
  // in two projects, one without restoreMocks: the leak happens there
  expect(fromObject({ projects: [{ restoreMocks: true, testRegex: 'a\\.test' }, { testMatch: ['**/*.test.js'] }] }, file, '/repo')).toEqual({});
  // a project with no patterns of its own takes Jest's default ones; with roots, the plugin cannot tell
  expect(fromObject({ projects: [{ restoreMocks: true }, { displayName: 'b' }, 'path/to/c'] }, file, '/repo')).toEqual({});
  expect(fromObject({ projects: [{ restoreMocks: true }, { roots: ['<rootDir>/x'] }] }, file, '/repo')).toEqual({ restoreMocks: true });
  expect(fromObject({ projects: ['a', 'b'] }, file, '/repo')).toEqual({});
});

test('the search stops at the repository root', () => {
  expect(findConfig(path.join(root, 'src', '__tests__'))).toBeUndefined();
});
