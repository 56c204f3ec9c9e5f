// Which of Jest's mock-reset options (`restoreMocks`, `resetMocks`, `clearMocks`, `resetModules`) apply to a test
// file: from `settings.flakeguard.jest`, else read — never executed — from the Jest config found above the file.

import * as fs from 'fs';
import * as path from 'path';
import type { Rule } from 'eslint';
import { memberKey, pathOf, unwrap, type Node } from './astPaths';
import { projectTakes } from './testMatch';

export interface JestMockOptions {
  restoreMocks: boolean;
  resetMocks: boolean;
  clearMocks: boolean;
  resetModules: boolean;
}

export const OPTION_NAMES: ReadonlyArray<keyof JestMockOptions> = ['restoreMocks', 'resetMocks', 'clearMocks', 'resetModules'];

const NONE: JestMockOptions = { restoreMocks: false, resetMocks: false, clearMocks: false, resetModules: false };
const CONFIG_FILES = ['jest.config.js', 'jest.config.ts', 'jest.config.mjs', 'jest.config.cjs', 'jest.config.mts', 'jest.config.cts', 'jest.config.json'];

/** A parser as ESLint holds it in `languageOptions.parser`. */
interface Parser {
  parse?(code: string, options?: object): unknown;
  parseForESLint?(code: string, options?: object): { ast: unknown };
}

/** Per parser (a `.ts` config is readable with the TypeScript parser only), per config file, kept while its mtime holds. */
const cache = new WeakMap<object, Map<string, { mtimeMs: number; config: unknown }>>();
const NO_PARSER = {};

/**
 * The options for the file being linted. `settings.flakeguard.jest` (e.g. `{ restoreMocks: true }`) wins key by key;
 * a JS or TS config is read by parsing its exported object literal with the file's own parser: a config built by
 * code (a function, a spread of another file's object) gives nothing for the keys it hides: the rules then assume
 * Jest's defaults (all off) and may report what the config would have cleaned up; `settings` says otherwise.
 */
export function jestMockOptions(context: Rule.RuleContext): JestMockOptions {
  const fromSettings = settingsOptions(context.settings);
  const found = findConfig(path.dirname(context.filename));
  const config = found ? readConfig(found, context.languageOptions.parser as Parser | undefined) : undefined;
  const fromFile = found ? fromObject(config, context.filename, path.dirname(found.file)) : {};
  return { ...NONE, ...fromFile, ...fromSettings };
}

function settingsOptions(settings: Record<string, unknown> | undefined): Partial<JestMockOptions> {
  const jest = (settings?.flakeguard as { jest?: unknown } | undefined)?.jest;
  const options: Partial<JestMockOptions> = {};
  if (typeof jest !== 'object' || jest === null) return options;
  for (const name of OPTION_NAMES) {
    const value = (jest as Record<string, unknown>)[name];
    if (typeof value === 'boolean') options[name] = value;
  }
  return options;
}

/** Jest's own search: from the file's folder up, the first `jest.config.*` or package.json with a "jest" key. */
export function findConfig(start: string): { file: string; kind: 'package' | 'json' | 'code' } | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    for (const name of CONFIG_FILES) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) return { file, kind: name.endsWith('.json') ? 'json' : 'code' };
    }
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && hasJestKey(manifest)) return { file: manifest, kind: 'package' };
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return undefined;
  }
}

function hasJestKey(manifest: string): boolean {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'jest' in parsed;
  } catch {
    return false;
  }
}

/** The config as plain data, as far as it is literal; undefined when it cannot be read. */
function readConfig(found: { file: string; kind: 'package' | 'json' | 'code' }, parser: Parser | undefined): unknown {
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(found.file).mtimeMs;
  } catch {
    return undefined;
  }
  const byFile = cache.get(parser ?? NO_PARSER) ?? new Map<string, { mtimeMs: number; config: unknown }>();
  cache.set(parser ?? NO_PARSER, byFile);
  const cached = byFile.get(found.file);
  if (cached && cached.mtimeMs === mtimeMs) return cached.config;
  let config: unknown;
  try {
    const text = fs.readFileSync(found.file, 'utf8');
    if (found.kind === 'code') config = parser ? readCodeConfig(text, found.file, parser) : undefined;
    else {
      const parsed: unknown = JSON.parse(text);
      config = found.kind === 'package' ? (parsed as { jest?: unknown }).jest : parsed;
    }
  } catch {
    config = undefined;
  }
  byFile.set(found.file, { mtimeMs, config });
  return config;
}

