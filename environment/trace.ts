// Where a leaked thing was created: a cheap stack capture at creation, resolved to `file:line:column` only when reported.
//
// Jest's test worker installs a source-map aware `Error.prepareStackTrace` in its own realm (jest-runner's
// `sourceMapSupport.install(runtime.getSourceMaps())`), so a stack captured here and formatted while the file runs
// already names the .ts line a ts-jest or babel-jest user wrote. Capturing is cheap; formatting is what costs, and it
// happens only for a thing that is reported.

import * as fs from 'fs';
import * as path from 'path';
import { formatLocation, userFrame, type StackFrame } from '../core/stackLocation';

/** A captured stack; `stack` is formatted on first read. */
export type Trace = { readonly stack?: string };

// Our own code, skipped when looking for the user's frame: the compiled dist/, and the sources its maps point at
// (stacks of a build with source maps name core/…, environment/… beside dist/).
const OWN_ROOT = path.resolve(__dirname, '..');
const OWN_DIRS = [OWN_ROOT, ...['core', 'environment'].map((dir) => path.join(OWN_ROOT, '..', dir))];
// Deep enough to climb out of jest-mock and jest-runtime (automocks) to the user's line; each frame costs.
const TRACE_DEPTH = 12;
/**
 * For what libraries start on the test's behalf (a timer under React's renderer or @testing-library's waitFor): the
 * user's frame sits below the library's own, and a stack with none is the library's own activity.
 */
export const DEEP_TRACE_DEPTH = 40;

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Error.captureStackTrace takes any function
export function captureTrace(above: Function, depth = TRACE_DEPTH): Trace {
  const holder = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = depth;
  Error.captureStackTrace(holder, above);
  Error.stackTraceLimit = limit;
  return holder;
}

export interface Located {
  frame: StackFrame;
  /** `file:line:column`, relative to rootDir. */
  at: string;
}

/** Resolves traces and reads the source lines they point at (cached per file). */
export class Locator {
  private readonly sources = new Map<string, string[] | null>();

  constructor(private readonly rootDir: string) {}

  /** Whether the trace has a frame in the user's code (a stack entirely inside libraries and Node has none). */
  inUserCode(trace: Trace | undefined): boolean {
    return this.locate(trace) !== null;
  }

  locate(trace: Trace | undefined): Located | null {
    const stack = trace?.stack;
    if (typeof stack !== 'string') return null;
    const frame = userFrame(stack, OWN_DIRS);
    return frame ? { frame, at: formatLocation(frame, this.rootDir) } : null;
  }

  /** A position in a file as a location, unless it is in a library or in our own code. */
  locateFrame(frame: StackFrame): Located | null {
    return userFrame(`    at ${frame.file}:${frame.line}:${frame.column}`, OWN_DIRS) ? { frame, at: formatLocation(frame, this.rootDir) } : null;
  }

  /** The first line of `file` matching `pattern`, as a frame: where a thing found without a stack was made. */
  search(file: string, pattern: RegExp, fromLine = 1): Located | null {
    const lines = this.lines(file);
    if (!lines) return null;
    for (let n = 0; n < lines.length; n++) {
      // From `fromLine` (the test's own lines) to the end, then the lines above it (hooks, module level).
      const i = (n + fromLine - 1) % lines.length;
      const match = pattern.exec(lines[i]);
      if (!match) continue;
      const frame = { file, line: i + 1, column: match.index + 1 };
      return { frame, at: formatLocation(frame, this.rootDir) };
    }
    return null;
  }

  private lines(file: string): string[] | null {
    let source = this.sources.get(file);
    if (source === undefined) {
      try {
        source = fs.readFileSync(file, 'utf8').split(/\r?\n/);
      } catch {
        source = null;
      }
      this.sources.set(file, source);
    }
    return source;
  }

  /** The source text from the frame's line on (`lines` lines), or '' when unreadable. */
  sourceAt(frame: StackFrame, lines = 3): string {
    const source = this.lines(frame.file);
    return source ? source.slice(frame.line - 1, frame.line - 1 + lines).join('\n') : '';
  }
}
