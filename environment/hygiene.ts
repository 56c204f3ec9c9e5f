// One test file's hygiene: runs the trackers around every test, turns leaks into findings, fails the test in
// 'error' mode, undoes leaks, adds the stale-module hint, and hands the findings over at teardown.

import * as path from 'path';
import type { Circus } from '@jest/types';
import { inline } from '../core/safeText';
import { type CheckName, type Finding } from '../core/findings';
import { writeFindings } from '../io/findingsChannel';
import { findingsDir } from '../core/outputPaths';
import type { CheckPlan } from '../core/checkOptions';
import { oneLine } from '../core/errors';
import { jestMajor } from '../io/jestHost';
import {
  CROSS_REALM_MARK,
  crossRealmHint,
  errorText,
  isBuiltinConstructorName,
  messages,
  STALE_MODULE_MARK,
  staleConstructorName,
  staleModuleHint,
} from '../core/findingFormat';
import type { JudgeContext, Leak, Moment, SourceAt, Tracker, Verdict } from './leak';
import { MockTracker } from './mockTracker';
import { SandboxState } from './sandboxState';
import { WorkerState, type WorkerStateOptions } from './workerState';
import { titlePath } from './selection';
import { type FakeTimersLike, TimerTracker } from './timerTracker';
import { Locator, type Trace } from './trace';
import { definitionSites, importOf, packageOf } from './definitionSite';

export interface HygieneSetup {
  plan: CheckPlan;
  testPath: string;
  rootDir: string;
  project: string | null;
  restoreMocks: boolean;
  resetMocks: boolean;
  global: object;
  /** The environment's vm context (the object behind `global`), when it has one. */
  vmContext: object | null;
  /** The environment's ModuleMocker; null when the environment has none (no mock checks then). */
  moduleMocker: object | null;
  fakeTimers: { modern?: FakeTimersLike | null; legacy?: FakeTimersLike | null };
}

let circusMajorCache: number | undefined;
/** The running jest-circus's major version (once per process); 30 when it cannot be read. */
function circusMajor(): number {
  if (circusMajorCache === undefined) {
    try {
      circusMajorCache = jestMajor('jest-circus');
    } catch {
      circusMajorCache = 30;
    }
  }
  return circusMajorCache;
}

interface Candidate {
  leak: Leak;
  /** The test that left it. */
  test: Circus.TestEntry;
}

