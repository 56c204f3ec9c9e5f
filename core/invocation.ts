// How Jest was invoked, as the manifest records it and `flakeguard rerun` reproduces it: the directory, the
// `--config` file, the command-line options that select or shape tests, and the node flags tests need to load.
// Pure: the reporter hands in argv, execArgv and NODE_OPTIONS; the rerun gets back Jest and node arguments.
//
// Data is data: the rerun never replays a word it read. Option names come from the tables below; only values come
// from the manifest, each checked for its kind and always attached with `=` (never read as an option of its own).

import * as path from 'path';

/** The options of Jest's command line a rerun repeats, by Jest's long name (jest-cli's args): kind and short alias. */
const OPTIONS = {
  testTimeout: { kind: 'number' },
  testPathIgnorePatterns: { kind: 'array' },
  testMatch: { kind: 'array' },
  testRegex: { kind: 'array' },
  roots: { kind: 'array' },
  testEnvironment: { kind: 'string', alias: 'env' },
  maxWorkers: { kind: 'string', alias: 'w' },
  runInBand: { kind: 'boolean', alias: 'i' },
  ci: { kind: 'boolean' },
} as const;

type OptionName = keyof typeof OPTIONS;
type Kind = (typeof OPTIONS)[OptionName]['kind'];
type ValueOf<K extends Kind> = K extends 'number' ? number : K extends 'array' ? string[] : K extends 'string' ? string : boolean;

export type InvocationOptions = { -readonly [N in OptionName]?: ValueOf<(typeof OPTIONS)[N]['kind']> };

/**
 * Node flags a rerun repeats: they decide whether tests load at all (ESM through vm modules, type stripping) or
 * survive (heap, stack). Never `--require`/`--import`/`--loader`: those name code to run, and a manifest is an
 * artifact anyone may have written.
 */
const NODE_FLAG =
  /^--(?:experimental-vm-modules|(?:no-)?experimental-require-module|(?:no-)?experimental-strip-types|experimental-transform-types|enable-source-maps|expose-gc|no-warnings|max-old-space-size=\d{1,6}|stack-size=\d{1,6})$/;

export const isReplayableNodeFlag = (flag: string): boolean => NODE_FLAG.test(flag);

export interface Invocation {
  /** The directory Jest was started in, relative to rootDir (`.`, `..`, `packages/a`), `/` separators. */
  cwd: string;
  /** Where the manifest was written, relative to rootDir: a rerun finds rootDir from the manifest's own path. */
  outputDir: string;
  /** The `--config` file, relative to rootDir; null when Jest found its config itself (or it was inline JSON). */
  config: string | null;
  /** Jest options given on the command line that select or shape tests. */
  options: InvocationOptions;
  /** Node flags of the run (its own and NODE_OPTIONS') a rerun needs, e.g. `--experimental-vm-modules`. */
  nodeFlags: string[];
}

const slash = (p: string): string => p.split(path.sep).join('/');
const relative = (from: string, to: string): string => slash(path.relative(from, to)) || '.';
const camel = (name: string): string => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

const ALIASES = new Map<string, OptionName | 'config'>([
  ['c', 'config'],
  ...Object.entries(OPTIONS).flatMap(([name, spec]) => ('alias' in spec ? [[spec.alias, name as OptionName] as const] : [])),
]);

function optionNamed(raw: string): { name: OptionName | 'config'; negated: boolean } | null {
  const negated = raw.startsWith('no-') && raw.length > 3;
  const bare = camel(negated ? raw.slice(3) : raw);
  const name = ALIASES.get(bare) ?? (bare === 'config' || Object.prototype.hasOwnProperty.call(OPTIONS, bare) ? (bare as OptionName | 'config') : null);
  if (name === null) return null;
  if (negated && (name === 'config' || OPTIONS[name].kind !== 'boolean')) return null;
  return { name, negated };
}

/** A word that starts another option (a negative number is a value: `--testTimeout -1` is Jest's to refuse). */
const isOption = (word: string): boolean => /^-(?!\d)/.test(word);

