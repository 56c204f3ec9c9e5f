// Whether a Jest project takes a test file, by its literal `testMatch` globs or `testRegex`: how the plugin tells
// which project's `restoreMocks` applies to a file when a config lists `projects`.

import * as path from 'path';

export interface ProjectMatch {
  testMatch?: unknown;
  testRegex?: unknown;
  rootDir?: unknown;
  roots?: unknown;
}

/** Jest's default `testMatch` (Jest 30; 29's is the same without `.mjs`/`.cjs`). */
const DEFAULT_TEST_MATCH = ['**/__tests__/**/*.?([mc])[jt]s?(x)', '**/?(*.)+(spec|test).?([mc])[jt]s?(x)'];

/** true or false when the project's own patterns say; undefined when they are not plain data the plugin can read. */
export function projectTakes(project: ProjectMatch, file: string, configDir: string): boolean | undefined {
  const rootDir = typeof project.rootDir === 'string' ? path.resolve(configDir, project.rootDir.replace('<rootDir>', '.')) : configDir;
  const posix = file.split(path.sep).join('/');
  if (project.testRegex !== undefined) {
    const regexes = Array.isArray(project.testRegex) ? project.testRegex : [project.testRegex];
    if (!regexes.every((regex): regex is string => typeof regex === 'string')) return undefined;
    try {
      return regexes.some((regex) => new RegExp(regex).test(posix));
    } catch {
      return undefined;
    }
  }
  // Without patterns of its own a project takes Jest's default ones — unless `roots` narrows them.
  if (project.testMatch === undefined && project.roots !== undefined) return undefined;
  const testMatch = project.testMatch ?? DEFAULT_TEST_MATCH;
  const globs = Array.isArray(testMatch) ? testMatch : [testMatch];
  if (!globs.every((glob): glob is string => typeof glob === 'string')) return undefined;
  const root = rootDir.split(path.sep).join('/');
  const positive = globs.filter((glob) => !glob.startsWith('!'));
  const negative = globs.filter((glob) => glob.startsWith('!')).map((glob) => glob.slice(1));
  const matches = (glob: string): boolean => globToRegExp(glob.replace(/<rootDir>/g, root)).test(posix);
  return positive.some(matches) && !negative.some(matches);
}

/**
 * A glob as Jest's micromatch reads it, for the shapes configs use: `**`, `*`, `?`, `{a,b}`, and the extglobs
 * `?(…)`, `*(…)`, `+(…)`, `@(…)`, `!(…)` (as in Jest's default `**\/?(*.)+(spec|test).[jt]s?(x)`). A relative glob
 * matches at any depth, as micromatch's `matchBase`-less test of an absolute path does with a leading `**`.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  const groups: string[] = [];
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    const next = glob[i + 1];
    if ('?*+@!'.includes(char) && next === '(') {
      groups.push(char);
      out += char === '!' ? '(?:(?!' : '(?:';
      i++;
    } else if (char === ')' && groups.length > 0) {
      const kind = groups.pop()!;
      out += kind === '!' ? ')[^/]*)' : kind === '@' ? ')' : `)${kind}`;
    } else if (char === '|' && groups.length > 0) {
      out += '|';
    } else if (char === '*' && next === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:[^/]*(?:/|$))*' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') {
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '{') {
      out += '(?:';
      groups.push('{');
    } else if (char === '}' && groups[groups.length - 1] === '{') {
      groups.pop();
      out += ')';
    } else if (char === ',' && groups[groups.length - 1] === '{') {
      out += '|';
    } else if (char === '[') {
      const close = glob.indexOf(']', i);
      if (close < 0) out += '\\[';
      else {
        out += glob.slice(i, close + 1);
        i = close;
      }
    } else {
      out += char.replace(/[.+^$()|\\]/g, '\\$&');
    }
  }
  return new RegExp(glob.startsWith('/') ? `^${out}$` : `(?:^|/)${out}$`);
}
