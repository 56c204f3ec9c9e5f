// `jest-flakeguard/eslint`: the ESLint plugin (flat config, ESLint 9+) whose rules find flaky patterns one test at a
// time, and its `recommended` config.

import type { ESLint, Linter, Rule } from 'eslint';
import { rule as fakeTimersLeft } from './rules/fakeTimersLeft';
import { rule as leakedEnv } from './rules/leakedEnv';
import { rule as leakedGlobal } from './rules/leakedGlobal';
import { rule as pendingMockPromise } from './rules/pendingMockPromise';
import { rule as serialMarker } from './rules/serialMarker';
import { rule as staleModule } from './rules/staleModule';
import { rule as unrestoredSpy } from './rules/unrestoredSpy';
import { rule as unusedMockOnce } from './rules/unusedMockOnce';
import { rule as validPragma } from './rules/validPragma';

const { version } = require('jest-flakeguard/package.json') as { version: string };

export const rules: Record<string, Rule.RuleModule> = {
  'unrestored-spy': unrestoredSpy,
  'unused-mock-once': unusedMockOnce,
  'pending-mock-promise': pendingMockPromise,
  'leaked-env': leakedEnv,
  'leaked-global': leakedGlobal,
  'fake-timers-left': fakeTimersLeft,
  'stale-module': staleModule,
  'serial-marker': serialMarker,
  'valid-pragma': validPragma,
};

/** Jest's default `testMatch`, with the module extensions TypeScript and Node add. */
export const TEST_FILES = ['**/__tests__/**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts}', '**/*.{test,spec}.{js,jsx,ts,tsx,mjs,cjs,mts,cts}'];

const plugin = {
  meta: { name: 'jest-flakeguard', version },
  rules,
  configs: {} as Record<string, Linter.Config>,
} satisfies ESLint.Plugin;

plugin.configs.recommended = {
  name: 'jest-flakeguard/recommended',
  files: TEST_FILES,
  plugins: { flakeguard: plugin },
  rules: Object.fromEntries(Object.keys(rules).map((name) => [`flakeguard/${name}`, 'error'])),
};

export default plugin;
module.exports = Object.assign(plugin, { default: plugin, rules, TEST_FILES });
