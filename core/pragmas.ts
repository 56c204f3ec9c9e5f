// Reads jest-flakeguard's docblock pragmas (`@serial`, `@serial <resource…>`) from a test file's source.

/** Where a test file runs. */
export type LaneSpec = { lane: 'parallel' } | { lane: 'serial' } | { lane: 'resources'; resources: string[] };

export interface PragmaWarning {
  file: string;
  line: number;
  message: string;
}

export interface FilePragmas {
  spec: LaneSpec;
  /** Reason given with `@flaky`, `''` when bare, absent when the file is not quarantined by pragma. */
  flaky?: string;
  /** Checks named by `@flakeguard-allow`. */
  allow: string[];
  warnings: PragmaWarning[];
}

/** Bumped whenever `parsePragmas` may say something else about an unchanged file, so caches of it are dropped. */
export const PRAGMA_PARSER_VERSION = 2;

/** Pragmas this package owns; a near miss of one of them gets a warning. */
export const KNOWN_PRAGMAS = ['serial', 'flaky', 'flakeguard-allow'] as const;

export const RESOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;

/** The two functions of jest-docblock the parser uses; callers pass the running Jest's (io/jestHost's jestDocblock). */
export interface DocblockParser {
  extract(contents: string): string;
  parse(docblock: string): Record<string, string | string[]>;
}

export function parsePragmas(source: string, file: string, docblock: DocblockParser): FilePragmas {
  const { extract, parse } = docblock;
  const block = extract(source);
  const pragmas = block ? parse(block) : {};
  const warnings: PragmaWarning[] = [];
  const lineOf = (tag: string): number => findTagLine(source, tag);

  let spec: LaneSpec = { lane: 'parallel' };
  if ('serial' in pragmas) {
    const words = values(pragmas.serial).flatMap(splitWords);
    const resources: string[] = [];
    for (const word of words) {
      if (RESOURCE_NAME.test(word)) {
        if (!resources.includes(word)) resources.push(word);
      } else {
        warnings.push({
          file,
          line: lineOf('serial'),
          message: `invalid resource name "${word}" in @serial (use letters, digits and . _ : / -); ignored`,
        });
      }
    }
    spec = resources.length > 0 ? { lane: 'resources', resources } : { lane: 'serial' };
  }

  for (const key of Object.keys(pragmas)) {
    if ((KNOWN_PRAGMAS as readonly string[]).includes(key)) continue;
    const near = nearestKnown(key);
    if (near) {
      warnings.push({ file, line: lineOf(key), message: `unknown pragma @${key}: did you mean @${near}? It is ignored` });
    }
  }

  const stray = findStrayPragma(source);
  if (stray) {
    warnings.push({ file, line: lineAt(source, stray.index), message: `@${stray.tag} is ignored: pragmas must be in a /** … */ comment that starts the file` });
  }

  const result: FilePragmas = { spec, allow: values(pragmas['flakeguard-allow']).flatMap(splitWords), warnings };
  if ('flaky' in pragmas) result.flaky = values(pragmas.flaky).join(' ').trim();
  return result;
}

/** The comment jest-docblock reads (its own pattern): the first `/* … *\/` or `/** … *\/`, only whitespace before. */
const LEADING_COMMENT = /^\s*(\/\*\*?(.|\r?\n)*?\*\/)/;
/** `@serial` or `@flaky` as the first word of a comment line: after `//`, `/*`, `/**`, or a line's leading `*`. */
const COMMENT_TAG = /(\/\/|\/\*\*?|^[ \t]*\*)[ \t]*@(serial|flaky)(?![\w-])/gm;

/**
 * A `@serial` or `@flaky` in a comment Jest does not read as the docblock: after `'use strict'`, a shebang or
 * a `//` line, behind a license block, or in a `//` comment. Only the head of the file is searched, where
 * a user would put a pragma.
 */
function findStrayPragma(source: string): { tag: string; index: number } | undefined {
  const leadingEnd = LEADING_COMMENT.exec(source)?.[0].length ?? 0;
  const head = source.slice(0, Math.max(4096, leadingEnd + 1024));
  for (const match of head.matchAll(COMMENT_TAG)) {
    const index = match.index + match[0].length - match[2]!.length - 1;
    if (index >= leadingEnd && !insideString(head.slice(head.lastIndexOf('\n', match.index) + 1, match.index))) {
      return { tag: match[2]!, index };
    }
  }
  return undefined;
}

/** Whether a line's text up to a point leaves a quote open: a `/** @serial *\/` in a string is no comment. */
function insideString(linePrefix: string): boolean {
  const unescaped = linePrefix.replace(/\\./g, '');
  return ["'", '"', '`'].some((quote) => unescaped.split(quote).length % 2 === 0);
}

function values(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function splitWords(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

/** The known pragma a tag is a near miss of (`@seriall`, `@Serial`), if any. */
export function nearestKnown(key: string): string | undefined {
  const lower = key.toLowerCase();
  for (const known of KNOWN_PRAGMAS) {
    if (lower === known) return known;
    if (Math.abs(lower.length - known.length) <= 2 && editDistance(lower, known) <= 2 && lower.length >= 4) return known;
  }
  return undefined;
}

/** Levenshtein distance; the words are a few letters long. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function findTagLine(source: string, tag: string): number {
  const escaped = tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`@${escaped}(?![\\w-])`).exec(source);
  return match ? lineAt(source, match.index) : 1;
}

function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}
