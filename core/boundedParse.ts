// Turns the bytes of the files flakeguard trusts least into values within fixed bounds: a cap on what a gzip
// inflates to, and JSON errors that never echo the file's bytes. Reading the bytes is io/boundedRead's job.

import * as zlib from 'zlib';

/** What a history may inflate to: 100,000 tests × 200 runs is ≈ 30 MB of JSON (2× headroom). */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

const mib = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MiB`;

/** Why a bounded read failed: the message is one line, and names the cap when a cap was hit. */
export class ReadProblem extends Error {
  constructor(
    message: string,
    /** The errno code of a failed read (ENOENT …), when there was one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export const isGzip = (data: Uint8Array): boolean => data[0] === 0x1f && data[1] === 0x8b;

/** Inflates `data`, stopping at `cap` bytes of output: a small file that inflates to gigabytes is refused early. */
export function gunzipCapped(data: Uint8Array, cap = MAX_INFLATED_BYTES): Buffer {
  try {
    return zlib.gunzipSync(data, { maxOutputLength: cap });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw new ReadProblem(`inflates to over ${mib(cap)}, the cap for a gzipped file flakeguard reads`);
    throw new ReadProblem(`corrupt gzip (${code ?? 'error'})`);
  }
}

/**
 * JSON.parse, with a one-line reason that never quotes the text: Node's own message shows the file's first bytes,
 * and the file may be a symlink to something else, or carry control characters for the terminal.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    if (/end of JSON input|Unterminated/.test(message)) throw new ReadProblem('not valid JSON (it ends too early: a truncated file?)');
    throw new ReadProblem(`not valid JSON${position ? ` (at character ${position})` : ''}`);
  }
}
