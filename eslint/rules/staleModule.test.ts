import { RuleTester } from 'eslint';
import { rule } from './staleModule';

const tester = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } });
const lines = (...text: string[]): string => text.join('\n');
const stale = (name: string, reset: string, matcher: string) =>
  `${name} is imported at the top of the file, but ${reset} and the test loads modules again: the code under test gets a fresh copy of ${name}, so ${matcher}(${name}) can fail on a class of the same name. Require ${name} again after the reset`;

tester.run('stale-module', rule, {
  valid: [
    // no reset: one registry, one class
    lines(
      "import { ValidationError } from '../errors';",
      "test('a', () => { const { validate } = require('../validate'); expect(() => validate('')).toThrow(ValidationError); });",
    ),
    // reset, but nothing loaded again: the code under test is the top-level copy too
    lines(
      "import { ValidationError } from '../errors';",
      "import { validate } from '../validate';",
      'beforeEach(() => jest.resetModules());',
      "test('a', () => { expect(() => validate('')).toThrow(ValidationError); });",
    ),
    // required again after the reset
    lines(
      "const { ValidationError } = require('../errors');",
      'beforeEach(() => jest.resetModules());',
      "test('a', () => {",
      "  const { ValidationError } = require('../errors');",
      "  const { validate } = require('../validate');",
      "  expect(() => validate('')).toThrow(ValidationError);",
      '});',
    ),
    // built-ins are not modules
    lines('beforeEach(() => jest.resetModules());', "test('a', () => { const m = require('../m'); expect(() => m.run()).toThrow(TypeError); });"),
    // a reset in another describe does not apply
    lines(
      "import { Store } from '../store';",
      "describe('x', () => { beforeEach(() => jest.resetModules()); });",
      "test('a', () => { expect(require('../make')()).toBeInstanceOf(Store); });",
    ),
  ],
  invalid: [
    {
      code: lines(
        "const { ValidationError } = require('../src/errors');",
        '',
        'beforeEach(() => jest.resetModules());',
        '',
        "test('rejects', () => {",
        "  const { validate } = require('../src/validate');",
        "  expect(() => validate('')).toThrow(ValidationError);",
        '});',
      ),
      errors: [{ message: stale('ValidationError', 'jest.resetModules() in beforeEach (line 3)', 'toThrow'), line: 7, column: 38 }],
    },
    {
      // an import, isolateModules in the test, a namespace member; resetModules from the settings
      code: lines(
        "import * as errors from './errors';",
        "import Store from './store';",
        "it('a', () => {",
        '  jest.isolateModules(() => {',
        "    const make = require('./make');",
        '    expect(make()).toBeInstanceOf(Store);',
        '    expect(() => make(1)).toThrowError(errors.Bad);',
        '  });',
        '});',
      ),
      errors: [
        { message: stale('Store', 'jest.isolateModules() runs in the test (line 4)', 'toBeInstanceOf'), line: 6, column: 35 },
        { message: stale('errors.Bad', 'jest.isolateModules() runs in the test (line 4)', 'toThrowError'), line: 7, column: 40 },
      ],
    },
    {
      code: lines(
        "import { Store } from './store';",
        "test('a', async () => {",
        "  const { make } = await import('./make');",
        '  expect(make()).toBeInstanceOf(Store);',
        '});',
      ),
      settings: { flakeguard: { jest: { resetModules: true } } },
      errors: [{ message: stale('Store', 'resetModules is on in the Jest config', 'toBeInstanceOf'), line: 4, column: 33 }],
    },
  ],
});
