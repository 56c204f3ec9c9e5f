// Rule `fake-timers-left`: `jest.useFakeTimers()` in a test or a beforeEach with no `jest.useRealTimers()` in scope,
// so the tests after it run on fake time.

import type { Rule } from 'eslint';
import { allowsCheck } from '../docblock';
import { afterEachFix } from '../hookSuggestion';
import { fileModel, isJestCall, isJudged } from '../testScopes';

export const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'fake timers switched on for a test must be switched off before the next test' },
    hasSuggestions: true,
    schema: [],
    messages: {
      left: 'fake timers switched on here stay on for the tests that follow: no jest.useRealTimers() in the test or in afterEach',
      addRealTimers: 'Add afterEach(() => jest.useRealTimers())',
    },
  },
  create(context) {
    return {
      'Program:exit'() {
        if (allowsCheck(context.sourceCode, context.filename, 'fake-timers-left')) return;
        const model = fileModel(context.sourceCode);
        for (const { node, owner } of model.ownedNodes()) {
          if (!isJudged(owner) || !isJestCall(node, 'useFakeTimers')) continue;
          // A file-level beforeEach puts every test of the file on fake time: no test sees them "left on".
          if (owner.kind === 'hook' && owner.hook.block === model.root) continue;
          if (model.findIn(model.cleanupPlaces(owner, node), (candidate) => isJestCall(candidate, 'useRealTimers'))) continue;
          const fix = afterEachFix(model, owner, 'jest.useRealTimers()');
          context.report({ node, messageId: 'left', suggest: fix ? [{ messageId: 'addRealTimers', fix }] : [] });
        }
      },
    };
  },
};
