// Monorepos: `withFlakeguard({ projects: ['<rootDir>/packages/*'] })` in the root config. Each project given as a path
// is read here (as jest-config would find it: a directory's jest.config.js/.cjs/.json or package.json `jest` key, or
// the file named) and becomes an inline project with its own rootDir, so it can be split into stable and flaky.
// A package config that itself calls withFlakeguard (so `cd packages/a && jest` works too) gives back what it was
// given. Jest loading such a package config as a project of a plain root config would ignore its split: that is a
// one-line error saying to call withFlakeguard in the root.

import * as fs from 'fs';
import * as path from 'path';
import type { Config } from 'jest';
import { FlakeguardError } from '../core/errors';

/** What a withFlakeguard result remembers of its input, for a root config that reads it as a project. */
export const ORIGINAL = Symbol.for('jest-flakeguard.original');
export interface Original {
  userConfig: Config;
}

/** True while a root withFlakeguard reads its projects: a package's own withFlakeguard is then not "nested". */
let readingProjects = 0;
export const isReadingProjects = (): boolean => readingProjects > 0;

const READABLE = ['jest.config.js', 'jest.config.cjs', 'jest.config.json'];
const UNREADABLE = ['jest.config.ts', 'jest.config.mjs', 'jest.config.mts', 'jest.config.cts'];

function fail(message: string): never {
  const error = new FlakeguardError('BAD_OPTION', message);
  error.stack = `jest-flakeguard: ${error.message}`;
  throw error;
}

/** `*` and `?` within one path segment, as Jest's projects globs are mostly written; `**` and braces are refused. */
export function expandProjectGlob(pattern: string): string[] {
  if (/\*\*|[{}[\]]/.test(pattern)) fail(`withFlakeguard reads projects given as paths with * and ? only: "${pattern}"; list the directories instead`);
  const parts = path.resolve(pattern).split(path.sep);
  let matches = [parts[0] || path.sep];
  for (const part of parts.slice(1)) {
    if (!/[*?]/.test(part)) {
      matches = matches.map((dir) => path.join(dir, part));
      continue;
    }
    const regex = new RegExp(
      `^${part
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')}$`,
    );
    matches = matches.flatMap((dir) => {
      try {
        return fs
          .readdirSync(dir)
          .filter((name) => !name.startsWith('.') && regex.test(name))
          .sort()
          .map((name) => path.join(dir, name));
      } catch {
        return [];
      }
    });
  }
  return matches.filter((match) => fs.existsSync(match));
}

function configFileIn(dir: string): { file: string; fromPackageJson: boolean } | undefined {
  for (const name of READABLE) if (fs.existsSync(path.join(dir, name))) return { file: path.join(dir, name), fromPackageJson: false };
  const unreadable = UNREADABLE.find((name) => fs.existsSync(path.join(dir, name)));
  if (unreadable) fail(`withFlakeguard cannot read ${path.join(dir, unreadable)} synchronously: make it jest.config.js (or .cjs, .json), or write that project inline`);
  const packageJson = path.join(dir, 'package.json');
  if (fs.existsSync(packageJson)) {
    const jest = (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { jest?: unknown }).jest;
    if (jest && typeof jest === 'object') return { file: packageJson, fromPackageJson: true };
  }
  return undefined;
}

function loadConfig(file: string, fromPackageJson: boolean): Config {
  if (fromPackageJson) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { jest: Config }).jest;
  if (file.endsWith('.json')) return JSON.parse(fs.readFileSync(file, 'utf8')) as Config;
  readingProjects++;
  let exported: unknown;
  try {
    exported = require(file) as unknown;
  } finally {
    readingProjects--;
  }
  if (exported && typeof exported === 'object' && 'default' in exported) exported = (exported as { default: unknown }).default;
  if (typeof exported === 'function') exported = (exported as () => unknown)();
  if (!exported || typeof exported !== 'object' || typeof (exported as { then?: unknown }).then === 'function') {
    fail(`${file} does not export a config object withFlakeguard can read synchronously (an async config?): export the object, or write that project inline`);
  }
  const original = (exported as { [ORIGINAL]?: Original })[ORIGINAL];
  return original ? original.userConfig : (exported as Config);
}

/**
 * The projects of a root config with every path (glob) replaced by the inline projects it names, each with its
 * directory as rootDir (or its own rootDir against it). Inline projects pass through.
 */
export function readPathProjects(projects: ReadonlyArray<string | Config>, rootDir: string): Config[] {
  return projects.flatMap((project) => {
    if (typeof project !== 'string') return [project];
    const matches = expandProjectGlob(project.replace(/^<rootDir>/, rootDir).replace(/^(?![/\\])/, `${rootDir}${path.sep}`));
    if (matches.length === 0) fail(`withFlakeguard: the project "${project}" matches no directory or file under ${rootDir}`);
    return matches.flatMap((match) => {
      const isDir = fs.statSync(match).isDirectory();
      const found = isDir ? configFileIn(match) : { file: match, fromPackageJson: path.basename(match) === 'package.json' };
      if (!found) return isDir ? [{ rootDir: match }] : [];
      const config = loadConfig(found.file, found.fromPackageJson);
      const dir = path.dirname(found.file);
      const { projects: nested, ...rest } = config;
      if (nested) fail(`${found.file} has projects of its own: Jest reads one level of projects; list them in the root config`);
      return [{ ...rest, rootDir: rest.rootDir ? path.resolve(dir, rest.rootDir.replace(/^<rootDir>/, dir)) : dir }];
    });
  });
}

/**
 * The config Jest would load at the top for this command line (`--config`, else the nearest jest.config.* or
 * package.json from the current directory up): when withFlakeguard runs in another config file, Jest is loading it as
 * one of that config's projects and would ignore its split.
 */
export function nestedConfigError(configFile: string, topConfigDir: string): string | null {
  if (isReadingProjects() || path.dirname(configFile) === topConfigDir) return null;
  const hasTopConfig = [...READABLE, ...UNREADABLE].some((name) => fs.existsSync(path.join(topConfigDir, name))) || fs.existsSync(path.join(topConfigDir, 'package.json'));
  if (!hasTopConfig) return null;
  const shown = path.relative(topConfigDir, configFile).split(path.sep).join('/');
  return (
    `${shown} calls withFlakeguard, but Jest loads it as a project of the config in ${topConfigDir}, where its stable and flaky projects ` +
    `would be ignored: call withFlakeguard in the root config instead, e.g. module.exports = withFlakeguard({ projects: ['<rootDir>/packages/*'] })`
  );
}
