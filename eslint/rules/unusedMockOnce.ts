// Rule `unused-mock-once`: more `mock*Once` values queued in a test than the calls it can make, where the calls can be
// counted, with nothing in scope that drops the rest (`mockReset`, `jest.resetAllMocks()`, `resetMocks`).

import type { Rule } from 'eslint';
import { boundName, calleePath, isCall, isFunction, memberKey, methodCall, mockBase, mockName, pathOf, unwrap, walk, type CallNode, type Node } from '../astPaths';
import { allowsCheck } from '../docblock';
import { afterEachFix } from '../hookSuggestion';
import { jestMockOptions } from '../jestConfig';
import { fileModel, isJestCall, type FileModel, type TestCase } from '../testScopes';

const ONCE = /^mock(ReturnValue|ResolvedValue|RejectedValue|Implementation)Once$/;
/** Nodes under which code runs a number of times the rule cannot count (or maybe not at all). */
const UNCOUNTABLE = new Set([
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'WhileStatement',
  'DoWhileStatement',
  'IfStatement',
  'ConditionalExpression',
  'LogicalExpression',
  'SwitchCase',
  'TryStatement',
  'CatchClause',
]);

interface Queue {
  name: string;
  calls: CallNode[];
  countable: boolean;
}

export const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'values queued with mock*Once must be consumed by the test, or dropped before the next one' },
    hasSuggestions: true,
    schema: [],
    messages: {
      excess:
        '{{queued}} value{{qs}} queued with mock*Once on {{name}}, but the test makes at most {{bound}} call{{s}} ({{why}}): the rest are served to the next test that calls it',
      addReset: 'Add afterEach(() => {{name}}.mockReset())',
    },
  },
  create(context) {
    return {
      'Program:exit'() {
        if (allowsCheck(context.sourceCode, context.filename, 'unused-mock-once')) return;
        const options = jestMockOptions(context);
        if (options.resetMocks) return;
        const model = fileModel(context.sourceCode);
        const spies = spyNames(model);
        for (const test of model.tests) {
          for (const queue of queues(model, test)) {
            if (!queue.countable) continue;
            const isSpy = spies.has(queue.name);
            if (!isSpy && declaredIn(model, test.fn, queue.name)) continue; // a mock made by the test dies with it
            const bound = callBound(model, test, queue.name);
            if (!bound || queue.calls.length <= bound.calls) continue;
            const owner = { kind: 'test', test } as const;
            const drops = (node: Node): boolean => {
              if (isJestCall(node, 'resetAllMocks') || (isSpy && isJestCall(node, 'restoreAllMocks'))) return true;
              const call = methodCall(node);
              return !!call && (call.method === 'mockReset' || (isSpy && call.method === 'mockRestore')) && mockName(call.object) === queue.name;
            };
            if (isSpy && options.restoreMocks) continue;
            if (model.leaksInto(owner, queue.calls[queue.calls.length - 1]!, drops).length === 0) continue;
            const first = queue.calls[bound.calls]!;
            const callee = unwrap(first.callee as Node);
            const fix = /^[\w$.]+$/.test(queue.name) ? afterEachFix(model, owner, `${queue.name}.mockReset()`) : undefined;
            context.report({
              node: callee.type === 'MemberExpression' ? (callee.property as never) : (first as never),
              messageId: 'excess',
              data: {
                queued: String(queue.calls.length),
                qs: queue.calls.length === 1 ? '' : 's',
                name: queue.name,
                bound: String(bound.calls),
                s: bound.calls === 1 ? '' : 's',
                why: bound.why,
              },
              suggest: fix ? [{ messageId: 'addReset', data: { name: queue.name }, fix }] : [],
            });
          }
        }
      },
    };
  },
};

/** The mock*Once calls of a test, per mock, in source order; a queue inside a loop, branch or callback is uncountable. */
function queues(model: FileModel, test: TestCase): Queue[] {
  const byName = new Map<string, Queue>();
  for (const node of model.nodesIn(test.fn)) {
    const call = methodCall(node);
    if (!call || !ONCE.test(call.method)) continue;
    const name = mockName(call.object);
    if (!name) continue;
    const queue = byName.get(name) ?? { name, calls: [], countable: true };
    byName.set(name, queue);
    queue.calls.push(call.call);
    if (!straightLine(node, test.fn)) queue.countable = false;
  }
  const at = (call: CallNode): number => {
    const callee = unwrap(call.callee as Node);
    return (callee.type === 'MemberExpression' ? callee.property : call).range?.[0] ?? 0;
  };
  // In a chain `m.aOnce(1).bOnce(2)` the outer call starts where the inner one does: order by the method's name.
  for (const queue of byName.values()) queue.calls.sort((a, b) => at(a) - at(b));
  return [...byName.values()];
}

