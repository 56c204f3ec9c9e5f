// One test file's hygiene as jest-circus's events drive it: whose test the trackers see, and when the diagnosis judges.

import type { Circus } from '@jest/types';
import type { CheckName } from '../core/findings';
import type { CheckPlan } from '../core/checkOptions';
import { jestMajor } from '../io/jestHost';
import { definitionSites } from './definitionSite';
import { Diagnosis, type TestSubject } from './diagnosis';
import { handOverFindings } from './findingsHandover';
import type { Leak, Moment, Tracker } from './leak';
import { MockTracker } from './mockTracker';
import { SandboxState } from './sandboxState';
import { WorkerState, type WorkerStateOptions } from './workerState';
import { titlePath } from './selection';
import { type FakeTimersLike, TimerTracker } from './timerTracker';
import { Locator, type Trace } from './trace';

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

/** A circus test entry as the diagnosis sees it; read when asked (a retry gives the entry a new error list). */
class CircusTest implements TestSubject {
  constructor(private readonly entry: Circus.TestEntry) {}

  titles(): string[] {
    return titlePath(this.entry);
  }

  get declared(): Trace | undefined {
    return this.entry.asyncError as Trace | undefined;
  }

  source(): string {
    return String(this.entry.fn);
  }

  beforeEachSources(): string[] {
    const sources: string[] = [];
    for (let block: Circus.DescribeBlock | undefined = this.entry.parent; block; block = block.parent) {
      for (const hook of block.hooks) if (hook.type === 'beforeEach') sources.push(String(hook.fn));
    }
    return sources;
  }

  get errors(): unknown[] {
    return this.entry.errors;
  }
}

/**
 * Runs the trackers around every test — what is made belongs to the test running then, not to a concurrent one or a
 * beforeAll hook — feeds their leaks to the diagnosis at the moments it judges, and hands the findings over at teardown.
 */
export class Hygiene {
  private readonly trackers: Tracker[];
  private readonly sandbox: SandboxState;
  private readonly diagnosis: Diagnosis;
  /** One subject per test entry, made when the diagnosis first needs it: the diagnosis tells tests apart by identity. */
  private readonly subjects = new WeakMap<Circus.TestEntry, CircusTest>();
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
    const { plan, testPath, rootDir, project } = setup;
    this.diagnosis = new Diagnosis({ plan, testPath, rootDir, project, locator: new Locator(rootDir), definitionSites });
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
        this.judge('start', event.test);
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
          this.judge('body', event.test);
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
          this.judge('done', event.test);
          this.testDone(event.test);
        } else {
          this.sandbox.outsideTest();
          this.staleModules(event.test);
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

  private subjectOf(test: Circus.TestEntry): CircusTest {
    let subject = this.subjects.get(test);
    if (!subject) this.subjects.set(test, (subject = new CircusTest(test)));
    return subject;
  }

  /** Earlier tests' leaks are judged at `test`'s moment; what was undone as its body starts is its new baseline. */
  private judge(moment: Moment, test: Circus.TestEntry): void {
    if (!this.diagnosis.pending) return;
    const envBefore = this.setup.plan.isolate ? this.sandbox.envObject() : undefined;
    if (this.diagnosis.judge(moment, this.subjectOf(test)) && moment !== 'done') this.sandbox.afterUndo(envBefore);
  }

  /** The leaks of the test that just ended go to the diagnosis as candidates. */
  private testDone(test: Circus.TestEntry): void {
    for (const tracker of this.trackers) {
      const leaks = tracker.testDone();
      if (leaks.length > 0) this.diagnosis.testLeft(this.subjectOf(test), leaks);
    }
    this.staleModules(test);
  }

  private staleModules(test: Circus.TestEntry): void {
    if (test.errors.length > 0) this.diagnosis.staleModules(this.subjectOf(test));
  }

  /**
   * Hands this file's findings to the reporter (environment/findingsHandover): what outlives the file is judged
   * first, before the trackers look at the worker one last time.
   */
  teardown(): void {
    this.diagnosis.fileEnded();
    const fileLeaks: Leak[] = [];
    for (const tracker of this.trackers) {
      try {
        fileLeaks.push(...(tracker.fileEnded?.() ?? []));
      } catch {
        // a tracker that cannot look (a torn-down global): nothing to report from it
      }
    }
    this.diagnosis.fileLeft(fileLeaks);
    handOverFindings(this.diagnosis.findings(), this.setup.testPath, this.setup.rootDir);
  }
}
