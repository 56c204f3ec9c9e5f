// How every `flakeguard` command reads its command line (node:util parseArgs): its own options, positionals,
// `--help`, and — for the commands that start Jest — the one rule for Jest's arguments.
//
// The rule: a command that starts Jest (lanes, rerun, hunt) takes its own options out; every other argument —
// an option it does not know, that option's value, a positional, everything after `--` — is Jest's, in the
// order given. So `flakeguard lanes --config X`, `flakeguard lanes -- --config X` and `flakeguard rerun -t name`
// all hand Jest what they say. The other commands know every argument they take; anything else is a usage error.

import { parseArgs } from 'util';
import { FlakeguardError } from '../core/errors';
import { inline } from '../core/safeText';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /**
   * A boolean option that may take a value: `--name=value`, or the next word when this says the word is one
   * (`hunt --changed main`); the word is then not Jest's.
   */
  optionalValue?: (word: string) => boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface CommandLine {
  /** `flakeguard rerun`, `flakeguard quarantine add`: names the command in messages. */
  name: string;
  /** The usage line(s), printed by --help and quoted by usage errors. */
  usage: string;
  options: OptionSpecs;
  /** Positionals taken (ignored when `jest` is set: positionals are Jest's). Default 0. */
  positionals?: number;
  /** The command starts Jest: arguments that are not its own are Jest's (see the rule above). */
  jest?: boolean;
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface ParsedLine {
  values: Values;
  positionals: string[];
  /** Jest's arguments, in order (always empty for a command that does not start Jest). */
  jestArgs: string[];
}

/** Every command has `--help` / `-h`; it is never Jest's. */
const HELP: OptionSpecs = { help: { type: 'boolean', short: 'h' } };

export function usageError(line: Pick<CommandLine, 'name'>, problem: string): FlakeguardError {
  return new FlakeguardError('USAGE', `${problem} (see ${line.name} --help)`);
}

/** `'help'` when --help was asked for; otherwise the command's values, positionals and Jest's arguments. */
export function parseCommandLine(line: CommandLine, argv: readonly string[]): ParsedLine | 'help' {
  const options = { ...HELP, ...line.options };
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      Object.entries(options).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) }]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Values = {};
  const positionals: string[] = [];
  const jestArgs: string[] = [];
  /** argv indexes already handed to Jest: a group of short options (`-ci`) is one argument. */
  const handed = new Set<number>();
  const toJest = (index: number): void => {
    if (handed.has(index)) return;
    handed.add(index);
    jestArgs.push(argv[index]!);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'option-terminator') {
      if (!line.jest) {
        positionals.push(...argv.slice(token.index + 1));
        break;
      }
      jestArgs.push(...argv.slice(token.index + 1));
      break;
    }
    if (token.kind === 'positional') {
      if (line.jest) toJest(token.index);
      else positionals.push(token.value);
      continue;
    }
    const spec = Object.prototype.hasOwnProperty.call(options, token.name) ? options[token.name]! : undefined;
    // An unknown `-x` parses as an option named x: ours only when written as our long name or our short one.
    const ours = spec !== undefined && (token.rawName === `--${token.name}` || (spec.short !== undefined && token.rawName === `-${spec.short}`));
    if (!ours) {
      if (line.jest) toJest(token.index);
      else throw usageError(line, `unknown option ${inline(token.rawName)}`);
      continue;
    }
    if (spec.type === 'string') {
      // A value that looks like an option is a forgotten value (`--manifest --flaky`); `--manifest=-x` is explicit,
      // a lone `-` is a value (stdout, for `merge -o -`), and so is a negative number (`--seed -5`).
      if (token.value === undefined || token.value === '' || (!token.inlineValue && /^-(?!$|\d)/.test(token.value))) throw usageError(line, `${token.rawName} needs a value`);
      if (spec.multiple) values[token.name] = [...((values[token.name] as string[] | undefined) ?? []), token.value];
      else values[token.name] = token.value;
      continue;
    }
    if (token.inlineValue) {
      // `--changed=main` is explicit: the command judges the value.
      if (spec.optionalValue) values[token.name] = token.value;
      else throw usageError(line, `${token.rawName} takes no value`);
      continue;
    }
    const next = tokens[i + 1];
    if (spec.optionalValue && next?.kind === 'positional' && spec.optionalValue(next.value)) {
      values[token.name] = next.value;
      i++;
      continue;
    }
    values[token.name] = true;
  }
  if (values.help === true) return 'help';
  const allowed = line.jest ? Infinity : (line.positionals ?? 0);
  if (positionals.length > allowed) {
    throw usageError(
      line,
      allowed === 0 ? `unexpected argument ${JSON.stringify(inline(positionals[0]!))}` : `unexpected argument ${JSON.stringify(inline(positionals[allowed]!))}`,
    );
  }
  return { values, positionals, jestArgs };
}

/** A string option's value, when given. */
export const stringValue = (values: Values, name: string): string | undefined => {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
};

/** A boolean option. */
export const flag = (values: Values, name: string): boolean => values[name] === true;

/** A repeatable string option's values, when given. */
export const stringValues = (values: Values, name: string): string[] | undefined => {
  const value = values[name];
  return Array.isArray(value) ? value : undefined;
};