/**
 * The invocation of this Jest process: `argv` is process.argv (node, Jest's bin, its arguments). Null when the
 * process is not Jest's command line (Jest run from a script through runCLI): then nothing can be said about it.
 * Jest reads arrays as yargs does: `--roots a b` takes the words up to the next option.
 */
export function recordInvocation(input: {
  argv: readonly string[];
  execArgv: readonly string[];
  nodeOptions: string | undefined;
  cwd: string;
  rootDir: string;
  outputDir: string;
}): Invocation | null {
  const bin = input.argv[1];
  if (bin === undefined || !/^jest(\.c?js)?$/.test(path.basename(bin))) return null;
  const words = input.argv.slice(2);
  const options: InvocationOptions = {};
  let config: string | null = null;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') break;
    const match = /^--?([^=]+)(?:=([\s\S]*))?$/.exec(word);
    if (!match || !isOption(word)) continue;
    const named = optionNamed(match[1]!);
    if (!named) continue;
    const inline = match[2];
    const next = (): string | undefined => {
      if (inline !== undefined) return inline;
      const value = words[i + 1];
      if (value === undefined || isOption(value)) return undefined;
      i++;
      return value;
    };
    if (named.name === 'config') {
      const value = next();
      // Inline JSON configs (`--config '{…}'`) are not a file: the rerun cannot repeat them.
      config = value && !value.trimStart().startsWith('{') ? relative(input.rootDir, path.resolve(input.cwd, value)) : null;
      continue;
    }
    const name = named.name;
    const kind = OPTIONS[name].kind;
    if (kind === 'boolean') {
      (options as Record<string, boolean>)[name] = named.negated ? false : inline === undefined ? true : inline !== 'false';
    } else if (kind === 'array') {
      const values: string[] = [];
      if (inline !== undefined) values.push(inline);
      else while (i + 1 < words.length && !isOption(words[i + 1]!) && words[i + 1] !== '--') values.push(words[++i]!);
      const list = options as Record<string, string[] | undefined>;
      if (values.length > 0) list[name] = [...(list[name] ?? []), ...values];
    } else if (kind === 'number') {
      const value = Number(next());
      if (Number.isFinite(value)) (options as Record<string, number>)[name] = value;
    } else {
      const value = next();
      if (value !== undefined) (options as Record<string, string>)[name] = value;
    }
  }
  const fromNodeOptions = (input.nodeOptions ?? '').split(/\s+/).filter(Boolean);
  const nodeFlags = [...new Set([...input.execArgv, ...fromNodeOptions].filter(isReplayableNodeFlag))];
  return { cwd: relative(input.rootDir, input.cwd), outputDir: relative(input.rootDir, input.outputDir), config, options, nodeFlags };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading it back from a manifest: every value checked for its kind; names not in the tables are dropped (a newer
// version may record more), so nothing unknown ever reaches a command line.

export class InvalidInvocation extends Error {}

const relativePath = (value: unknown, where: string): string => {
  if (typeof value !== 'string' || value === '' || value.includes('\0') || path.isAbsolute(value) || /^[A-Za-z]:|^\\\\/.test(value)) {
    throw new InvalidInvocation(`${where} must be a relative path`);
  }
  return value;
};

const plainString = (value: unknown, where: string): string => {
  if (typeof value !== 'string' || value.includes('\0')) throw new InvalidInvocation(`${where} must be a string`);
  return value;
};

export function validateInvocation(data: unknown): Invocation {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InvalidInvocation('invocation must be an object');
  const raw = data as Record<string, unknown>;
  const rawOptions = raw.options;
  if (typeof rawOptions !== 'object' || rawOptions === null || Array.isArray(rawOptions)) throw new InvalidInvocation('invocation.options must be an object');
  const options: InvocationOptions = {};
  for (const [name, value] of Object.entries(rawOptions as Record<string, unknown>)) {
    if (!Object.prototype.hasOwnProperty.call(OPTIONS, name)) continue;
    const key = name as OptionName;
    const where = `invocation.options.${name}`;
    switch (OPTIONS[key].kind) {
      case 'boolean':
        if (typeof value !== 'boolean') throw new InvalidInvocation(`${where} must be true or false`);
        (options as Record<string, boolean>)[key] = value;
        break;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidInvocation(`${where} must be a number`);
        (options as Record<string, number>)[key] = value;
        break;
      case 'array':
        if (!Array.isArray(value)) throw new InvalidInvocation(`${where} must be an array of strings`);
        (options as Record<string, string[]>)[key] = value.map((entry, index) => plainString(entry, `${where}[${index}]`));
        break;
      case 'string':
        (options as Record<string, string>)[key] = plainString(value, where);
        break;
    }
  }
  if (options.maxWorkers !== undefined && !/^\d{1,4}%?$/.test(options.maxWorkers))
    throw new InvalidInvocation('invocation.options.maxWorkers must be a count or a percentage');
  if (!Array.isArray(raw.nodeFlags) || !raw.nodeFlags.every((flag) => typeof flag === 'string'))
    throw new InvalidInvocation('invocation.nodeFlags must be an array of strings');
  return {
    cwd: relativePath(raw.cwd, 'invocation.cwd'),
    outputDir: relativePath(raw.outputDir, 'invocation.outputDir'),
    config: raw.config === null ? null : relativePath(raw.config, 'invocation.config'),
    options,
    // Only flags from the table: a flag this version does not know is never handed to node.
    nodeFlags: (raw.nodeFlags as string[]).filter(isReplayableNodeFlag),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Replaying it.

/**
 * rootDir of the run that wrote the manifest at `manifestFile`: the manifest's folder less the recorded outputDir.
 * Null when the manifest is not where the run wrote it (copied, merged elsewhere, or an outputDir outside rootDir).
 */
export function runRootDir(manifestFile: string, invocation: Invocation): string | null {
  const dir = path.dirname(path.resolve(manifestFile));
  const parts = invocation.outputDir.split('/').filter((part) => part !== '.' && part !== '');
  if (parts.includes('..')) return null;
  const root = path.resolve(dir, ...parts.map(() => '..'));
  return path.join(root, ...parts) === dir ? root : null;
}

/** Whether the user's own Jest arguments set an option (long name, kebab-case or alias; `--no-` for booleans). */
function givenByUser(name: OptionName | 'config', userArgs: readonly string[]): boolean {
  return userArgs.some((arg) => {
    const match = /^--?([^=]+)/.exec(arg);
    return match !== null && isOption(arg) && optionNamed(match[1]!)?.name === name;
  });
}

export interface Replay {
  /** Where Jest runs: the run's directory, when it still exists. */
  cwd: string | null;
  /** Jest arguments to put before the user's own: `--config=…` and the recorded options the user did not set. */
  jestArgs: string[];
  /** Node flags for Jest's process (the rerun's own come first; these are added when missing). */
  nodeFlags: string[];
}

/** The arguments that repeat `invocation` for a run whose rootDir is `rootDir` (null: unknown, no paths repeated). */
export function replayInvocation(invocation: Invocation, rootDir: string | null, userArgs: readonly string[], exists: (dir: string) => boolean): Replay {
  const jestArgs: string[] = [];
  if (rootDir !== null && invocation.config !== null && !givenByUser('config', userArgs)) jestArgs.push(`--config=${path.resolve(rootDir, invocation.config)}`);
  for (const name of Object.keys(OPTIONS) as OptionName[]) {
    const value = invocation.options[name];
    if (value === undefined || givenByUser(name, userArgs)) continue;
    if (typeof value === 'boolean') jestArgs.push(value ? `--${name}` : `--no-${name}`);
    else if (Array.isArray(value)) for (const entry of value) jestArgs.push(`--${name}=${entry}`);
    else jestArgs.push(`--${name}=${value}`);
  }
  const cwd = rootDir === null ? null : path.resolve(rootDir, invocation.cwd);
  return { cwd: cwd !== null && exists(cwd) ? cwd : null, jestArgs, nodeFlags: invocation.nodeFlags.filter(isReplayableNodeFlag) };
}
