// `flakeguard lint [paths…] [--format stylish|json]`: the ESLint plugin's recommended rules over a project's test
// files, with no ESLint config of the project's — exit 0 clean, 1 problems, 2 bad usage — as ESLint's own CLI does.

import * as fs from 'fs';
import * as path from 'path';
import type { ESLint, Linter } from 'eslint';
import type { Command } from './command';
import { parseCommandLine, stringValue, type CommandLine } from './args';
import { FlakeguardError } from '../core/errors';
import { INSTALL_TS_PARSER, loadEslint, loadTypescriptParser } from './eslintHost';

const USAGE = 'usage: flakeguard lint [paths…] [--format stylish|json]';
const LINE: CommandLine = { name: 'flakeguard lint', usage: USAGE, options: { format: { type: 'string', short: 'f' } }, positionals: Infinity };
const FORMATS = ['stylish', 'json'];
const TS_FILES = ['**/*.{ts,tsx,mts,cts}'];
const MISSING_PARSER = 'flakeguard: no TypeScript parser';

/** Stands in for @typescript-eslint/parser when it is not installed, so a TypeScript file is a clear usage error. */
const missingParser = {
  meta: { name: 'flakeguard-missing-typescript-parser' },
  parse(): never {
    throw new Error(MISSING_PARSER);
  },
};

export const command: Command = {
  summary: 'find flaky patterns in test files with the ESLint plugin (no ESLint config needed)',
  async run(argv) {
    const parsed = parseCommandLine(LINE, argv);
    if (parsed === 'help') {
      console.log(
        `${USAGE}\n\nLints the test files under the paths (default: the current folder) with jest-flakeguard's recommended\nESLint rules, ignoring any ESLint config of the project's. Needs eslint (and @typescript-eslint/parser for\nTypeScript) installed in the project. Exit 0: no problems; 1: problems; 2: bad usage.`,
      );
      return 0;
    }
    const { values, positionals } = { values: { format: stringValue(parsed.values, 'format') }, positionals: parsed.positionals };
    const format = values.format ?? 'stylish';
    if (!FORMATS.includes(format)) throw new FlakeguardError('USAGE', `unknown format "${format}" (known: ${FORMATS.join(', ')}); ${USAGE}`);
    const cwd = process.cwd();
    const targets = positionals.length > 0 ? positionals : ['.'];
    for (const target of targets) {
      if (!fs.existsSync(path.resolve(cwd, target))) throw new FlakeguardError('USAGE', `no such file or folder: ${target}`);
    }

    const folders = [cwd, __dirname];
    const { ESLint } = loadEslint(folders);
    const plugin = require('../eslint') as { configs: { recommended: Linter.Config }; TEST_FILES: string[] };
    const tsParser = loadTypescriptParser(folders);
    const eslint = new ESLint({
      cwd,
      overrideConfigFile: true,
      overrideConfig: [
        { ignores: ['**/node_modules/', '**/dist/', '**/coverage/', '**/.flakeguard/'] },
        // Directives for the project's own rules (`eslint-disable-next-line jest/…`) are not ours to judge.
        { linterOptions: { reportUnusedDisableDirectives: 'off' } },
        { files: plugin.TEST_FILES, languageOptions: { ecmaVersion: 'latest', parserOptions: { ecmaFeatures: { jsx: true } } } },
        { files: TS_FILES, languageOptions: { parser: (tsParser ?? missingParser) as Linter.Parser } },
        plugin.configs.recommended,
      ],
      warnIgnored: false,
      errorOnUnmatchedPattern: false,
    });

    const patterns: string[] = [];
    for (const target of targets) {
      const absolute = path.resolve(cwd, target);
      if (fs.statSync(absolute).isDirectory()) {
        const base = path.relative(cwd, absolute).split(path.sep).join('/') || '.';
        patterns.push(...plugin.TEST_FILES.map((glob) => `${base}/${glob}`));
      } else if (await isTestFile(eslint, absolute)) {
        patterns.push(absolute);
      }
    }
    const results = patterns.length > 0 ? (await eslint.lintFiles(patterns)).map(onlyOurs) : [];
    const untyped = results.find((result) => result.messages.some((message) => message.fatal && message.message.includes(MISSING_PARSER)));
    if (untyped) throw new FlakeguardError('USAGE', INSTALL_TS_PARSER, path.relative(cwd, untyped.filePath));

    const formatter = await eslint.loadFormatter(format);
    const output = await formatter.format(results);
    if (output) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    return results.some((result) => result.errorCount > 0) ? 1 : 0;
  },
};

/** A file named on the command line counts when it is a test file by the plugin's own patterns (lint-staged passes any). */
async function isTestFile(eslint: ESLint, file: string): Promise<boolean> {
  const config = (await eslint.calculateConfigForFile(file)) as Linter.Config | undefined;
  return !!config?.rules && Object.keys(config.rules).some((rule) => rule.startsWith('flakeguard/'));
}

/**
 * A result with only the plugin's problems and parse errors: an inline `/* eslint no-console: "error" *\/` or a
 * directive naming a rule of the project's (`Definition for rule … was not found`) is the project's ESLint's business.
 */
function onlyOurs(result: ESLint.LintResult): ESLint.LintResult {
  const messages = result.messages.filter((message) => message.fatal || message.ruleId?.startsWith('flakeguard/'));
  const count = (severity: number, fatal?: boolean) =>
    messages.filter((message) => message.severity === severity && (fatal === undefined || !!message.fatal === fatal)).length;
  return {
    ...result,
    messages,
    suppressedMessages: result.suppressedMessages.filter((message) => message.ruleId?.startsWith('flakeguard/')),
    errorCount: count(2),
    fatalErrorCount: count(2, true),
    warningCount: count(1),
    fixableErrorCount: 0,
    fixableWarningCount: 0,
  };
}
