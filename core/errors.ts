// The one error type of jest-flakeguard: a code, the file it is about, and a one-line message with the fix.

export type FlakeguardErrorCode =
  'BAD_PRAGMA' | 'BAD_MANIFEST' | 'BAD_QUARANTINE' | 'BAD_HISTORY' | 'BAD_HUNT_REPORT' | 'BAD_OPTION' | 'BAD_CHANNEL' | 'UNWRITABLE' | 'NOT_FOUND' | 'USAGE' | 'UNSUPPORTED';

export class FlakeguardError extends Error {
  readonly code: FlakeguardErrorCode;
  readonly file: string | undefined;

  constructor(code: FlakeguardErrorCode, message: string, file?: string) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'FlakeguardError';
    this.code = code;
    this.file = file;
  }
}

export function isFlakeguardError(error: unknown): error is FlakeguardError {
  return error instanceof FlakeguardError;
}

/** One line for a person: our own errors as they are, anything else by its message only (never a stack). */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? '';
}
