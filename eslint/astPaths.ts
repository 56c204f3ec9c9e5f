// How the plugin names ESTree expressions: `api.fetchUser`, the callee of a call, the mock a `.mock*()` chain is on.

import type * as ESTree from 'estree';

/** An ESTree node as ESLint hands it to rules: every node knows its parent (TypeScript nodes included). */
export type Node = ESTree.Node & { parent?: Node };
export type FunctionNode = (ESTree.ArrowFunctionExpression | ESTree.FunctionExpression | ESTree.FunctionDeclaration) & { parent?: Node };
export type CallNode = ESTree.CallExpression & { parent?: Node };

/** TypeScript's wrappers around an expression that do not change its value. */
const TRANSPARENT = new Set(['TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression', 'TSTypeAssertion', 'ChainExpression', 'TSInstantiationExpression']);

export function unwrap(node: Node): Node {
  let current = node;
  while (TRANSPARENT.has(current.type as string)) current = (current as unknown as { expression: Node }).expression;
  return current;
}

export function isFunction(node: Node | undefined | null): node is FunctionNode {
  return !!node && (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration');
}

export function isCall(node: Node | undefined | null): node is CallNode {
  return !!node && node.type === 'CallExpression';
}

/** The dotted path of an identifier or a member chain with static keys (`process.env.API_URL`), else undefined. */
export function pathOf(node: Node | undefined | null): string | undefined {
  if (!node) return undefined;
  const bare = unwrap(node);
  if (bare.type === 'Identifier') return bare.name;
  if (bare.type === 'ThisExpression') return 'this';
  if (bare.type === 'MemberExpression') {
    const key = memberKey(bare);
    const object = pathOf(bare.object as Node);
    return key !== undefined && object !== undefined ? `${object}.${key}` : undefined;
  }
  return undefined;
}

/** A member's static key: `a.b` and `a['b']` give `b`; a computed key gives undefined. */
export function memberKey(node: ESTree.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.property.type === 'Literal' && (typeof node.property.value === 'string' || typeof node.property.value === 'number')) {
    return String(node.property.value);
  }
  if (node.property.type === 'TemplateLiteral' && node.property.expressions.length === 0) return node.property.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

export function calleePath(call: CallNode): string | undefined {
  return pathOf(call.callee as Node);
}

/** `x.method(…)`: the method's name and the object it is called on. */
export function methodCall(node: Node): { object: Node; method: string; call: CallNode } | undefined {
  if (!isCall(node)) return undefined;
  const callee = unwrap(node.callee as Node);
  if (callee.type !== 'MemberExpression') return undefined;
  const method = memberKey(callee);
  return method === undefined ? undefined : { object: callee.object as Node, method, call: node };
}

/** A string the expression always is: a literal, a template without expressions. */
export function staticString(node: Node | undefined | null): string | undefined {
  if (!node) return undefined;
  const bare = unwrap(node);
  if (bare.type === 'Literal' && typeof bare.value === 'string') return bare.value;
  if (bare.type === 'TemplateLiteral' && bare.expressions.length === 0) return bare.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** Methods of a Jest mock that return the mock itself, so `jest.fn().mockReturnValue(1)` is still the mock. */
export function isMockMethod(name: string): boolean {
  return /^mock[A-Z]/.test(name) || name === 'withImplementation';
}

/**
 * The mock a chain of `.mock*()` calls is on: `fetchUser.mockResolvedValueOnce(a).mockResolvedValueOnce(b)` → the
 * `fetchUser` expression; `jest.mocked(fetchUser)` and `(fetchUser as jest.Mock)` look through to `fetchUser`.
 */
export function mockBase(node: Node): Node {
  let current = unwrap(node);
  for (;;) {
    const method = methodCall(current);
    if (method && isMockMethod(method.method)) {
      current = unwrap(method.object);
      continue;
    }
    if (isCall(current) && ['jest.mocked', 'mocked'].includes(calleePath(current) ?? '') && current.arguments[0]) {
      current = unwrap(current.arguments[0] as Node);
      continue;
    }
    return current;
  }
}

/** The name code uses for a mock: `jest.spyOn(api, 'fetchUser')` is `api.fetchUser`, a variable is its name. */
export function mockName(node: Node): string | undefined {
  const base = mockBase(node);
  if (isCall(base) && ['jest.spyOn', 'jest.replaceProperty'].includes(calleePath(base) ?? '')) {
    const object = pathOf(base.arguments[0] as Node | undefined);
    const key = staticString(base.arguments[1] as Node | undefined);
    return object !== undefined && key !== undefined ? `${object}.${key}` : undefined;
  }
  if (isCall(base) && calleePath(base) === 'jest.fn') return boundName(base);
  return pathOf(base);
}

/**
 * The variable or property an expression's value is stored in, looking through `.mock*()` chains:
 * `const spy = jest.spyOn(a, 'b').mockReturnValue(1)` gives `spy`; `this.spy = …` gives `this.spy`.
 */
export function boundName(node: Node): string | undefined {
  let current: Node = node;
  for (;;) {
    const parent = current.parent;
    if (!parent) return undefined;
    if (TRANSPARENT.has(parent.type as string)) {
      current = parent;
      continue;
    }
    if (parent.type === 'MemberExpression' && parent.object === current && memberKey(parent) && isMockMethod(memberKey(parent)!)) {
      const call = parent.parent;
      if (isCall(call) && call.callee === parent) {
        current = call;
        continue;
      }
      return undefined;
    }
    if (parent.type === 'VariableDeclarator' && parent.init === current && parent.id.type === 'Identifier') return parent.id.name;
    if (parent.type === 'AssignmentExpression' && parent.right === current) return pathOf(parent.left as Node);
    return undefined;
  }
}

/** Calls `visit` on every node under `root` (root included), in source order. */
export function walk(root: Node, visit: (node: Node) => void, visitorKeys: Readonly<Record<string, readonly string[] | undefined>>): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    const keys = visitorKeys[node.type] ?? [];
    for (let k = keys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, unknown>)[keys[k]!];
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) if (isNode(child[i])) stack.push(child[i] as Node);
      } else if (isNode(child)) {
        stack.push(child);
      }
    }
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
