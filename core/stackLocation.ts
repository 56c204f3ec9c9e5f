// From a V8 stack text to the `file:line:column` a person should look at.

import * as path from 'path';

export interface StackFrame {
  file: string;
  line: number;
  column: number;
}

// `    at fn (file:1:2)`, `    at file:1:2`, `    at async fn (file:1:2)`, `    at new Foo (file:1:2)`.
const FRAME = /^\s*at (?:.*?\()?((?:file:\/\/)?[^()]+?):(\d+):(\d+)\)?\s*$/;

/** The frames of a stack text that name a file position (native and `<anonymous>` frames are dropped). */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const text of stack.split('\n')) {
    const match = FRAME.exec(text);
    if (!match) continue;
    let file = match[1];
    if (file.startsWith('file://')) file = decodeURIComponent(file.slice('file://'.length));
    frames.push({ file, line: Number(match[2]), column: Number(match[3]) });
  }
  return frames;
}

/** Frames in code the user does not own: Node's internals, anything under node_modules, and `ownDirs` (our dist). */
export function isLibraryFrame(frame: StackFrame, ownDirs: readonly string[] = []): boolean {
  const { file } = frame;
  if (file.startsWith('node:') || !path.isAbsolute(file)) return true;
  if (file.includes(`${path.sep}node_modules${path.sep}`)) return true;
  // Our own specs live beside our sources and are user code to the environment they drive.
  return ownDirs.some((dir) => file.startsWith(dir + path.sep)) && !/\.test\.[cm]?[jt]sx?$/.test(file);
}

/** The first frame in the user's code, or null when the stack has none. */
export function userFrame(stack: string, ownDirs: readonly string[] = []): StackFrame | null {
  return parseStack(stack).find((frame) => !isLibraryFrame(frame, ownDirs)) ?? null;
}

/** `file:line:column` with the file relative to `rootDir` (forward slashes), or absolute when outside it. */
export function formatLocation(frame: StackFrame, rootDir: string): string {
  const relative = path.relative(rootDir, frame.file);
  const file = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : frame.file;
  return `${file}:${frame.line}:${frame.column}`;
}
