// A `setupFilesAfterEnv` file of the projects `withFlakeguard` builds: `jest.retryTimes` with the project's count,
// which config/environment put on the sandbox global (core/retries). Retry errors are logged so a flaky pass shows what failed.

import type { Jest } from '@jest/environment';
import { oneLine } from '../core/errors';
import { takeRetries } from '../core/retries';

declare const jest: Jest;

let retries: number;
try {
  retries = takeRetries(globalThis);
} catch (error) {
  // Fails the file with one line, not a stack trace: a retry count this version cannot read is a broken install.
  const failure = new Error(`jest-flakeguard: ${oneLine(error)}`);
  failure.stack = failure.message;
  throw failure;
}
if (retries > 0) jest.retryTimes(retries, { logErrorsBeforeRetry: true });
