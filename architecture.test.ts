// The layers of ARCHITECTURE.md, checked: every import of every module (specs aside) against what its layer may
// import, and no import cycle between modules. Reads the sources with TypeScript's parser; runs in milliseconds.

import * as fs from 'fs';
import * as path from 'path';
import { builtinModules } from 'module';
import * as ts from 'typescript';

type Layer = 'core' | 'io' | 'runner' | 'environment' | 'reporter' | 'config' | 'cli' | 'eslint';

const NODE = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
/** Jest's packages: the adapters load them, and io/jestHost for them; core/ never does. */
const JEST = /^(jest|jest-[a-z-]+|@jest\/[a-z-]+)$/;

interface Rule {
  /** Layers whose modules this one may import (its own included when listed). */
  layers: readonly Layer[];
  /** Packages (node built-ins included) it may load at run time; type-only imports of packages are free. */
  packages: (name: string) => boolean;
}

/** Computing on strings and bytes: no file system, no processes, no network, no Jest. */
const PURE_NODE = new Set(['path', 'zlib', 'crypto', 'util']);

const RULES: Record<Layer, Rule> = {
  core: { layers: ['core'], packages: (name) => PURE_NODE.has(name.replace(/^node:/, '')) || name === 'fast-xml-parser' },
  // io/jestHost loads the running Jest's own packages (requireFromJest) for the adapters.
  io: { layers: ['core', 'io'], packages: (name) => NODE.has(name) || JEST.test(name) },
  runner: { layers: ['core', 'io', 'runner'], packages: (name) => NODE.has(name) || JEST.test(name) },
  environment: { layers: ['core', 'io', 'environment'], packages: (name) => NODE.has(name) || JEST.test(name) },
  reporter: { layers: ['core', 'io', 'reporter'], packages: (name) => NODE.has(name) || JEST.test(name) },
  // The config helper assembles the adapters: it names the environment it wraps and prints after Jest's summary.
  config: { layers: ['core', 'io', 'config', 'environment', 'reporter'], packages: (name) => NODE.has(name) || JEST.test(name) },
  cli: { layers: ['core', 'io', 'cli', 'config', 'eslint'], packages: (name) => NODE.has(name) || name === 'eslint' },
  eslint: {
    layers: ['core', 'io', 'eslint'],
    packages: (name) => NODE.has(name) || ['eslint', 'espree', '@typescript-eslint/parser', 'jest-flakeguard'].includes(name),
  },
};

const ROOT = __dirname;
const LAYERS = Object.keys(RULES) as Layer[];

interface Import {
  specifier: string;
  /** Erased by the compiler (`import type`, `typeof import(…)`): couples types, loads nothing. */
  typeOnly: boolean;
  line: number;
}

/**
 * Every module `source` loads or names the types of: imports, re-exports, require, import(), requireFromJest, import
 * types. `require.resolve` is left out: it names a file to hand Jest (`--runner`) and loads nothing.
 */
