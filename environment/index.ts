// `testEnvironment: 'jest-flakeguard/environment'`: Jest's node environment plus flakeguard's per-test behaviour.

import NodeEnvironment from 'jest-environment-node';
import type { EnvironmentContext, JestEnvironment, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { readSelection, SELECTION_ENV, type Selection } from '../core/selection';
import { applySelections } from './selection';

type TestEventHandler = (event: Circus.Event, state: Circus.State) => void | Promise<void>;

/** Any environment class: jest-environment-node, jest-environment-jsdom, or a user's own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EnvironmentClass = new (...args: any[]) => Omit<JestEnvironment, 'handleTestEvent'>;

export interface FlakeguardEnvironmentMembers {
  handleTestEvent(event: Circus.Event, state: Circus.State): Promise<void>;
}

/** Adds flakeguard's behaviour to any environment class (node, jsdom, or a user's own). */
export function withFlakeguardEnvironment<Base extends EnvironmentClass>(
  Base: Base,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Base & (new (...args: any[]) => FlakeguardEnvironmentMembers) {
  const baseHandler = (Base.prototype as { handleTestEvent?: TestEventHandler }).handleTestEvent;
  return class FlakeguardEnvironment extends Base {
    private readonly flakeguardTestPath: string;
    private readonly flakeguardSelections: Selection[];

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      super(...args);
      const [, context] = args as [JestEnvironmentConfig, EnvironmentContext];
      this.flakeguardTestPath = context.testPath;
      const selectionFile = process.env[SELECTION_ENV];
      this.flakeguardSelections = selectionFile ? [readSelection(selectionFile)] : [];
    }

    async handleTestEvent(event: Circus.Event, state: Circus.State): Promise<void> {
      if (event.name === 'run_start' && this.flakeguardSelections.length > 0) {
        applySelections(state.rootDescribeBlock, this.flakeguardTestPath, this.flakeguardSelections);
      }
      await baseHandler?.call(this, event, state);
    }
  };
}

export const TestEnvironment: typeof NodeEnvironment & (new (...args: ConstructorParameters<typeof NodeEnvironment>) => FlakeguardEnvironmentMembers) =
  withFlakeguardEnvironment(NodeEnvironment);
export default TestEnvironment;
