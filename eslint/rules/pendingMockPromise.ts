// Rule `pending-mock-promise`: a test (or beforeEach) calls a mock that returns a promise — or a known async API —
// and neither awaits nor returns it, so what runs after it runs inside a later test.

import type { Rule } from 'eslint';
import { boundName, calleePath, isCall, isFunction, memberKey, methodCall, mockName, pathOf, unwrap, walk, type CallNode, type FunctionNode, type Node } from '../astPaths';
import { allowsCheck } from '../docblock';
import { fileModel, isJestCall, isJudged, type FileModel, type Owner } from '../testScopes';

const ASYNC_VALUES = new Set(['mockResolvedValue', 'mockRejectedValue', 'mockResolvedValueOnce', 'mockRejectedValueOnce']);
const IMPLEMENTATIONS = new Set(['mockImplementation', 'mockImplementationOnce']);
const CHAINED = new Set(['then', 'catch', 'finally']);
/** Modules every export of which returns a promise. */
const PROMISE_MODULES = new Set([
  'fs/promises',
  'node:fs/promises',
  'timers/promises',
  'node:timers/promises',
  'dns/promises',
  'node:dns/promises',
  'stream/promises',
  'node:stream/promises',
]);
/** Modules whose default export starts a chain that is a promise (a thenable) you must await: the request never settles into the test otherwise. */
const THENABLE_MODULES = new Set(['supertest']);

export const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'a promise from a mock or a known async API must be awaited or returned by the test' },
    hasSuggestions: true,
    schema: [],
    messages: {
      mock: '{{name}}() is a mock that returns a promise, and this test neither awaits nor returns it: what follows it runs during a later test',
      api: '{{name}}() returns a promise that this test neither awaits nor returns: what follows it runs during a later test',
      request: 'this supertest request is neither awaited nor returned: the test ends before the request does, and its assertions never count',
      addAwait: 'Await it',
    },
  },
  create(context) {
    return {
      'Program:exit'() {
        if (allowsCheck(context.sourceCode, context.filename, 'pending-mock-promise')) return;
        const model = fileModel(context.sourceCode);
        const asyncMocks = promiseMocks(model);
        const apis = asyncApis(model);
        for (const { node, owner } of model.ownedNodes()) {
          if (!isJudged(owner) || node.type !== 'ExpressionStatement' || takesDone(owner)) continue;
          const fn = ownerFn(owner);
          if (nearestFunction(node) !== fn) continue;
          const root = chainRoot(node.expression as Node);
          if (!isCall(root)) continue;
          const name = calleePath(root);
          const kind = name && asyncMocks.has(name) ? 'mock' : apis(root);
          if (!kind) continue;
          context.report({
            node: node.expression as never,
            messageId: kind,
            data: { name: name ?? '' },
            suggest: [{ messageId: 'addAwait', fix: (fixer) => awaitFix(fixer, node.expression as Node, fn) }],
          });
        }
      },
    };
  },
};

function ownerFn(owner: Owner): FunctionNode {
  return owner.kind === 'test' ? owner.test.fn : owner.hook.fn;
}

/** A test or hook with a `done` parameter settles when it says so: floating calls are its business. */
function takesDone(owner: Owner): boolean {
  if (owner.kind === 'hook') return owner.hook.fn.params.length > 0;
  return !owner.test.each && owner.test.fn.params.length > 0;
}

function nearestFunction(node: Node): Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (isFunction(current)) return current;
  return undefined;
}

/** `load().then(f).catch(g)` floats as much as `load()` does: the chain's first call. */
function chainRoot(expression: Node): Node {
  let current = unwrap(expression);
  for (;;) {
    const call = methodCall(current);
    if (!call || !CHAINED.has(call.method)) return current;
    current = unwrap(call.object);
  }
}

