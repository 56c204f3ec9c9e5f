import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FlakeguardError } from '../core/errors';
import { INSTALL_ESLINT, loadEslint, loadTypescriptParser, resolveFrom } from './eslintHost';

let empty: string;
beforeAll(() => {
  empty = fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-eslint-host-'));
});
afterAll(() => fs.rmSync(empty, { recursive: true, force: true }));

test('a project without ESLint: a one-line install hint, as a usage error', () => {
  let error: unknown;
  try {
    loadEslint([empty]);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(FlakeguardError);
  expect((error as FlakeguardError).message).toBe(INSTALL_ESLINT);
  expect((error as FlakeguardError).code).toBe('USAGE');
});

test("the project's own install wins, and a parser is optional", () => {
  expect(resolveFrom('eslint', [empty, path.resolve(__dirname, '..')])).toBe(require.resolve('eslint'));
  expect(loadEslint([empty, __dirname]).ESLint.version).toMatch(/^(9|10)\./);
  expect(loadTypescriptParser([empty])).toBeUndefined();
  expect(loadTypescriptParser([__dirname])).toHaveProperty('parseForESLint');
});
