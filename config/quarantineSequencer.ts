// The `testSequencer` withFlakeguard sets: the user's sequencer (or Jest's own), with each project's part of the
// quarantine applied to the files Jest found. `stable` drops whole quarantined files, `flaky` keeps only quarantined
// files. Jest's testPathIgnorePatterns say the same, but `--testPathIgnorePatterns` on the command line replaces
// them; Jest hands every test to the sequencer after its own filters, so this selection is one no flag undoes.

import type { Test } from '@jest/test-result';
import { requireFromJest } from '../io/jestHost';
import { isFlakeguardError } from '../core/errors';
import { decodeEnvironmentOptions, type ProjectFileSelection } from '../core/environmentOptions';

interface Sequencer {
  sort(tests: Test[]): Test[] | Promise<Test[]>;
  shard?(tests: Test[], options: { shardIndex: number; shardCount: number }): Test[] | Promise<Test[]>;
  allFailedTests(tests: Test[]): Test[] | Promise<Test[]>;
  cacheResults(tests: Test[], results: unknown): void;
}
type SequencerClass = new (...args: unknown[]) => Sequencer;

/** Decoded once per project config: every test of a project shares its config object. */
const decoded = new WeakMap<object, ProjectFileSelection | undefined>();

/** The project's file selection, as withFlakeguard wrote it into the project's environment options. */
function selectionOf(test: Test): ProjectFileSelection | undefined {
  const options = test.context.config.testEnvironmentOptions;
  if (decoded.has(options)) return decoded.get(options);
  let files;
  try {
    files = decodeEnvironmentOptions(options).own?.files;
  } catch (error) {
    if (isFlakeguardError(error)) error.stack = `jest-flakeguard: ${error.message}`;
    throw error;
  }
  decoded.set(options, files);
  return files;
}

/** Whether a file stays in its project: a pure function of the project's selection. */
export function keepsFile(selection: ProjectFileSelection | undefined, file: string): boolean {
  if (!selection) return true;
  const listed = selection.files.includes(file);
  return selection.mode === 'only' ? listed : !listed;
}

function innerSequencer(tests: readonly Test[]): SequencerClass {
  const named = tests.map(selectionOf).find((selection) => selection?.sequencer)?.sequencer;
  const exported = requireFromJest<{ default?: SequencerClass } & SequencerClass>(named ?? '@jest/test-sequencer');
  return exported.default ?? exported;
}

export default class QuarantineSequencer implements Sequencer {
  private inner: Sequencer | undefined;
  private readonly args: unknown[];

  constructor(...args: unknown[]) {
    this.args = args;
  }

  /** Built on first use: the user's sequencer is named in the tests' project configs. */
  private sequencer(tests: readonly Test[]): Sequencer {
    this.inner ??= new (innerSequencer(tests))(...this.args);
    return this.inner;
  }

  sort(tests: Test[]): Test[] | Promise<Test[]> {
    const sequencer = this.sequencer(tests);
    return sequencer.sort(tests.filter((test) => keepsFile(selectionOf(test), test.path)));
  }

  shard(tests: Test[], options: { shardIndex: number; shardCount: number }): Test[] | Promise<Test[]> {
    const sequencer = this.sequencer(tests);
    if (typeof sequencer.shard !== 'function') throw new TypeError(`--shard needs a test sequencer with a shard method; yours has none`);
    return sequencer.shard(tests, options);
  }

  allFailedTests(tests: Test[]): Test[] | Promise<Test[]> {
    return this.sequencer(tests).allFailedTests(tests);
  }

  cacheResults(tests: Test[], results: unknown): void {
    this.sequencer(tests).cacheResults(tests, results);
  }
}
