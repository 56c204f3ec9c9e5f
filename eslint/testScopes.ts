// The per-test scope model every rule shares: the file's describe blocks, their tests and hooks, which hooks apply
// to a test, and where something a test (or a beforeEach) does can still be undone before the next test starts.

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
  where: string;
}

export interface FileModel {
  root: Block;
  tests: TestCase[];
  hooks: Hook[];
  sourceCode: SourceCode;
  ownerOf(node: Node): Owner | undefined;
  /** Every node in a test or hook body, with its owner; in source order. */
  ownedNodes(): Array<{ node: Node; owner: Owner }>;
  /** Where a thing done at `node` by `owner` can be undone before another test starts. */
  cleanupPlaces(owner: Owner, node: Node): CleanupPlace[];
  /** The hooks of a kind that run around a test: its block's and every enclosing block's. */
  hooksFor(test: TestCase, kind: HookKind): Hook[];
  /** Whether any node in these places matches. */
  findIn(places: CleanupPlace[], match: (node: Node) => boolean): Node | undefined;
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
  const place = (hook: Hook): CleanupPlace => ({ fn: hook.fn, after: -1, where: `${hook.kind} (line ${hook.call.loc?.start.line})` });

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
        for (const [fn, owner] of ownerOfFn) walk(fn, (node) => owned!.push({ node, owner }), keys);
        owned.sort((a, b) => (a.node.range?.[0] ?? 0) - (b.node.range?.[0] ?? 0));
      }
      return owned;
    },
    cleanupPlaces(owner, node) {
      if (owner.kind === 'test') {
        const { test } = owner;
        return [{ fn: test.fn, after: node.range?.[1] ?? 0, where: 'the test' }, ...hooksOf(test.block, 'afterEach').map(place)];
      }
      const { hook } = owner;
      if (hook.kind !== 'beforeEach') return [];
      // What a beforeEach does is undone by an afterEach around the same tests, or by its own block's afterAll:
      // every test in the block gets it anyway, and it is gone before any test outside the block runs.
      return [
        { fn: hook.fn, after: node.range?.[1] ?? 0, where: 'the hook' },
        ...hooksOf(hook.block, 'afterEach').map(place),
        ...hook.block.hooks.filter((h) => h.kind === 'afterAll').map(place),
      ];
    },
    hooksFor(test, kind) {
      return hooksOf(test.block, kind);
    },
    findIn(places, match) {
      let found: Node | undefined;
      for (const { fn, after } of places) {
        walk(
          fn,
          (node) => {
            if (!found && (node.range?.[0] ?? 0) >= after && match(node)) found = node;
          },
          keys,
        );
        if (found) return found;
      }
      return undefined;
    },
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