/** Names of mocks that return promises: `mockResolvedValue(…)`, an async implementation, `jest.fn(async () => …)`. */
function promiseMocks(model: FileModel): Set<string> {
  const names = new Set<string>();
  const add = (node: Node, mock: Node): void => {
    const name = mockName(mock);
    if (name) names.add(name);
    const bound = boundName(node);
    if (bound) names.add(bound);
  };
  walk(
    model.sourceCode.ast as unknown as Node,
    (node) => {
      const call = methodCall(node);
      if (call && ASYNC_VALUES.has(call.method)) add(node, call.object);
      else if (call && IMPLEMENTATIONS.has(call.method) && returnsPromise(call.call.arguments[0] as Node | undefined)) add(node, call.object);
      else if (isJestCall(node, 'fn') && returnsPromise(node.arguments[0] as Node | undefined)) add(node, node);
    },
    model.sourceCode.visitorKeys,
  );
  for (const name of factoryMocks(model)) names.add(name);
  return names;
}

/**
 * `jest.mock('./api', () => ({ save: jest.fn().mockResolvedValue(1) }))`: the file's own names for what the factory
 * makes async — `save` imported by name, `api.save` through a namespace or default import or a require.
 */
function factoryMocks(model: FileModel): string[] {
  const program = model.sourceCode.ast as unknown as { body: Node[] };
  const asyncKeys = new Map<string, Set<string>>();
  for (const statement of program.body) {
    if (statement.type !== 'ExpressionStatement' || !isJestCall(statement.expression as Node, 'mock')) continue;
    const call = statement.expression as CallNode;
    const source = call.arguments[0]?.type === 'Literal' ? String(call.arguments[0].value) : undefined;
    const factory = call.arguments[1] as Node | undefined;
    if (!source || !factory || !isFunction(factory)) continue;
    const body = factory.body as Node;
    const returned = body.type === 'BlockStatement' ? (body.body.find((s) => s.type === 'ReturnStatement') as { argument?: Node } | undefined)?.argument : body;
    const object = returned && unwrap(returned);
    if (object?.type !== 'ObjectExpression') continue;
    const keys = new Set<string>();
    for (const property of object.properties) {
      if (property.type !== 'Property' || property.computed || property.key.type !== 'Identifier') continue;
      if (isAsyncMockValue(property.value as Node)) keys.add(property.key.name);
    }
    if (keys.size > 0) asyncKeys.set(source, keys);
  }
  const names: string[] = [];
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration' && typeof statement.source.value === 'string') {
      const keys = asyncKeys.get(statement.source.value);
      if (!keys) continue;
      for (const specifier of statement.specifiers) {
        if (specifier.type === 'ImportSpecifier') {
          const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value);
          if (keys.has(imported)) names.push(specifier.local.name);
        } else {
          for (const key of keys) names.push(`${specifier.local.name}.${key}`);
        }
      }
    }
    if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) {
        const keys = asyncKeys.get(requiredModule(declarator.init as Node | null) ?? '');
        if (!keys) continue;
        if (declarator.id.type === 'Identifier') for (const key of keys) names.push(`${declarator.id.name}.${key}`);
        if (declarator.id.type === 'ObjectPattern') {
          for (const property of declarator.id.properties) {
            if (property.type === 'Property' && property.key.type === 'Identifier' && property.value.type === 'Identifier' && keys.has(property.key.name)) {
              names.push(property.value.name);
            }
          }
        }
      }
    }
  }
  return names;
}

/** `jest.fn(async …)`, `jest.fn().mockResolvedValue(…)`, `jest.fn().mockImplementation(async …)`. */
function isAsyncMockValue(node: Node): boolean {
  let current = unwrap(node);
  for (;;) {
    const call = isJestCall(current, 'fn') ? undefined : methodCall(current);
    if (!call) break;
    if (ASYNC_VALUES.has(call.method)) return true;
    if (IMPLEMENTATIONS.has(call.method) && returnsPromise(call.call.arguments[0] as Node | undefined)) return true;
    current = unwrap(call.object);
  }
  return isJestCall(current, 'fn') && returnsPromise(current.arguments[0] as Node | undefined);
}

function returnsPromise(implementation: Node | undefined): boolean {
  if (!implementation || !isFunction(implementation)) return false;
  if (implementation.async) return true;
  const body = implementation.body as Node;
  if (body.type !== 'BlockStatement') return isPromiseExpression(body);
  const last = body.body[body.body.length - 1] as Node | undefined;
  return last?.type === 'ReturnStatement' && !!last.argument && isPromiseExpression(last.argument as Node);
}