/** Whether code at `node` runs exactly once when `fn` runs: no loop, branch or nested function in between. */
function straightLine(node: Node, fn: Node): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (UNCOUNTABLE.has(current.type) || isFunction(current)) return false;
  }
  return true;
}

/** How many calls the test can make to a mock: what it asserts (`toHaveBeenCalledTimes(n)`), or its direct calls. */
function callBound(model: FileModel, test: TestCase, name: string): { calls: number; why: string } | undefined {
  let asserted: { calls: number; why: string } | undefined;
  let direct = 0;
  let directCountable = true;
  for (const node of model.nodesIn(test.fn)) {
    if (!isCall(node)) continue;
    if (pathOf(node.callee as Node) === name) {
      direct += 1;
      if (!straightLine(node, test.fn)) directCountable = false;
    }
    const matcher = methodCall(node);
    if (!matcher) continue;
    const subject = expectSubject(matcher.object);
    if (!subject || mockName(subject.value) !== name) continue;
    const times = ['toHaveBeenCalledTimes', 'toBeCalledTimes'].includes(matcher.method) ? numberArgument(node) : undefined;
    if (!subject.negated && times !== undefined) asserted = { calls: times, why: `${matcher.method}(${times})` };
    else if (!subject.negated && matcher.method === 'toHaveBeenCalledOnce') asserted = { calls: 1, why: 'toHaveBeenCalledOnce()' };
    else if (subject.negated && ['toHaveBeenCalled', 'toBeCalled'].includes(matcher.method)) asserted = { calls: 0, why: `not.${matcher.method}()` };
  }
  if (asserted) return asserted;
  if (directCountable && onlyCalledDirectly(model, name)) return { calls: direct, why: `${direct} direct call${direct === 1 ? '' : 's'}, and it is passed nowhere` };
  return undefined;
}

/** `expect(x)` or `expect(x).not`: the value under test. */
function expectSubject(node: Node): { value: Node; negated: boolean } | undefined {
  let current = unwrap(node);
  let negated = false;
  if (current.type === 'MemberExpression' && memberKey(current) === 'not') {
    negated = true;
    current = unwrap(current.object as Node);
  }
  if (isCall(current) && calleePath(current) === 'expect' && current.arguments[0]) return { value: current.arguments[0] as Node, negated };
  return undefined;
}

function numberArgument(call: CallNode): number | undefined {
  const argument = call.arguments[0] as Node | undefined;
  return argument?.type === 'Literal' && typeof argument.value === 'number' ? argument.value : undefined;
}

/**
 * Whether a mock held in a variable of this file is only ever called, configured (`.mock*`) or asserted on
 * (`expect(m)`) — never handed to other code, which could call it any number of times.
 */
function onlyCalledDirectly(model: FileModel, name: string): boolean {
  if (!/^[\w$]+$/.test(name)) return false;
  const scope = model.sourceCode.scopeManager;
  const variable = scope?.scopes.flatMap((s) => s.variables).find((v) => v.name === name && v.defs.length > 0);
  if (!variable) return false;
  const declaredAsFn = variable.defs.some((def) => {
    const init = def.node.type === 'VariableDeclarator' ? (def.node.init as Node | null) : null;
    return !!init && isCall(mockBase(init)) && calleePath(mockBase(init) as CallNode) === 'jest.fn';
  });
  if (!declaredAsFn) return false;
  return variable.references.every((reference) => {
    const identifier = reference.identifier as Node;
    if (reference.init) return true;
    const parent = identifier.parent;
    if (!parent) return false;
    if (parent.type === 'CallExpression' && parent.callee === identifier) return true;
    if (parent.type === 'MemberExpression' && parent.object === identifier) {
      const key = memberKey(parent);
      return key === 'mock' || (key !== undefined && /^mock[A-Z]/.test(key));
    }
    return parent.type === 'CallExpression' && calleePath(parent as CallNode) === 'expect';
  });
}

function declaredIn(model: FileModel, fn: Node, name: string): boolean {
  if (!/^[\w$]+$/.test(name)) return false;
  return model.nodesIn(fn).some((node) => node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.id.name === name);
}

/** Names under which the file holds spies (`jest.spyOn(api, 'load')` is `api.load`, and the variable it is put in). */
function spyNames(model: FileModel): Set<string> {
  const names = new Set<string>();
  const keys = model.sourceCode.visitorKeys;
  const visit = (node: Node): void => {
    if (!isJestCall(node, 'spyOn')) return;
    const name = mockName(node);
    if (name) names.add(name);
    const bound = boundName(node);
    if (bound) names.add(bound);
  };
  // Spies are made anywhere: at module level, in beforeAll, in a test.
  walk(model.sourceCode.ast as unknown as Node, visit, keys);
  return names;
}