/** The source text of the beforeEach hooks that run for `test`, outermost first. */
function beforeEachSources(test: Circus.TestEntry): string[] {
  const sources: string[] = [];
  for (let block: Circus.DescribeBlock | undefined = test.parent; block; block = block.parent) {
    for (const hook of block.hooks) if (hook.type === 'beforeEach') sources.push(String(hook.fn));
  }
  return sources;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `test`'s own function declares `name` (`const parser = new Parser()`), or one of its beforeEach hooks
 * assigns it anew: an object only that test holds.
 */
function declaresLocally(test: Circus.TestEntry, name: string): boolean {
  const id = escapeRegExp(name);
  if (new RegExp(String.raw`\b(?:const|let|var)\s+${id}\s*=`).test(String(test.fn))) return true;
  const assigned = new RegExp(String.raw`(?:^|[^.\w$])${id}\s*=(?![=>])`);
  return beforeEachSources(test).some((source) => assigned.test(source));
}

/** Undoing is best effort: a thing that cannot be put back stays as it is, and never fails a test or the file. */
function undoSafely(undo: () => void): void {
  try {
    undo();
  } catch {
    // the code under test owns it now (a non-configurable property, a closed resource): leave it
  }
}

export class Hygiene {
  private readonly trackers: Tracker[];
  private readonly sandbox: SandboxState;
  private readonly locator: Locator;
  private readonly findings: Finding[] = [];
  /** Leaks of earlier tests not yet judged: a leak is a finding only once a later test (or the file's end) shows it. */
  private candidates: Candidate[] = [];
  /** Where a file-end leak's replacement is defined, when nothing else locates it. */
  private readonly definedAt = new Map<Leak, string>();
  private readonly reported = new Map<string, { finding: Finding; times: number; tests: Set<Circus.TestEntry | null> }>();
  /** The test the trackers attribute what is created to; null between tests and while concurrent tests run. */
  private attributed: Circus.TestEntry | null = null;
  /**
   * Concurrent tests whose bodies may be running. While any is, nothing created belongs to one test: their bodies
   * interleave with each other (and, in Jest 29, with every test of the file), so a spy or timer made by one would be
   * reported as — and undone at the end of — another. They are the file's, like module-level work.
   */
  private readonly concurrent = new Set<Circus.TestEntry>();

  constructor(private readonly setup: HygieneSetup) {
    const enabled = (check: CheckName): boolean => setup.plan.modes[check] !== 'off';
    const mocks = setup.moduleMocker
      ? new MockTracker(setup.moduleMocker, {
          enabled,
          restoreMocks: setup.restoreMocks,
          resetMocks: setup.resetMocks,
          global: setup.global,
          trackReplacements: enabled('leaked-env'),
        })
      : null;
    this.sandbox = new SandboxState({
      enabled,
      global: setup.global,
      keyHolder: setup.vmContext,
      replacementCovered: mocks ? (object, key) => mocks.replacementCovered(object, key) : undefined,
    });
    const worker = new WorkerState({
      enabled,
      sandboxProcess: (setup.global as { process?: WorkerStateOptions['sandboxProcess'] }).process,
      madeAt: (value) => mocks?.whereMade(value),
    });
    this.trackers = [new TimerTracker({ enabled, global: setup.global, fakeTimers: setup.fakeTimers }), this.sandbox, worker];
    if (mocks) this.trackers.unshift(mocks);
    this.locator = new Locator(setup.rootDir);
  }

  install(): void {
    for (const tracker of this.trackers) tracker.install();
  }

  uninstall(): void {
    for (const tracker of this.trackers) tracker.uninstall();
  }

  handleTestEvent(event: Circus.Event, state?: Circus.State): void {
    switch (event.name) {
      case 'setup':
        for (const tracker of this.trackers) tracker.frameworkLoaded?.();
        break;
      case 'run_start':
        if (state) this.concurrentUpFront(state.rootDescribeBlock);
        break;
      case 'test_start':
        if (event.test.concurrent) this.concurrent.add(event.test);
        if (event.test.concurrent || this.concurrent.size > 0) {
          this.sandbox.outsideTest();
          break;
        }
        this.attributed = event.test;
        for (const tracker of this.trackers) tracker.testStarted();
        if (this.candidates.length > 0) this.judge('start', event.test);
        break;
      case 'test_skip':
      case 'test_todo':
        this.concurrent.delete(event.test);
        if (this.attributed === event.test) {
          this.attributed = null;
          for (const tracker of this.trackers) tracker.testAbandoned();
        }
        break;
      case 'test_fn_start':
        if (this.attributed === event.test) {
          this.sandbox.bodyStarted();
          if (this.candidates.length > 0) this.judge('body', event.test);
        }
        break;
      case 'test_fn_success':
      case 'test_fn_failure':
        if (this.attributed === event.test) for (const tracker of this.trackers) tracker.bodyEnded?.();
        break;
      case 'hook_start':
        if (event.hook.type === 'beforeAll' || event.hook.type === 'afterAll') this.sandbox.outsideTest();
        break;
      case 'test_done':
        this.concurrent.delete(event.test);
        if (this.attributed === event.test) {
          this.attributed = null;
          if (this.candidates.length > 0) this.judge('done', event.test);
          this.testDone(event.test);
        } else {
          this.sandbox.outsideTest();
          if (this.setup.plan.modes['stale-module'] !== 'off') this.diagnoseStaleModules(event.test);
        }
        break;
      default:
    }
  }

  /**
   * Jest 29's circus starts every concurrent test's body right after the file's beforeAll hooks, before the first test
   * starts; Jest 30 runs them in a group, each between its own test_start and test_done.
   */
  private concurrentUpFront(root: Circus.DescribeBlock): void {
    const pending: Circus.TestEntry[] = [];
    const visit = (block: Circus.DescribeBlock): void => {
      for (const child of block.children) {
        if (child.type === 'describeBlock') visit(child);
        else if (child.concurrent && child.mode !== 'skip' && child.mode !== 'todo') pending.push(child);
      }
    };
    visit(root);
    if (pending.length === 0 || circusMajor() >= 30) return;
    for (const test of pending) this.concurrent.add(test);
  }

  /** The leaks of the test that just ended become candidates: only a later test (or the file's end) can confirm them. */
  private testDone(test: Circus.TestEntry): void {
    const { plan } = this.setup;
    for (const tracker of this.trackers) {
      for (const leak of tracker.testDone()) {
        if (plan.modes[leak.check] === 'off') continue;
        // Formatted now, while the file's source maps are surely in place (Jest 29 maps a stack read later wrongly).
        void leak.trace?.stack;
        this.candidates.push({ leak, test });
      }
    }
    if (plan.modes['stale-module'] !== 'off') this.diagnoseStaleModules(test);
  }

  /** Asks every candidate whether it reaches `current` at `moment`; reports those that do, forgets those gone. */
  private judge(moment: Moment, current: Circus.TestEntry): void {
    let sources: string[] | undefined;
    let leaking: Circus.TestEntry | null = null;
    const context: JudgeContext = {
      beforeEachSources: () => (sources ??= beforeEachSources(current)),
      localToLeakingTest: (name) => !!leaking && declaresLocally(leaking, name),
      sourceOf: this.sourceOf,
      testFileNames: (name) => this.locator.search(this.setup.testPath, new RegExp(String.raw`(?<![\w$])${escapeRegExp(name)}(?![\w$])`)) !== null,
    };
    const waiting: Candidate[] = [];
    let undone = false;
    const envBefore = this.setup.plan.isolate ? this.sandbox.envObject() : undefined;
    for (const candidate of this.candidates) {
      const { leak } = candidate;
      leaking = candidate.test;
      let verdict: Verdict;
      try {
        verdict = leak.judge ? leak.judge(moment, context) : moment === 'body' ? 'reached' : 'wait';
      } catch {
        verdict = 'gone'; // the thing cannot even be looked at any more (a revoked proxy): it reaches no one
      }
      if (verdict === 'reached') undone = this.report(leak, candidate.test, current) || undone;
      else if (verdict === 'wait') waiting.push(candidate);
    }
    this.candidates = waiting;
    if (undone && moment !== 'done') this.sandbox.afterUndo(envBefore);
  }

  /** One finding per (check, thing, line) in the file; the tests whose leak it was are counted. */
  /** Returns whether the leak was undone. */
  private report(leak: Leak, test: Circus.TestEntry | null, reached: Circus.TestEntry | null): boolean {
    const { plan } = this.setup;
    const mode = plan.modes[leak.check];
    const located = this.locator.locate(leak.trace);
    if (leak.onlyFromUserCode && !located) return false;
    const undone = plan.isolate && !!leak.undo;
    if (undone) undoSafely(leak.undo!);
    // Every finding points at the user's code: where the thing was made, else the test that left it.
    const declared = test ? this.locator.locate(test.asyncError as Trace | undefined) : null;
    const at =
      located?.at ??
      (leak.madeBy ? this.locator.search(this.setup.testPath, leak.madeBy, declared?.frame.file === this.setup.testPath ? declared.frame.line : 1)?.at : null) ??
      this.definedAt.get(leak) ??
      declared?.at ??
      null;
    const message = typeof leak.message === 'string' ? leak.message : leak.message({ ...this.sourceOf(leak.trace), sourceOf: this.sourceOf });
    const key = `${leak.check}\0${message}\0${at?.replace(/:\d+$/, '')}`;
    const titles = test ? titlePath(test) : [];
    let entry = this.reported.get(key);
    if (!entry) {
      const finding: Finding = {
        check: leak.check,
        project: this.setup.project,
        file: this.setup.testPath,
        titles,
        message,
        at,
        severity: mode === 'error' ? 'error' : 'warn',
        tests: 0,
      };
      if (reached) finding.reached = titlePath(reached);
      else finding.outlivesFile = true;
      entry = { finding, times: 0, tests: new Set() };
      this.reported.set(key, entry);
    }
    const first = !entry.tests.has(test);
    entry.tests.add(test);
    // `a.mockReturnValueOnce(1).mockReturnValueOnce(2)` is one leak of one test, twice.
    if (test === [...entry.tests][0]) entry.times++;
    if (first && test && mode === 'error' && test !== reached) test.errors.push(this.errorFor({ ...entry.finding, titles }));
    return undone;
  }

  /**
   * Where the replacement of a leak no stack saw made is defined (one inspector session for all of them): in the
   * user's code, that line; in a library, the test file's import of it (`import nock from 'nock'`).
   */
  private locateDefinitions(leaks: Leak[]): void {
    const { testPath } = this.setup;
    const unlocated = leaks.filter(
      (leak) => typeof leak.made === 'function' && !this.locator.locate(leak.trace) && !(leak.madeBy && this.locator.search(testPath, leak.madeBy)),
    );
    if (unlocated.length === 0) return;
    const sites = definitionSites(unlocated.map((leak) => leak.made));
    unlocated.forEach((leak, index) => {
      const site = sites[index];
      if (!site) return;
      const pkg = packageOf(site.file);
      const located = pkg === null ? this.locator.locateFrame(site) : this.locator.search(testPath, importOf(pkg));
      if (located) this.definedAt.set(leak, located.at);
    });
  }

  private readonly sourceOf = (trace: Trace | undefined): SourceAt => {
    const located = this.locator.locate(trace);
    return located ? { source: this.locator.sourceAt(located.frame), column: located.frame.column } : { source: '', column: 0 };
  };

  /** An Error whose stack points at the leak, so Jest prints the code frame of the line to fix. */
  private errorFor(finding: Finding): Error {
    const error = new Error(errorText(finding));
    const absolute = finding.at ? path.resolve(this.setup.rootDir, finding.at) : null;
    error.stack = `${error.name}: ${error.message}${absolute ? `\n    at ${absolute}` : ''}`;
    return error;
  }

  /** A toBeInstanceOf / toThrow(Class) failure between two same-named classes: say the module was loaded twice. */
  private diagnoseStaleModules(test: Circus.TestEntry): void {
    for (const entry of test.errors as unknown[]) {
      const error = (Array.isArray(entry) ? entry[0] : entry) as { message?: unknown; stack?: unknown } | null;
      if (!error || typeof error !== 'object' || typeof error.message !== 'string') continue;
      if (error.message.includes(STALE_MODULE_MARK) || error.message.includes(CROSS_REALM_MARK)) continue;
      const name = staleConstructorName(error.message);
      if (!name) continue;
      // Array, Error, …: the received value comes from another realm, not from a module loaded twice. A hint, no finding.
      const builtin = isBuiltinConstructorName(name);
      this.addHint(error, builtin ? crossRealmHint(name) : staleModuleHint(name));
      if (builtin) continue;
      const stack = typeof error.stack === 'string' ? { stack: error.stack } : undefined;
      const located = this.locator.locate(stack);
      this.findings.push({
        check: 'stale-module',
        project: this.setup.project,
        file: this.setup.testPath,
        titles: titlePath(test),
        message: messages.staleModule(name),
        at: located?.at ?? null,
        severity: this.setup.plan.modes['stale-module'] === 'error' ? 'error' : 'warn',
      });
    }
  }

  private addHint(error: { message?: unknown; stack?: unknown }, hint: string): void {
    const message = String(error.message);
    const hinted = message + hint;
    error.message = hinted;
    if (typeof error.stack === 'string' && error.stack.includes(message)) error.stack = error.stack.replace(message, () => hinted);
  }

  /**
   * Hands this file's findings to the reporter. Without jest-flakeguard/reporter nobody would collect a findings
   * file: each finding is one line on stderr instead, and nothing is left on disk. Nothing at all for a clean file.
   */
  teardown(): void {
    // What the last test left in the file's own state reaches no one; what outlives the file is judged now.
    for (const { leak, test } of this.candidates) {
      let outlives = false;
      try {
        outlives = leak.outlivesFile?.() ?? false;
      } catch {
        // cannot be looked at any more: it reaches no one
      }
      if (outlives) this.report(leak, test, null);
    }
    this.candidates = [];
    const fileLeaks: Leak[] = [];
    for (const tracker of this.trackers) {
      try {
        for (const leak of tracker.fileEnded?.() ?? []) if (this.setup.plan.modes[leak.check] !== 'off') fileLeaks.push(leak);
      } catch {
        // a tracker that cannot look (a torn-down global): nothing to report from it
      }
    }
    this.locateDefinitions(fileLeaks);
    for (const leak of fileLeaks) this.report(leak, null, null);
    for (const { finding, times, tests } of this.reported.values()) {
      if (times > 1) finding.message += ` (×${times})`;
      finding.tests = tests.size;
      this.findings.push(finding);
    }
    this.reported.clear();
    if (this.findings.length === 0) return;
    const dir = findingsDir();
    if (!dir) {
      const file = path.relative(this.setup.rootDir, this.setup.testPath).split(path.sep).join('/');
      for (const finding of this.findings) {
        const test = finding.titles.length > 0 ? ` › ${finding.titles.join(' › ')}` : '';
        process.stderr.write(`flakeguard: ${inline(`${file}${test}: ${finding.check} ${finding.message}${finding.at ? ` (${finding.at})` : ''}`)}\n`);
      }
      this.findings.length = 0;
      return;
    }
    try {
      writeFindings(dir, this.setup.testPath, this.findings);
    } catch (error) {
      // The tests ran and were judged; losing the report of their leaks must not fail the file.
      process.stderr.write(`jest-flakeguard: cannot write findings to ${dir} (${oneLine(error)}); check the directory is writable\n`);
    }
    this.findings.length = 0;
  }
}
