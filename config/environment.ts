// The environment `withFlakeguard` gives the `stable` and `flaky` projects: flakeguard's environment (node, jsdom, or
// the user's own class through the mixin) plus this project's part of the quarantine and its retry count.
//
// It decodes what withFlakeguard wrote into `testEnvironmentOptions` (core/environmentOptions: the environment, the
// quarantine, the retries), hands the base environment only the user's hygiene options (it validates them and copies
// the rest onto the sandbox), builds the environment the user chose, and returns that instance: Jest talks to the real
// environment, this module only configures it.

import * as fs from 'fs';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { FlakeguardError, oneLine } from '../core/errors';
import { loadQuarantineSelection } from '../io/quarantineFile';
import type { EnvironmentClass } from '../environment';
import { applySelections } from '../environment/selection';
import { decodeEnvironmentOptions, hygieneOptionsOnly, type QuarantineEnvironmentOptions } from '../core/environmentOptions';
import { putRetries } from '../core/retries';
import type { Selection } from '../core/selection';

type Handler = (event: Circus.Event, state: Circus.State) => void | Promise<void>;
interface EnvironmentInstance {
  global: Record<string | symbol, unknown>;
  handleTestEvent?: Handler;
}

function fail(message: string): never {
  const error = new FlakeguardError('BAD_OPTION', message);
  error.stack = `jest-flakeguard: ${error.message}`;
  throw error;
}

function baseEnvironment(name: string | undefined): EnvironmentClass {
  if (!name || name === 'node') return (require('../environment') as { TestEnvironment: EnvironmentClass }).TestEnvironment;
  if (name === 'jsdom') return (require('../environment/jsdom') as { TestEnvironment: EnvironmentClass }).TestEnvironment;
  let exported: { default?: unknown; TestEnvironment?: unknown };
  try {
    exported = require(name) as typeof exported;
  } catch (error) {
    return fail(`cannot load testEnvironment ${name} (${oneLine(error)}); withFlakeguard loads it without Jest's transform, so it must be JavaScript`);
  }
  const Base = exported.default ?? exported.TestEnvironment ?? exported;
  if (typeof Base !== 'function') return fail(`testEnvironment ${name} exports no environment class`);
  const { withFlakeguardEnvironment } = require('../environment') as typeof import('../environment');
  return withFlakeguardEnvironment(Base as EnvironmentClass);
}

/**
 * Each project's selection, once per worker process: Jest builds an environment for every test file, and reading a
 * 100,000-entry quarantine took a second or more each time. A file changed since (size, mtime, inode) is read again.
 */
const selections = new Map<string, { stamp: string; selection: Selection }>();

function quarantineSelection(options: QuarantineEnvironmentOptions): Selection {
  const stat = fs.statSync(options.file, { throwIfNoEntry: false });
  const stamp = stat ? `${stat.size}:${stat.mtimeMs}:${stat.ino}` : 'absent';
  const key = JSON.stringify([options.mode, options.rootDir, options.file]);
  const cached = selections.get(key);
  if (cached?.stamp === stamp) return cached.selection;
  const selection = loadQuarantineSelection(options);
  selections.set(key, { stamp, selection });
  return selection;
}

/** Jest calls `new ProjectEnvironment(config, context)`; the object it gets is the chosen environment, configured. */
function ProjectEnvironment(config: JestEnvironmentConfig, context: EnvironmentContext, ...rest: unknown[]): EnvironmentInstance {
  let decoded;
  try {
    decoded = decodeEnvironmentOptions(config.projectConfig.testEnvironmentOptions);
  } catch (error) {
    return fail(oneLine(error));
  }
  const given = decoded.own ?? {};
  const options = hygieneOptionsOnly(decoded);

  const Environment = baseEnvironment(given.environment);
  const instance = new Environment(
    { ...config, projectConfig: { ...config.projectConfig, testEnvironmentOptions: options } },
    context,
    ...rest,
  ) as unknown as EnvironmentInstance;

  if (given.retries !== undefined) putRetries(instance.global, given.retries);

  if (given.quarantine) {
    let selection;
    try {
      selection = quarantineSelection(given.quarantine);
    } catch (error) {
      return fail(oneLine(error));
    }
    const handler = instance.handleTestEvent?.bind(instance);
    instance.handleTestEvent = async (event, state) => {
      if (event.name === 'run_start') applySelections(state.rootDescribeBlock, context.testPath, [selection]);
      await handler?.(event, state);
    };
  }
  return instance;
}

export default ProjectEnvironment;
