// Writes a file so that a reader never sees it half written: a temp file beside it, then a rename.

import * as fs from 'fs';
import * as path from 'path';

export function writeFileAtomic(file: string, contents: string | Uint8Array, options: { mode?: number } = {}): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(temp, contents, { mode: options.mode ?? 0o666 });
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
