// `testEnvironment: 'jest-flakeguard/environment'`: Jest's node environment plus flakeguard's per-test behaviour
// (test selection, and the hygiene checks with their isolation). `withFlakeguardEnvironment` adds the same to any
// environment class.

import type NodeEnvironmentType from 'jest-environment-node';
import { assertSupportedJest, requireFromJest } from '../io/jestHost';
import type { EnvironmentContext, JestEnvironment, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { planChecks, type FlakeguardEnvironmentOptions } from '../core/checkOptions';
import { decodeEnvironmentOptions, removeCopiedOptions, type DecodedEnvironmentOptions } from '../core/environmentOptions';
import { isFlakeguardError, oneLine } from '../core/errors';
import { receivedSelection, type Selection } from '../io/selectionFile';
import { Hygiene } from './hygiene';
import { applySelections } from './selection';
import type { FakeTimersLike } from './timerTracker';

export type { FlakeguardEnvironmentOptions } from '../core/checkOptions';

type TestEventHandler = (event: Circus.Event, state: Circus.State) => void | Promise<void>;

/** Any environment class: jest-environment-node, jest-environment-jsdom, or a user's own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EnvironmentClass = new (...args: any[]) => Omit<JestEnvironment, 'handleTestEvent' | 'teardown'> & { teardown(): Promise<void> };

export interface FlakeguardEnvironmentMembers {
  handleTestEvent(event: Circus.Event, state: Circus.State): void | Promise<void>;
}

/** The config the base environment sees: `testEnvironmentOptions` without ours (node copies options onto the global). */
function withoutOurOptions(config: JestEnvironmentConfig): { config: JestEnvironmentConfig; options: DecodedEnvironmentOptions } {
  const options = decodeEnvironmentOptions(config.projectConfig.testEnvironmentOptions);
  return { config: { ...config, projectConfig: { ...config.projectConfig, testEnvironmentOptions: options.base } }, options };
}

function displayName(projectConfig: JestEnvironmentConfig['projectConfig']): string | null {
  const name: unknown = projectConfig.displayName;
  if (typeof name === 'string') return name;
  if (name && typeof name === 'object' && typeof (name as { name?: unknown }).name === 'string') return (name as { name: string }).name;
  return null;
}

/** The vm context object behind an environment's global (node: the contextified sandbox; jsdom: the window). */
function vmContextBehind(environment: { getVmContext?: () => unknown; global: unknown }): object | null {
  const context = typeof environment.getVmContext === 'function' ? environment.getVmContext() : null;
  return context && typeof context === 'object' && context !== environment.global ? context : null;
}

/** A bad option fails each test file with one line, not a stack trace. */
function oneLineError(error: unknown): unknown {
  if (!isFlakeguardError(error)) return error;
  error.stack = `jest-flakeguard: ${error.message}`;
  return error;
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
    private readonly flakeguardHygiene: Hygiene;

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      const [givenConfig, context, ...rest] = args as [JestEnvironmentConfig, EnvironmentContext, ...unknown[]];
      let plan, config, options, selection;
      try {
        ({ config, options } = withoutOurOptions(givenConfig));
        plan = planChecks(options.hygiene as FlakeguardEnvironmentOptions | undefined, {
          allow: context.docblockPragmas?.['flakeguard-allow'],
          testPath: context.testPath,
        });
        selection = receivedSelection();
      } catch (error) {
        throw oneLineError(error);
      }
      super(config, context, ...rest);
      const { projectConfig } = config;
      this.flakeguardTestPath = context.testPath;
      this.flakeguardSelections = selection ? [selection] : [];
      const global = this.global as unknown as Record<string, unknown>;
      // A base that copies options by other means must not leave ours on the sandbox either.
      if (global) removeCopiedOptions(global, options);
      this.flakeguardHygiene = new Hygiene({
        plan,
        testPath: context.testPath,
        rootDir: projectConfig.rootDir,
        project: displayName(projectConfig),
        restoreMocks: projectConfig.restoreMocks,
        resetMocks: projectConfig.resetMocks,
        global: this.global,
        vmContext: vmContextBehind(this),
        moduleMocker: this.moduleMocker,
        fakeTimers: {
          modern: this.fakeTimersModern as unknown as FakeTimersLike | null,
          legacy: this.fakeTimers as unknown as FakeTimersLike | null,
        },
      });
      this.flakeguardHygiene.install();
    }

    // Synchronous unless the base environment's handler is not: jest-circus awaits every event, and a promise per
    // event is measurable over thousands of tests.
    handleTestEvent(event: Circus.Event, state: Circus.State): void | Promise<void> {
      if (event.name === 'run_start' && this.flakeguardSelections.length > 0) {
        applySelections(state.rootDescribeBlock, this.flakeguardTestPath, this.flakeguardSelections);
      }
      const hygiene = this.flakeguardHygiene;
      if (!baseHandler) return hygiene.handleTestEvent(event, state);
      // Flakeguard sits inside the base environment: a test starts for it after the base has done its own start
      // work, and ends for it before the base's end work, so what the base sets up is never the test's leak.
      if (event.name === 'test_start') {
        const started = baseHandler.call(this, event, state);
        if (started && typeof started.then === 'function') return started.then(() => hygiene.handleTestEvent(event, state));
        return hygiene.handleTestEvent(event, state);
      }
      hygiene.handleTestEvent(event, state);
      return baseHandler.call(this, event, state);
    }

    async teardown(): Promise<void> {
      // Reporting and uninstalling are ours: neither may keep the base environment from tearing down, nor fail the file.
      try {
        this.flakeguardHygiene.teardown();
      } catch (error) {
        process.stderr.write(`jest-flakeguard: hygiene teardown failed for ${this.flakeguardTestPath}: ${oneLine(error)}\n`);
      }
      try {
        this.flakeguardHygiene.uninstall();
      } catch {
        // a wrapper the code under test replaced: nothing of ours to take back
      }
      await super.teardown();
    }
  };
}

assertSupportedJest();
// The running Jest's node environment (Jest 29 or 30), not necessarily the one beside this package.
const NodeEnvironment = requireFromJest<{ default: typeof NodeEnvironmentType }>('jest-environment-node').default;

export const TestEnvironment: typeof NodeEnvironmentType & (new (...args: ConstructorParameters<typeof NodeEnvironmentType>) => FlakeguardEnvironmentMembers) =
  withFlakeguardEnvironment(NodeEnvironment);
export default TestEnvironment;
