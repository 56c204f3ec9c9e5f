// Whether and how the command line colours what it prints, by the usual conventions: FORCE_COLOR, then NO_COLOR,
// then whether the stream is a terminal (and TERM is not dumb).

export interface StyleStream {
  isTTY?: boolean;
}

/** FORCE_COLOR (any value but 0/false forces colour on, 0/false off), NO_COLOR (set and non-empty: off), else a TTY. */
export function colourEnabled(stream: StyleStream, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string): string => text;

/** The style for one stream. Colour wraps text already made safe (core/safeText strips ANSI from data). */
export function styleFor(stream: StyleStream, env: NodeJS.ProcessEnv = process.env): Style {
  const enabled = colourEnabled(stream, env);
  if (!enabled) return { enabled, bold: plain, dim: plain, red: plain, yellow: plain, green: plain, cyan: plain };
  return { enabled, bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), cyan: sgr(36, 39) };
}

/** stdout's and stderr's styles, decided once per process. */
export const out: Style = styleFor(process.stdout);
export const err: Style = styleFor(process.stderr);
