// Rule `stale-module`: a class imported at the top of the file, used in `toBeInstanceOf(C)` / `toThrow(C)` by a test
// for which modules are reset and the code under test is loaded again — that code gets a fresh copy of C's module,
// and the matcher compares against the stale one (jestjs/jest#15258).

import type { Rule, Scope } from 'eslint';
import { calleePath, isCall, methodCall, unwrap, type Node } from '../astPaths';
import { allowsCheck } from '../docblock';
import { jestMockOptions } from '../jestConfig';
import { fileModel, isJestCall, type CleanupPlace, type FileModel, type TestCase } from '../testScopes';

type Place = CleanupPlace & { where: string };

const MATCHERS = new Set(['toBeInstanceOf', 'toThrow', 'toThrowError']);

export const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'a class imported at the top must not be matched against code loaded after jest.resetModules()' },
    schema: [],
    messages: {
      stale:
        '{{name}} is imported at the top of the file, but {{reset}} and the test loads modules again: the code under test gets a fresh copy of {{name}}, so {{matcher}}({{name}}) can fail on a class of the same name. Require {{name}} again after the reset',
    },
  },
  create(context) {
    return {
      'Program:exit'() {
        if (allowsCheck(context.sourceCode, context.filename, 'stale-module')) return;
        const model = fileModel(context.sourceCode);
        const configured = jestMockOptions(context).resetModules;
        // Only a file that resets modules somewhere (or whose config does) can hold a stale class.
        if (!configured && !model.nodesIn(model.sourceCode.ast as unknown as Node).some((node) => isJestCall(node, 'resetModules', 'isolateModules', 'isolateModulesAsync')))
          return;
        for (const test of model.tests) {
          const beforeEach = model
            .hooksFor(test, 'beforeEach')
            .map((hook): Place => ({ fn: hook.fn, after: -1, when: 'before', where: `jest.resetModules() in beforeEach (line ${hook.call.loc?.start.line})` }));
          const own: Place = { fn: test.fn, after: -1, when: 'own', where: 'the test resets modules' };
          const reset = resetWhere(model, [own, ...beforeEach], configured);
          if (!reset) continue;
          if (!model.findIn([own, ...beforeEach], isModuleLoad)) continue;
          for (const match of matchedImports(model, test)) {
            context.report({ node: match.node as never, messageId: 'stale', data: { name: match.name, matcher: match.matcher, reset } });
          }
        }
      },
    };
  },
};

function resetWhere(model: FileModel, places: Place[], configured: boolean): string | undefined {
  for (const place of places) {
    const found = model.findIn([place], (node) => isJestCall(node, 'resetModules', 'isolateModules', 'isolateModulesAsync'));
    if (found) {
      const path = calleePath(found as never);
      if (place.where === 'the test resets modules') return `${path}() runs in the test (line ${found.loc?.start.line})`;
      return path === 'jest.resetModules' ? place.where : `${path}() runs in beforeEach`;
    }
  }
  return configured ? 'resetModules is on in the Jest config' : undefined;
}

/** `require(…)`, `import(…)`, `jest.requireActual(…)`, `jest.isolateModules(…)`: code loaded from the registry anew. */
function isModuleLoad(node: Node): boolean {
  if (node.type === 'ImportExpression') return true;
  return isCall(node) && (calleePath(node) === 'require' || isJestCall(node, 'requireActual', 'isolateModules', 'isolateModulesAsync'));
}

/** Matcher arguments in the test that are bindings imported (or required) at the top of the file. */
function matchedImports(model: FileModel, test: TestCase): Array<{ node: Node; name: string; matcher: string }> {
  const found: Array<{ node: Node; name: string; matcher: string }> = [];
  for (const node of model.nodesIn(test.fn)) {
    const call = methodCall(node);
    if (!call || !MATCHERS.has(call.method) || !call.call.arguments[0]) continue;
    const argument = unwrap(call.call.arguments[0] as Node);
    const identifier = argument.type === 'MemberExpression' ? unwrap(argument.object as Node) : argument;
    if (identifier.type !== 'Identifier') continue;
    if (!isTopLevelImport(model, identifier)) continue;
    found.push({ node: argument, name: model.sourceCode.getText(argument as never), matcher: call.method });
  }
  return found;
}

function isTopLevelImport(model: FileModel, identifier: Node & { name: string }): boolean {
  let scope: Scope.Scope | null = model.sourceCode.getScope(identifier as never);
  let variable: Scope.Variable | undefined;
  for (; scope && !variable; scope = scope.upper) variable = scope.set.get(identifier.name);
  const def = variable?.defs[0];
  if (!def) return false;
  if (def.type === 'ImportBinding') return (def.parent as { importKind?: string } | null)?.importKind !== 'type';
  if (def.type !== 'Variable') return false;
  const declaration = def.parent as Node | null;
  if (declaration?.parent?.type !== 'Program') return false;
  const init = (def.node as { init?: Node | null }).init;
  let current = init ? unwrap(init) : undefined;
  if (current?.type === 'MemberExpression') current = unwrap(current.object as Node);
  return !!current && isCall(current) && calleePath(current) === 'require';
}
