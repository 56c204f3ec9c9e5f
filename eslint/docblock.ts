// What a test file's leading docblock says, read by the runner's own pragma parser (one parse per file, shared).

import type { SourceCode } from 'eslint';
import { CHECK_NAMES, type CheckName } from '../core/findings';
import { parsePragmas, type FilePragmas } from '../core/pragmas';
import { jestDocblock } from '../io/jestHost';

const parsed = new WeakMap<object, FilePragmas>();

export function filePragmas(sourceCode: SourceCode, filename: string): FilePragmas {
  let pragmas = parsed.get(sourceCode.ast);
  if (!pragmas) {
    pragmas = parsePragmas(sourceCode.text, filename, jestDocblock());
    parsed.set(sourceCode.ast, pragmas);
  }
  return pragmas;
}

/**
 * Whether the file opts out of an environment check with `@flakeguard-allow <check>`: the rule that finds the same
 * leak before the run then stays quiet too, so one pragma covers both.
 */
export function allowsCheck(sourceCode: SourceCode, filename: string, check: CheckName): boolean {
  return filePragmas(sourceCode, filename).allow.includes(check);
}

export function isCheckName(word: string): word is CheckName {
  return (CHECK_NAMES as readonly string[]).includes(word);
}
