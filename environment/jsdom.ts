// `testEnvironment: 'jest-flakeguard/environment/jsdom'`: jest-environment-jsdom (an optional peer dependency) plus
// flakeguard's per-test behaviour.

import type JSDOMEnvironmentType from 'jest-environment-jsdom';
import { FlakeguardError } from '../core/errors';
import { withFlakeguardEnvironment, type FlakeguardEnvironmentMembers } from './index';

function loadJsdom(): typeof JSDOMEnvironmentType {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('jest-environment-jsdom') as { default: typeof JSDOMEnvironmentType }).default;
  } catch {
    const error = new FlakeguardError('NOT_FOUND', 'jest-flakeguard/environment/jsdom needs jest-environment-jsdom: npm i -D jest-environment-jsdom');
    error.stack = error.message;
    throw error;
  }
}

export const TestEnvironment: typeof JSDOMEnvironmentType &
  (new (...args: ConstructorParameters<typeof JSDOMEnvironmentType>) => FlakeguardEnvironmentMembers) = withFlakeguardEnvironment(loadJsdom());
export default TestEnvironment;
