import { globToRegExp, projectTakes } from './testMatch';

test.each([
  ['**/__tests__/**/*.[jt]s?(x)', '/r/src/__tests__/a.tsx', true],
  ['**/__tests__/**/*.[jt]s?(x)', '/r/src/__tests__/deep/a.js', true],
  ['**/__tests__/**/*.[jt]s?(x)', '/r/src/a.js', false],
  ['**/?(*.)+(spec|test).[jt]s?(x)', '/r/src/a.test.ts', true],
  ['**/?(*.)+(spec|test).[jt]s?(x)', '/r/src/a.spec.jsx', true],
  ['**/?(*.)+(spec|test).[jt]s?(x)', '/r/src/test.js', true],
  ['**/?(*.)+(spec|test).[jt]s?(x)', '/r/src/a.testing.js', false],
  ['/r/unit/*.test.{js,ts}', '/r/unit/a.test.ts', true],
  ['/r/unit/*.test.{js,ts}', '/r/unit/x/a.test.ts', false],
  ['**/!(e2e)/*.test.js', '/r/unit/a.test.js', true],
  ['**/!(e2e)/*.test.js', '/r/e2e/a.test.js', false],
])('%s on %s: %s', (glob, file, expected) => {
  expect(globToRegExp(glob).test(file)).toBe(expected);
});

test('a project: <rootDir>, negations, testRegex, and what cannot be read', () => {
  expect(projectTakes({ testMatch: ['<rootDir>/src/**/*.test.js', '!**/legacy/**'] }, '/r/src/a.test.js', '/r')).toBe(true);
  expect(projectTakes({ testMatch: ['<rootDir>/src/**/*.test.js', '!**/legacy/**'] }, '/r/src/legacy/a.test.js', '/r')).toBe(false);
  expect(projectTakes({ rootDir: 'packages/a', testMatch: ['<rootDir>/**/*.test.js'] }, '/r/packages/b/x.test.js', '/r')).toBe(false);
  expect(projectTakes({ testRegex: '/integration/.*\\.test\\.js$' }, '/r/integration/a.test.js', '/r')).toBe(true);
  expect(projectTakes({ testMatch: [undefined] }, '/r/a.test.js', '/r')).toBeUndefined();
  expect(projectTakes({ roots: ['<rootDir>/src'] }, '/r/a.test.js', '/r')).toBeUndefined();
  expect(projectTakes({}, '/r/src/a.test.mjs', '/r')).toBe(true);
  expect(projectTakes({}, '/r/src/a.js', '/r')).toBe(false);
});
