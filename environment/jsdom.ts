// `testEnvironment: 'jest-flakeguard/environment/jsdom'`: jest-environment-jsdom (an optional peer dependency) plus
// flakeguard's per-test behaviour.

import type JSDOMEnvironmentType from 'jest-environment-jsdom';
import { FlakeguardError } from '../core/errors';
import { requireFromJest } from '../io/jestHost';
import { withFlakeguardEnvironment, type FlakeguardEnvironmentMembers } from './index';

function loadJsdom(): typeof JSDOMEnvironmentType {
  try {
    // The running Jest's jsdom environment, as for the node one (see io/jestHost).
    return requireFromJest<{ default: typeof JSDOMEnvironmentType }>('jest-environment-jsdom').default;
  } catch {
    const error = new FlakeguardError('NOT_FOUND', 'jest-flakeguard/environment/jsdom needs jest-environment-jsdom: npm i -D jest-environment-jsdom');
    error.stack = error.message;
    throw error;
  }
}

export const TestEnvironment: typeof JSDOMEnvironmentType & (new (...args: ConstructorParameters<typeof JSDOMEnvironmentType>) => FlakeguardEnvironmentMembers) =
  withFlakeguardEnvironment(loadJsdom());
export default TestEnvironment;