function isPromiseExpression(node: Node): boolean {
  const bare = unwrap(node);
  if (bare.type === 'NewExpression') return pathOf(bare.callee as Node) === 'Promise';
  return isCall(bare) && /^Promise\.(resolve|reject|all|allSettled|race|any)$/.test(calleePath(bare) ?? '');
}

/**
 * Known async APIs, by what the file imports: every function of `fs/promises` or `timers/promises`, `fs.promises.*`,
 * a supertest request chain, and the global `fetch` when the file does not declare its own.
 */
function asyncApis(model: FileModel): (call: CallNode) => 'api' | 'request' | undefined {
  const promiseBindings = new Set<string>();
  const promiseNamespaces = new Set<string>(['fs.promises']);
  const fsNamespaces = new Set<string>();
  const thenables = new Set<string>();
  const bind = (source: string, local: string, namespace: boolean): void => {
    if (PROMISE_MODULES.has(source)) (namespace ? promiseNamespaces : promiseBindings).add(local);
    if (THENABLE_MODULES.has(source) && namespace) thenables.add(local);
    if ((source === 'fs' || source === 'node:fs') && namespace) fsNamespaces.add(local);
  };
  const program = model.sourceCode.ast as unknown as { body: Node[] };
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration' && typeof statement.source.value === 'string') {
      for (const specifier of statement.specifiers) {
        bind(statement.source.value, specifier.local.name, specifier.type !== 'ImportSpecifier');
      }
    }
    if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) {
        const source = requiredModule(declarator.init as Node | null);
        if (!source) continue;
        if (declarator.id.type === 'Identifier') bind(source, declarator.id.name, true);
        if (declarator.id.type === 'ObjectPattern') {
          for (const property of declarator.id.properties) {
            if (property.type === 'Property' && property.value.type === 'Identifier') bind(source, property.value.name, false);
          }
        }
      }
    }
  }
  for (const fs of fsNamespaces) promiseNamespaces.add(`${fs}.promises`);
  const fetchDeclared = model.sourceCode.scopeManager.scopes.some((scope) => scope.variables.some((v) => v.name === 'fetch' && v.defs.length > 0));
  return (call) => {
    const path = calleePath(call);
    if (path !== undefined) {
      if (promiseBindings.has(path)) return 'api';
      const dot = path.lastIndexOf('.');
      if (dot > 0 && promiseNamespaces.has(path.slice(0, dot))) return 'api';
      if (path === 'fetch' && !fetchDeclared) return 'api';
    }
    // request(app).get('/').expect(200): a chain whose innermost call is supertest's.
    let current: Node = call;
    for (;;) {
      const method = methodCall(current);
      if (!method) break;
      current = unwrap(method.object);
    }
    return isCall(current) && thenables.has(calleePath(current) ?? '') && current !== call ? 'request' : undefined;
  };
}

function requiredModule(init: Node | null): string | undefined {
  if (!init) return undefined;
  let current = unwrap(init);
  if (current.type === 'AwaitExpression') current = unwrap(current.argument as Node);
  let member: string | undefined;
  if (current.type === 'MemberExpression') {
    member = memberKey(current);
    current = unwrap(current.object as Node);
  }
  let source: string | undefined;
  if (current.type === 'ImportExpression' && current.source.type === 'Literal') source = String(current.source.value);
  if (isCall(current) && calleePath(current) === 'require' && current.arguments[0]?.type === 'Literal') source = String(current.arguments[0].value);
  // require('fs').promises is fs/promises under another name.
  if ((source === 'fs' || source === 'node:fs') && member === 'promises') return 'fs/promises';
  return member === undefined || member === 'default' ? source : undefined;
}

function awaitFix(fixer: Rule.RuleFixer, expression: Node, fn: FunctionNode): Rule.Fix[] {
  const fixes = [fixer.insertTextBefore(expression as never, 'await ')];
  if (!fn.async) {
    // `async` goes before `function`, or before an arrow's parameters.
    fixes.push(fixer.insertTextBefore(fn as never, 'async '));
  }
  return fixes;
}
