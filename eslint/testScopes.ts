// The per-test scope model every rule shares: the file's describe blocks, their tests and hooks, which hooks apply
// to a test, and which later tests of the file something a test (or a beforeEach) does can reach — a leak is only a
// leak when a test that runs after it sees it (each test file gets its own globals, env copy and module registry).

import type { SourceCode } from 'eslint';
import { calleePath, isCall, isFunction, pathOf, unwrap, walk, type CallNode, type FunctionNode, type Node } from './astPaths';

export type HookKind = 'beforeEach' | 'afterEach' | 'beforeAll' | 'afterAll';
const HOOKS: readonly string[] = ['beforeEach', 'afterEach', 'beforeAll', 'afterAll'];
const DESCRIBES = new Set(['describe', 'fdescribe', 'xdescribe']);
const TESTS = new Set(['test', 'it', 'fit', 'xit', 'xtest']);
const MODIFIERS = new Set(['only', 'skip', 'concurrent', 'each', 'failing']);

export interface Block {
  /** The `describe(…)` call, or the Program for the file itself. */
  node: Node;
  parent: Block | undefined;
  hooks: Hook[];
  tests: TestCase[];
  blocks: Block[];
}

export interface Hook {
  kind: HookKind;
  call: CallNode;
  fn: FunctionNode;
  block: Block;
}

export interface TestCase {
  call: CallNode;
  fn: FunctionNode;
  block: Block;
  /** `test.each(table)(…)`: the callback's parameters are the table's values, not a `done` callback. */
  each: boolean;
}

/** The test or hook whose run a piece of code belongs to. */
export type Owner = { kind: 'test'; test: TestCase } | { kind: 'hook'; hook: Hook };

/** A function body in which something can be undone, and from which point on (a test undoing its own doing). */
export interface CleanupPlace {
  fn: FunctionNode;
  /** Only code starting after this offset counts (the trigger's own position in the same function). */
  after: number;
  /**
   * 'own': later in the same test or hook; 'after': an afterEach or afterAll that runs before the later test;
   * 'before': a beforeEach of the later test, which sets the thing up afresh for it.
   */
  when: 'own' | 'after' | 'before';
}

/** Whether code at a place undoes (or sets afresh) what was done. */
export type Undoes = (node: Node, place: CleanupPlace) => boolean;

export interface FileModel {
  root: Block;
  tests: TestCase[];
  hooks: Hook[];
  sourceCode: SourceCode;
  ownerOf(node: Node): Owner | undefined;
  /** Every node in a test or hook body, with its owner; in source order. */
  ownedNodes(): Array<{ node: Node; owner: Owner }>;
  /**
   * The later tests of the file that a thing done at `node` by `owner` reaches: those before which no place runs
   * that undoes it. A test runs after the tests defined before it; a `test.each` test also after itself (its next
   * row); what a beforeEach does reaches only the tests after its own block, its block's tests get it anyway.
   */
  leaksInto(owner: Owner, node: Node, undoes: Undoes): TestCase[];
  /** The hooks of a kind that run around a test: its block's and every enclosing block's. */
  hooksFor(test: TestCase, kind: HookKind): Hook[];
  /** Every node of a function, in source order (walked once per function and kept). */
  nodesIn(fn: Node): readonly Node[];
  /** The first node in these places that matches. */
  findIn(places: CleanupPlace[], match: (node: Node, place: CleanupPlace) => boolean): Node | undefined;
}

const models = new WeakMap<object, FileModel>();

/** The model of a file, built once and shared by every rule that lints it. */
export function fileModel(sourceCode: SourceCode): FileModel {
  let model = models.get(sourceCode.ast);
  if (!model) {
    model = buildModel(sourceCode);
    models.set(sourceCode.ast, model);
  }
  return model;
}

export type JestCallKind = 'describe' | 'test' | HookKind;