function importsOf(source: string, file = 'module.ts'): Import[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const found: Import[] = [];
  const add = (node: ts.Node, literal: ts.Expression | undefined, typeOnly: boolean): void => {
    if (literal && ts.isStringLiteralLike(literal)) {
      found.push({ specifier: literal.text, typeOnly, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node, node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.getText(sf) : '';
      if (callee.kind === ts.SyntaxKind.ImportKeyword || ['require', 'requireFromJest'].includes(name)) {
        add(node, node.arguments[0], false);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

const packageName = (specifier: string): string => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);

const layerOf = (file: string): Layer | undefined => LAYERS.find((layer) => file.startsWith(`${layer}/`));

/** The repository-relative `.ts` file a relative specifier of `from` names, or undefined (a `.js` or JSON file). */
function resolveLocal(from: string, specifier: string, exists: (file: string) => boolean): string | undefined {
  const target = path.posix.join(path.posix.dirname(from), specifier);
  return [`${target}.ts`, `${target}/index.ts`].find(exists);
}

/**
 * What is wrong with `file`'s imports under RULES, one line each; `exists` tells which repository files exist.
 * Specs (`*.test.ts`) are not checked: they may set up anything they test.
 */
function violations(file: string, source: string, exists: (file: string) => boolean): string[] {
  const layer = layerOf(file);
  if (!layer) return [`${file}: in no layer of ARCHITECTURE.md`];
  const rule = RULES[layer];
  const problems: string[] = [];
  for (const { specifier, typeOnly, line } of importsOf(source, file)) {
    const at = `${file}:${line}`;
    if (specifier.startsWith('.')) {
      const target = resolveLocal(file, specifier, exists);
      if (!target) continue; // a data file or generated JS: not a module of a layer
      const targetLayer = layerOf(target);
      if (!targetLayer || !rule.layers.includes(targetLayer)) problems.push(`${at}: ${layer}/ may not import ${target} (${targetLayer ?? 'no layer'}/)`);
    } else if (!typeOnly && !rule.packages(packageName(specifier))) {
      problems.push(`${at}: ${layer}/ may not load the package "${specifier}"`);
    }
  }
  return problems;
}

/** Cycles of local imports among `graph`'s modules (type-only ones included: they still tangle the modules). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) walk(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) walk(node);
  return found;
}

function moduleFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) files.push(rel);
    }
  };
  for (const layer of LAYERS) walk(layer);
  return files.sort();
}

const exists = (file: string): boolean => fs.existsSync(path.join(ROOT, file));

describe('the layers of ARCHITECTURE.md', () => {
  const files = moduleFiles();
  const sources = new Map(files.map((file) => [file, fs.readFileSync(path.join(ROOT, file), 'utf8')]));

  test('every module imports only what its layer may', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((file) => violations(file, sources.get(file)!, exists))).toEqual([]);
  });

  test('no two modules import each other, directly or around a cycle', () => {
    const graph = new Map(
      files.map((file) => [
        file,
        importsOf(sources.get(file)!, file)
          .filter((i) => i.specifier.startsWith('.'))
          .map((i) => resolveLocal(file, i.specifier, exists))
          .filter((target): target is string => target !== undefined),
      ]),
    );
    expect(cycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  test('the checker sees each kind of import, and refuses what a layer may not do', () => {
    const source = [
      "import * as fs from 'fs';",
      "import type { Config } from 'jest';",
      "import { planLanes } from './lanes';",
      "export { x } from '../reporter/index';",
      "const r = require('jest-runner');",
      "type D = typeof import('jest-docblock');",
      "const h = requireFromJest<typeof import('jest-worker')>('jest-worker');",
    ].join('\n');
    expect(importsOf(source).map((i) => [i.specifier, i.typeOnly, i.line])).toEqual([
      ['fs', false, 1],
      ['jest', true, 2],
      ['./lanes', false, 3],
      ['../reporter/index', false, 4],
      ['jest-runner', false, 5],
      ['jest-docblock', true, 6],
      ['jest-worker', false, 7],
      ['jest-worker', true, 7],
    ]);
    const here = (file: string) => ['core/lanes.ts', 'reporter/index.ts'].includes(file);
    expect(violations('core/x.ts', source, here)).toEqual([
      'core/x.ts:1: core/ may not load the package "fs"',
      'core/x.ts:4: core/ may not import reporter/index.ts (reporter/)',
      'core/x.ts:5: core/ may not load the package "jest-runner"',
      'core/x.ts:7: core/ may not load the package "jest-worker"',
    ]);
    expect(violations('runner/x.ts', "import { a } from '../environment/index';", (f) => f === 'environment/index.ts')).toEqual([
      'runner/x.ts:1: runner/ may not import environment/index.ts (environment/)',
    ]);
    expect(violations('lib/x.ts', '', here)).toEqual(['lib/x.ts: in no layer of ARCHITECTURE.md']);
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['a']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'a']]);
  });
});
