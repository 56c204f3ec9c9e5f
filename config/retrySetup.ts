// A `setupFilesAfterEnv` file of the projects `withFlakeguard` builds: `jest.retryTimes` with the project's count,
// which config/environment put on the sandbox global. Retry errors are logged so a flaky pass shows what failed.

import type { Jest } from '@jest/environment';
import { RETRIES_SYMBOL } from '../core/projectOptions';

declare const jest: Jest;

const retries = (globalThis as Record<symbol, unknown>)[RETRIES_SYMBOL];
if (typeof retries === 'number' && retries > 0) jest.retryTimes(retries, { logErrorsBeforeRetry: true });
