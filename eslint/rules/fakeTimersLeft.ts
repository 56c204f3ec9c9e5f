// Rule `fake-timers-left`: `jest.useFakeTimers()` in a test or a beforeEach with no `jest.useRealTimers()` in scope,
// so the tests after it run on fake time.

import type { Rule } from 'eslint';
import { allowsCheck } from '../docblock';
import { afterEachFix } from '../hookSuggestion';
import type { Node } from '../astPaths';
import { fileModel, isJestCall, isJudged, type CleanupPlace } from '../testScopes';

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
          // Switched off again — or, in a later test's own beforeEach, switched on for it on purpose.
          const undoes = (candidate: Node, place: CleanupPlace): boolean =>
            isJestCall(candidate, 'useRealTimers') || (place.when === 'before' && isJestCall(candidate, 'useFakeTimers'));
          if (model.leaksInto(owner, node, undoes).length === 0) continue;
          const fix = afterEachFix(model, owner, 'jest.useRealTimers()');
          context.report({ node, messageId: 'left', suggest: fix ? [{ messageId: 'addRealTimers', fix }] : [] });
        }
      },
    };
  },
};