/** What a call is to Jest: `describe.each(t)('…', fn)` is a describe, `it.concurrent.only(…)` a test. */
export function jestCallKind(call: CallNode): { kind: JestCallKind; modifiers: string[] } | undefined {
  let callee = unwrap(call.callee as Node);
  let applied = false;
  if (callee.type === 'CallExpression') {
    callee = unwrap(callee.callee as Node);
    applied = true;
  } else if (callee.type === 'TaggedTemplateExpression') {
    callee = unwrap(callee.tag as Node);
    applied = true;
  }
  const path = pathOf(callee);
  if (!path) return undefined;
  const [head, ...modifiers] = path.split('.');
  if (!head) return undefined;
  if (HOOKS.includes(head)) return modifiers.length === 0 && !applied ? { kind: head as HookKind, modifiers } : undefined;
  if (!DESCRIBES.has(head) && !TESTS.has(head)) return undefined;
  if (!modifiers.every((word) => MODIFIERS.has(word))) return undefined;
  // `test.each(table)` alone is not a test; `test.each(table)(name, fn)` is.
  if (modifiers.includes('each') !== applied) return undefined;
  return { kind: DESCRIBES.has(head) ? 'describe' : 'test', modifiers };
}

function callback(call: CallNode, index: number): FunctionNode | undefined {
  const argument = call.arguments[index] as Node | undefined;
  return argument && isFunction(argument) ? argument : undefined;
}

