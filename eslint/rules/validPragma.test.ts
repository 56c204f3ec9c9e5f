import { RuleTester } from 'eslint';
import { rule } from './validPragma';

const tester = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } });
const lines = (...text: string[]): string => text.join('\n');

tester.run('valid-pragma', rule, {
  valid: [
    lines('/** @serial */', "test('a', () => {});"),
    lines('/**', ' * @serial db port-4100', ' * @flaky waits on the clock', ' * @flakeguard-allow leaked-env unrestored-spy', ' */'),
    // other tools' pragmas are theirs
    lines('/** @jest-environment jsdom */', "test('a', () => {});"),
    // a pragma in a string is no pragma
    lines("const doc = '// @serial';"),
  ],
  invalid: [
    {
      code: lines("'use strict';", '/** @serial */', "test('a', () => {});"),
      errors: [{ message: '@serial is ignored: pragmas must be in a /** … */ comment that starts the file', line: 2, column: 5, endColumn: 12, suggestions: [] }],
    },
    {
      code: lines('/**', ' * @seriall db', ' */'),
      errors: [
        {
          message: 'unknown pragma @seriall: did you mean @serial? It is ignored',
          line: 2,
          column: 4,
          suggestions: [{ desc: 'Replace @seriall with @serial', output: lines('/**', ' * @serial db', ' */') }],
        },
      ],
    },
    {
      code: lines('/** @serial db bad$name */', "test('a', () => {});"),
      errors: [{ message: 'invalid resource name "bad$name" in @serial (use letters, digits and . _ : / -); ignored', line: 1, column: 16, suggestions: [] }],
    },
    {
      code: lines('/**', ' * @flakeguard-allow leaked-spy leaked-env', ' */'),
      errors: [
        {
          message:
            "@flakeguard-allow: unknown check 'leaked-spy' (known: unrestored-spy, unused-mock-once, pending-mock-promise, leaked-env, leaked-global, pending-timer, fake-timers-left, stale-module, worker-state, open-handle); the environment fails the file",
          line: 2,
          column: 22,
        },
      ],
    },
  ],
});