/**
 * The options a config gives a test file. With `projects`, the projects whose literal `testMatch` / `testRegex`
 * take the file decide: a key is on when every one of them turns it on. When some project's patterns are not
 * plain data, a key any candidate project turns on counts as on: the plugin cannot tell, and stays quiet.
 */
export function fromObject(config: unknown, file: string, configDir: string): Partial<JestMockOptions> {
  const options: Partial<JestMockOptions> = {};
  if (typeof config !== 'object' || config === null) return options;
  const record = config as Record<string, unknown>;
  const projects = Array.isArray(record.projects) ? record.projects.filter((p): p is Record<string, unknown> => typeof p === 'object' && p !== null) : [];
  const verdicts = projects.map((project) => ({ project, takes: projectTakes(project, file, configDir) }));
  const candidates = verdicts.filter((verdict) => verdict.takes !== false);
  const certain = candidates.every((verdict) => verdict.takes === true);
  for (const name of OPTION_NAMES) {
    const inProjects = candidates.length > 0 && (certain ? candidates.every((c) => c.project[name] === true) : candidates.some((c) => c.project[name] === true));
    if (record[name] === true || inProjects) options[name] = true;
  }
  return options;
}

function readCodeConfig(text: string, file: string, parser: Parser): unknown {
  const parseOptions = { ecmaVersion: 'latest', sourceType: 'module', range: true, loc: true, filePath: file };
  const ast = (parser.parseForESLint ? parser.parseForESLint(text, parseOptions).ast : parser.parse?.(text, parseOptions)) as { body: Node[] } | undefined;
  if (!ast) return undefined;
  const exported = exportedExpression(ast.body);
  return exported ? literalValue(exported, ast.body, 0) : undefined;
}

/** `module.exports = X`, `export default X`, `export = X`. */
function exportedExpression(body: Node[]): Node | undefined {
  for (const statement of body) {
    if (statement.type === 'ExportDefaultDeclaration') return statement.declaration as Node;
    if ((statement.type as string) === 'TSExportAssignment') return (statement as unknown as { expression: Node }).expression;
    if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression' && pathOf(statement.expression.left as Node) === 'module.exports') {
      return statement.expression.right as Node;
    }
  }
  return undefined;
}

/** The plain data an expression stands for, where it is literal; a config helper `f({…})` is taken as its first argument. */
function literalValue(node: Node, body: Node[], depth: number): unknown {
  if (depth > 8) return undefined;
  const bare = unwrap(node);
  switch (bare.type) {
    case 'Literal':
      return bare.value;
    case 'ObjectExpression': {
      const object: Record<string, unknown> = {};
      for (const property of bare.properties) {
        if (property.type !== 'Property' || property.computed) continue;
        const key = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'Literal' ? String(property.key.value) : undefined;
        if (key !== undefined) object[key] = literalValue(property.value as Node, body, depth + 1);
      }
      return object;
    }
    case 'ArrayExpression':
      return bare.elements.map((element) => (element && element.type !== 'SpreadElement' ? literalValue(element as Node, body, depth + 1) : undefined));
    case 'CallExpression':
      return bare.arguments[0] && bare.arguments[0].type !== 'SpreadElement' ? literalValue(bare.arguments[0] as Node, body, depth + 1) : undefined;
    case 'Identifier': {
      const init = topLevelConst(body, bare.name);
      return init ? literalValue(init, body, depth + 1) : undefined;
    }
    case 'MemberExpression': {
      const object = literalValue(bare.object as Node, body, depth + 1);
      const key = memberKey(bare);
      return typeof object === 'object' && object !== null && key !== undefined ? (object as Record<string, unknown>)[key] : undefined;
    }
    default:
      return undefined;
  }
}

function topLevelConst(body: Node[], name: string): Node | undefined {
  for (const statement of body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? (statement.declaration as Node | null) : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations) {
      if (declarator.id.type === 'Identifier' && declarator.id.name === name && declarator.init) return declarator.init as Node;
    }
  }
  return undefined;
}
