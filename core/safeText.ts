// Owns how data appears in what flakeguard prints: titles, reasons, owners, messages and paths read from a
// manifest, history, quarantine file or from Jest fit on one line (newlines and control characters escaped, ANSI
// escapes removed), and in Markdown they are code spans, so nothing in them renders as a link, an image or HTML.
//
// The rule the callers keep: data never starts a line of our output. Every line that shows data starts with our
// own words or marker (`flaky`, `- `, `reason:` …), and `inline` guarantees the data cannot start a line of its own:
// GitHub runs a line starting with `::` (after leading spaces) as a workflow command.

/** CSI and other escape sequences (colours, cursor moves, OSC titles and hyperlinks). */
// eslint-disable-next-line no-control-regex -- the escape character is what it matches
const ANSI = /\u001b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;

/**
 * Characters that end a line somewhere (CR, LF, VT, FF, NEL, U+2028/9), other C0/C1 controls and DEL, and the
 * bidirectional overrides that make a terminal show text in another order than it is.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it matches
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** UNSAFE without the global flag: `test` keeps no lastIndex between calls. */
const HAS_UNSAFE = new RegExp(UNSAFE.source);

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escapeChar = (c: string): string => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` on one line: ANSI escapes removed; newlines, tabs and other control characters written as `\n`, `\u001b` … */
export function inline(text: string): string {
  if (!HAS_UNSAFE.test(text)) return text;
  return text.replace(ANSI, '').replace(UNSAFE, escapeChar);
}

/** `text` without ANSI escape sequences (Jest colours its messages when the terminal has colours). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * `text` as a Markdown code span that is safe in a table cell: on one line, its own backticks fenced by a longer run,
 * `|` escaped (GFM splits cells on it even inside code). Nothing inside a code span renders: no link, image or tag.
 */
export function markdownCode(text: string): string {
  const one = inline(text).replace(/\|/g, '\\|');
  if (one === '') return '';
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') || (one.startsWith(' ') && one.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${one}${pad}${fence}`;
}

// eslint-disable-next-line no-control-regex -- control characters are what it matches
const UNSAFE_BUT_LF = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A message that may keep its line breaks where the channel encodes them (a workflow command's `%0A`): ANSI escapes
 * removed, CRLF and a lone CR made LF, every other control character escaped as `inline` does.
 */
export function multiline(text: string): string {
  if (!HAS_UNSAFE.test(text)) return text;
  return text.replace(ANSI, '').replace(/\r\n?/g, '\n').replace(UNSAFE_BUT_LF, escapeChar);
}
