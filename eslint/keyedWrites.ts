// Writes to the keys of an object every test shares (`process.env`, the global object), and whether a later write
// puts them back: what `leaked-env` and `leaked-global` reason about.

import { calleePath, isCall, memberKey, staticString, unwrap, type Node } from './astPaths';
import type { FileModel, Owner } from './testScopes';

export interface KeyedWrite {
  node: Node;
  /** The key written; '*' when it is computed. */
  key: string;
  kind: 'set' | 'delete' | 'define' | 'assign-all' | 'replace';
  value?: Node;
}

/** Whether a member's object is the shared object (`process.env`, `globalThis`…). */
export type TargetTest = (object: Node) => boolean;

export function keyedWrite(node: Node, isTarget: TargetTest, isWhole?: (node: Node) => boolean): KeyedWrite | undefined {
  if (node.type === 'AssignmentExpression') {
    const left = unwrap(node.left as Node);
    if (isWhole?.(left)) return { node, key: '*', kind: 'replace', value: node.right as Node };
    if (left.type === 'MemberExpression' && isTarget(left.object as Node)) return { node, key: memberKey(left) ?? '*', kind: 'set', value: node.right as Node };
  }
  if (node.type === 'UnaryExpression' && node.operator === 'delete') {
    const argument = unwrap(node.argument as Node);
    if (argument.type === 'MemberExpression' && isTarget(argument.object as Node)) return { node, key: memberKey(argument) ?? '*', kind: 'delete' };
  }
  if (isCall(node) && node.arguments[0] && isTarget(node.arguments[0] as Node)) {
    const path = calleePath(node);
    if (path === 'Object.assign') return { node, key: '*', kind: 'assign-all' };
    if (path === 'Object.defineProperty' || path === 'Reflect.defineProperty') return { node, key: staticString(node.arguments[1] as Node) ?? '*', kind: 'define' };
  }
  return undefined;
}

/**
 * Whether `later` undoes `write`. In a hook (an afterEach or afterAll in between, a later test's beforeEach) any
 * write to the same key counts — that is where code puts saved values back or sets them afresh; in the test's own
 * body only a delete or a
 * value that was not made on the spot (`process.env.X = saved`, `process.env = OLD_ENV`) does.
 */
export function putsBack(write: KeyedWrite, later: KeyedWrite, inHook: boolean): boolean {
  if (later.kind === 'assign-all') return true;
  if (later.kind !== 'replace') {
    // A computed key is put back only by another computed write; a named one by its own or a computed one.
    if (write.key === '*' ? later.key !== '*' : later.key !== write.key && later.key !== '*') return false;
  }
  if (inHook) return true;
  if (later.kind === 'delete') return write.kind !== 'delete';
  return !!later.value && !isFreshValue(later.value);
}

/** A value made on the spot (`'UTC'`, `{ ONLY: '1' }`, `{ ...process.env }`) is a new write, not a saved one put back. */
function isFreshValue(node: Node): boolean {
  const value = unwrap(node);
  return (
    value.type === 'Literal' || value.type === 'ObjectExpression' || value.type === 'ArrayExpression' || (value.type === 'TemplateLiteral' && value.expressions.length === 0)
  );
}

/** The writes the rules judge (in tests and beforeEach hooks) that reach a later test, in order. */
export function unrestoredWrites(model: FileModel, find: (node: Node) => KeyedWrite | undefined): Array<{ write: KeyedWrite; owner: Owner }> {
  const found: Array<{ write: KeyedWrite; owner: Owner }> = [];
  const reported = new Set<string>();
  const earlier = new Map<Owner, KeyedWrite[]>();
  for (const { node, owner } of model.ownedNodes()) {
    if (owner.kind === 'hook' && owner.hook.kind !== 'beforeEach') continue;
    const write = find(node);
    if (!write) continue;
    const before = earlier.get(owner) ?? [];
    earlier.set(owner, [...before, write]);
    // `process.env.TZ = saved` after `process.env.TZ = 'UTC'` is the test putting it back, not a write of its own.
    if (before.some((previous) => putsBack(previous, write, false))) continue;
    const undoes = (candidate: Node, place: { when: string }): boolean => {
      const later = find(candidate);
      return !!later && later.node !== write.node && putsBack(write, later, place.when !== 'own');
    };
    if (model.leaksInto(owner, node, undoes).length === 0) continue;
    const id = `${owner.kind === 'test' ? owner.test.call.range?.[0] : owner.hook.call.range?.[0]}:${write.key}`;
    if (reported.has(id)) continue; // one report per key and test: the first write
    reported.add(id);
    found.push({ write, owner });
  }
  return found;
}
