// Rule `unrestored-spy`: a `jest.spyOn` / `jest.replaceProperty` made by a test or a beforeEach that nothing restores
// before the next test (no `mockRestore()` / `restore()`, no `jest.restoreAllMocks()` in scope, no `restoreMocks`).

import type { Rule, Scope, SourceCode } from 'eslint';
import { boundName, calleePath, isCall, isFunction, methodCall, mockName, pathOf, type Node } from '../astPaths';
import { allowsCheck } from '../docblock';
import { afterEachFix } from '../hookSuggestion';
import { jestMockOptions } from '../jestConfig';
import { fileModel, isJestCall, isJudged } from '../testScopes';

/** `expect(() => jest.replaceProperty(o, 'getter', 1)).toThrow()`: a call made to see it fail installs nothing to restore. */
function insideExpectCallback(node: Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) {
      const parent = current.parent;
      return isCall(parent) && calleePath(parent) === 'expect' && parent.arguments[0] === current;
    }
  }
  return false;
}

/** `const program = new Command(); jest.spyOn(program, 'exit')`: a spy on an object the test made dies with it. */
function madeBy(sourceCode: SourceCode, object: Node | undefined, fn: Node): boolean {
  if (!object || object.type !== 'Identifier') return false;
  let scope: Scope.Scope | null = sourceCode.getScope(object as never);
  for (; scope; scope = scope.upper) {
    const variable = scope.set.get(object.name);
    if (variable) return variable.defs.some((def) => within(def.name as Node, fn));
  }
  return false;
}

function within(node: Node, ancestor: Node): boolean {
  for (let current: Node | undefined = node; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

export const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'a spy or replaced property made for a test must be restored before the next test' },
    hasSuggestions: true,
    schema: [],
    messages: {
      spy: 'spy on {{name}} is not restored before the next test: no mockRestore(), no jest.restoreAllMocks() in afterEach, restoreMocks is off',
      replaced: 'property {{name}} replaced here is not restored before the next test: no restore(), no jest.restoreAllMocks() in afterEach, restoreMocks is off',
      addRestore: 'Add afterEach(() => jest.restoreAllMocks())',
    },
  },
  create(context) {
    return {
      'Program:exit'() {
        if (allowsCheck(context.sourceCode, context.filename, 'unrestored-spy')) return;
        if (jestMockOptions(context).restoreMocks) return;
        const model = fileModel(context.sourceCode);
        for (const { node, owner } of model.ownedNodes()) {
          if (!isJudged(owner) || !isJestCall(node, 'spyOn', 'replaceProperty') || insideExpectCallback(node)) continue;
          if (madeBy(context.sourceCode, node.arguments[0] as Node | undefined, owner.kind === 'test' ? owner.test.fn : owner.hook.fn)) continue;
          const replaced = calleePath(node) === 'jest.replaceProperty';
          const name = mockName(node);
          const bound = boundName(node);
          const restores = (candidate: Node): boolean => {
            if (isJestCall(candidate, 'restoreAllMocks')) return true;
            const call = methodCall(candidate);
            if (!call || call.method !== (replaced ? 'restore' : 'mockRestore')) return false;
            const target = pathOf(call.object) ?? mockName(call.object);
            return target !== undefined && (target === bound || target === name || mockName(call.object) === name);
          };
          if (model.leaksInto(owner, node, restores).length === 0) continue;
          const fix = afterEachFix(model, owner, 'jest.restoreAllMocks()');
          context.report({
            node,
            messageId: replaced ? 'replaced' : 'spy',
            data: { name: name ?? context.sourceCode.getText(node.arguments[0] as never) },
            suggest: fix ? [{ messageId: 'addRestore', fix }] : [],
          });
        }
      },
    };
  },
};