function buildModel(sourceCode: SourceCode): FileModel {
  const ast = sourceCode.ast as unknown as Node;
  const keys = sourceCode.visitorKeys;
  const root: Block = { node: ast, parent: undefined, hooks: [], tests: [], blocks: [] };
  const blockOfFn = new Map<Node, Block>();
  const ownerOfFn = new Map<Node, Owner>();
  const tests: TestCase[] = [];
  const hooks: Hook[] = [];

  const enclosingBlock = (node: Node): Block | undefined => {
    for (let current = node.parent; current; current = current.parent) {
      if (blockOfFn.has(current)) return blockOfFn.get(current);
      if (ownerOfFn.has(current)) return undefined; // a describe or hook inside a test: not Jest's to collect
      if (current.type === 'Program') return root;
    }
    return root;
  };

  walk(
    ast,
    (node) => {
      if (!isCall(node)) return;
      const jest = jestCallKind(node);
      if (!jest) return;
      const block = enclosingBlock(node);
      if (!block) return;
      if (jest.kind === 'describe') {
        const fn = callback(node, 1);
        if (!fn) return;
        const child: Block = { node, parent: block, hooks: [], tests: [], blocks: [] };
        block.blocks.push(child);
        blockOfFn.set(fn, child);
      } else if (jest.kind === 'test') {
        const fn = callback(node, 1);
        if (!fn) return;
        const test: TestCase = { call: node, fn, block, each: jest.modifiers.includes('each') };
        block.tests.push(test);
        tests.push(test);
        ownerOfFn.set(fn, { kind: 'test', test });
      } else {
        const fn = callback(node, 0);
        if (!fn) return;
        const hook: Hook = { kind: jest.kind, call: node, fn, block };
        block.hooks.push(hook);
        hooks.push(hook);
        ownerOfFn.set(fn, { kind: 'hook', hook });
      }
    },
    keys,
  );

  const chain = (block: Block): Block[] => {
    const blocks: Block[] = [];
    for (let current: Block | undefined = block; current; current = current.parent) blocks.push(current);
    return blocks;
  };
  const hooksOf = (block: Block, kind: HookKind): Hook[] => chain(block).flatMap((b) => b.hooks.filter((hook) => hook.kind === kind));
  const place = (hook: Hook, when: CleanupPlace['when']): CleanupPlace => ({ fn: hook.fn, after: -1, when });
  const contains = (outer: Block, inner: Block): boolean => chain(inner).includes(outer);
  const order = new Map(tests.map((test, index) => [test, index]));
  // With `jest.retryTimes(n)` in the file, a failed test runs again after itself, like a test.each row.
  const retried = (ast as unknown as { body: Node[] }).body.some(
    (statement) => statement.type === 'ExpressionStatement' && isCall(statement.expression as Node) && calleePath(statement.expression as CallNode) === 'jest.retryTimes',
  );
  const nodesOf = new Map<Node, Node[]>();
  const nodesIn = (fn: Node): readonly Node[] => {
    let nodes = nodesOf.get(fn);
    if (!nodes) {
      const list: Node[] = [];
      walk(fn, (node) => list.push(node), keys);
      nodes = list;
      nodesOf.set(fn, nodes);
    }
    return nodes;
  };
  const findIn = (places: CleanupPlace[], match: (node: Node, place: CleanupPlace) => boolean): Node | undefined => {
    for (const place of places) {
      for (const node of nodesIn(place.fn)) if ((node.range?.[0] ?? 0) >= place.after && match(node, place)) return node;
    }
    return undefined;
  };

  let owned: Array<{ node: Node; owner: Owner }> | undefined;

  return {
    root,
    tests,
    hooks,
    sourceCode,
    ownerOf(node) {
      for (let current: Node | undefined = node; current; current = current.parent) {
        const owner = ownerOfFn.get(current);
        if (owner) return owner;
        if (blockOfFn.has(current)) return undefined;
      }
      return undefined;
    },
    ownedNodes() {
      if (!owned) {
        owned = [];
        for (const [fn, owner] of ownerOfFn) for (const node of nodesIn(fn)) owned.push({ node, owner });
        owned.sort((a, b) => (a.node.range?.[0] ?? 0) - (b.node.range?.[0] ?? 0));
      }
      return owned;
    },
    leaksInto(owner, node, undoes) {
      const block = owner.kind === 'test' ? owner.test.block : owner.hook.block;
      if (owner.kind === 'hook' && owner.hook.kind !== 'beforeEach') return [];
      const own: CleanupPlace = { fn: owner.kind === 'test' ? owner.test.fn : owner.hook.fn, after: node.range?.[1] ?? 0, when: 'own' };
      // afterEach hooks around the owner run after it, before any later test.
      const always = [own, ...hooksOf(block, 'afterEach').map((hook) => place(hook, 'after'))];
      if (findIn(always, undoes)) return [];
      let later: TestCase[];
      if (owner.kind === 'test') {
        const index = order.get(owner.test)!;
        later = tests.filter((test) => order.get(test)! > index || (test === owner.test && (test.each || retried)));
      } else {
        const inside = (test: TestCase): boolean => contains(block, test.block);
        const last = Math.max(-1, ...tests.filter(inside).map((test) => order.get(test)!));
        later = tests.filter((test) => order.get(test)! > last && !inside(test));
      }
      // Later tests mostly share their hooks: judge each hook once.
      const verdicts = new Map<Hook, boolean>();
      const undoneBy = (hook: Hook, when: CleanupPlace['when']): boolean => {
        let verdict = verdicts.get(hook);
        if (verdict === undefined) {
          verdict = !!findIn([place(hook, when)], undoes);
          verdicts.set(hook, verdict);
        }
        return verdict;
      };
      return later.filter((test) => {
        // afterAll hooks of the blocks the owner is in and the later test is not: they run in between.
        const between = chain(block)
          .filter((b) => !contains(b, test.block))
          .flatMap((b) => b.hooks.filter((hook) => hook.kind === 'afterAll'));
        return !between.some((hook) => undoneBy(hook, 'after')) && !hooksOf(test.block, 'beforeEach').some((hook) => undoneBy(hook, 'before'));
      });
    },
    hooksFor(test, kind) {
      return hooksOf(test.block, kind);
    },
    nodesIn,
    findIn,
  };
}

/** The owners whose doings the rules judge: tests, and `beforeEach` hooks (they run for each test). */
export function isJudged(owner: Owner | undefined): owner is Owner {
  if (!owner) return false;
  return owner.kind === 'test' || owner.hook.kind === 'beforeEach';
}

/** A `jest.x(…)` call, by method name. */
export function isJestCall(node: Node, ...methods: string[]): node is CallNode {
  if (!isCall(node)) return false;
  const path = calleePath(node);
  return path !== undefined && methods.some((method) => path === `jest.${method}`);
}
