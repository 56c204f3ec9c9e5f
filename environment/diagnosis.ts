// Turns one test file's leaks into findings: when a leak counts, where it points, how often, and what it fails.

import * as path from 'path';
import type { CheckPlan } from '../core/checkOptions';
import type { Finding } from '../core/findings';
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
import { type Definition, importOf, packageOf } from './definitionSite';
import type { JudgeContext, Leak, Moment, SourceAt, Verdict } from './leak';
import type { Locator, Trace } from './trace';

/** What the diagnosis needs of a test: hygiene.ts makes one per circus test entry, a spec one of plain data. */
export interface TestSubject {
  /** Describe titles, then the test's own. */
  titles(): string[];
  /** Where the test is declared (the stack of its `test()` call): locates a leak nothing else locates. */
  readonly declared: Trace | undefined;
  /** The source text of the test's own function. */
  source(): string;
  /** The source text of the beforeEach hooks that run for it, innermost describe block first. */
  beforeEachSources(): readonly string[];
  /** The errors it fails with: one pushed here fails it. Read each time (a retry gives the test a new list). */
  readonly errors: unknown[];
}

export interface DiagnosisSetup {
  plan: CheckPlan;
  testPath: string;
  rootDir: string;
  project: string | null;
  /** Resolves traces and reads source text (environment/trace's Locator). */
  locator: Locator;
  /** Where functions are defined (environment/definitionSite's, asked of the inspector). */
  definitionSites: (fns: readonly unknown[]) => Array<Definition | null>;
}

interface Candidate {
  leak: Leak;
  /** The test that left it. */
  test: TestSubject;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `test`'s own function declares `name` (`const parser = new Parser()`), or one of its beforeEach hooks
 * assigns it anew: an object only that test holds.
 */
export function declaresLocally(test: TestSubject, name: string): boolean {
  const id = escapeRegExp(name);
  if (new RegExp(String.raw`\b(?:const|let|var)\s+${id}\s*=`).test(test.source())) return true;
  const assigned = new RegExp(String.raw`(?:^|[^.\w$])${id}\s*=(?![=>])`);
  return test.beforeEachSources().some((source) => assigned.test(source));
}

/** Undoing is best effort: a thing that cannot be put back stays as it is, and never fails a test or the file. */
function undoSafely(undo: () => void): void {
  try {
    undo();
  } catch {
    // the code under test owns it now (a non-configurable property, a closed resource): leave it
  }
}

/** Puts `hint` after an error's message, in its stack too, so Jest prints it. */
function addHint(error: { message?: unknown; stack?: unknown }, hint: string): void {
  const message = String(error.message);
  const hinted = message + hint;
  error.message = hinted;
  if (typeof error.stack === 'string' && error.stack.includes(message)) error.stack = error.stack.replace(message, () => hinted);
}

/**
 * A leak becomes a candidate when its test ends; a later test's start, body or end confirms it or lets it go, and the
 * file's end asks what is left whether it outlives the file. A confirmed leak is located, undone under isolate: true,
 * fails the test that left it in 'error' mode, and is one finding per (check, thing, line). Knows nothing of circus's
 * events or of the trackers (hygiene.ts feeds it), so a spec drives it with plain data.
 */
export class Diagnosis {
  /** Leaks of earlier tests not yet judged: a leak is a finding only once a later test (or the file's end) shows it. */
  private candidates: Candidate[] = [];
  /** Where a file-end leak's replacement is defined, when nothing else locates it. */
  private readonly definedAt = new Map<Leak, string>();
  private readonly reported = new Map<string, { finding: Finding; times: number; tests: Set<TestSubject | null> }>();
  /** Findings made on the spot (stale modules), before the counted ones. */
  private readonly immediate: Finding[] = [];

  constructor(private readonly setup: DiagnosisSetup) {}

  /** Whether leaks wait for a later test to judge them. */
  get pending(): boolean {
    return this.candidates.length > 0;
  }

  /** The leaks `test` left (as it ended) become candidates: only a later test (or the file's end) can confirm them. */
  testLeft(test: TestSubject, leaks: readonly Leak[]): void {
    const { plan } = this.setup;
    for (const leak of leaks) {
      if (plan.modes[leak.check] === 'off') continue;
      // Formatted now, while the file's source maps are surely in place (Jest 29 maps a stack read later wrongly).
      void leak.trace?.stack;
      this.candidates.push({ leak, test });
    }
  }

  /** Asks every candidate whether it reaches `current` at `moment`; reports those that do, forgets those gone. Returns whether one was undone. */
  judge(moment: Moment, current: TestSubject): boolean {
    let sources: readonly string[] | undefined;
    let leaking: TestSubject | null = null;
    const { locator, testPath } = this.setup;
    const context: JudgeContext = {
      beforeEachSources: () => (sources ??= current.beforeEachSources()),
      localToLeakingTest: (name) => !!leaking && declaresLocally(leaking, name),
      sourceOf: this.sourceOf,
      testFileNames: (name) => locator.search(testPath, new RegExp(String.raw`(?<![\w$])${escapeRegExp(name)}(?![\w$])`)) !== null,
    };
    const waiting: Candidate[] = [];
    let undone = false;
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
    return undone;
  }

  /** The file ends: what the last tests left in the file's own state reaches no one; what outlives the file is reported. */
  fileEnded(): void {
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
  }

  /** Leaks of state that outlives the file (the trackers' file-end ones): each is reported, of no test. */
  fileLeft(leaks: readonly Leak[]): void {
    const wanted = leaks.filter((leak) => this.setup.plan.modes[leak.check] !== 'off');
    this.locateDefinitions(wanted);
    for (const leak of wanted) this.report(leak, null, null);
  }

  /** The file's findings, counted (`(×3)` for a leak one test left three times), once: the diagnosis forgets them. */
  findings(): Finding[] {
    const findings = this.immediate.splice(0);
    for (const { finding, times, tests } of this.reported.values()) {
      if (times > 1) finding.message += ` (×${times})`;
      finding.tests = tests.size;
      findings.push(finding);
    }
    this.reported.clear();
    return findings;
  }

  /** A toBeInstanceOf / toThrow(Class) failure between two same-named classes: say the module was loaded twice. */
  staleModules(test: TestSubject): void {
    if (this.setup.plan.modes['stale-module'] === 'off') return;
    for (const entry of test.errors) {
      const error = (Array.isArray(entry) ? entry[0] : entry) as { message?: unknown; stack?: unknown } | null;
      if (!error || typeof error !== 'object' || typeof error.message !== 'string') continue;
      if (error.message.includes(STALE_MODULE_MARK) || error.message.includes(CROSS_REALM_MARK)) continue;
      const name = staleConstructorName(error.message);
      if (!name) continue;
      // Array, Error, …: the received value comes from another realm, not from a module loaded twice. A hint, no finding.
      const builtin = isBuiltinConstructorName(name);
      addHint(error, builtin ? crossRealmHint(name) : staleModuleHint(name));
      if (builtin) continue;
      const stack = typeof error.stack === 'string' ? { stack: error.stack } : undefined;
      const located = this.setup.locator.locate(stack);
      this.immediate.push({
        check: 'stale-module',
        project: this.setup.project,
        file: this.setup.testPath,
        titles: test.titles(),
        message: messages.staleModule(name),
        at: located?.at ?? null,
        severity: this.setup.plan.modes['stale-module'] === 'error' ? 'error' : 'warn',
      });
    }
  }

  /** One finding per (check, thing, line) in the file; the tests whose leak it was are counted. Returns whether the leak was undone. */
  private report(leak: Leak, test: TestSubject | null, reached: TestSubject | null): boolean {
    const { plan, locator, testPath } = this.setup;
    const mode = plan.modes[leak.check];
    const located = locator.locate(leak.trace);
    if (leak.onlyFromUserCode && !located) return false;
    const undone = plan.isolate && !!leak.undo;
    if (undone) undoSafely(leak.undo!);
    // Every finding points at the user's code: where the thing was made, else the test that left it.
    const declared = test ? locator.locate(test.declared) : null;
    const at =
      located?.at ??
      (leak.madeBy ? locator.search(testPath, leak.madeBy, declared?.frame.file === testPath ? declared.frame.line : 1)?.at : null) ??
      this.definedAt.get(leak) ??
      declared?.at ??
      null;
    const message = typeof leak.message === 'string' ? leak.message : leak.message({ ...this.sourceOf(leak.trace), sourceOf: this.sourceOf });
    const key = `${leak.check}\0${message}\0${at?.replace(/:\d+$/, '')}`;
    const titles = test ? test.titles() : [];
    let entry = this.reported.get(key);
    if (!entry) {
      const finding: Finding = {
        check: leak.check,
        project: this.setup.project,
        file: testPath,
        titles,
        message,
        at,
        severity: mode === 'error' ? 'error' : 'warn',
        tests: 0,
      };
      if (reached) finding.reached = reached.titles();
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
    const { locator, testPath } = this.setup;
    const unlocated = leaks.filter((leak) => typeof leak.made === 'function' && !locator.locate(leak.trace) && !(leak.madeBy && locator.search(testPath, leak.madeBy)));
    if (unlocated.length === 0) return;
    const sites = this.setup.definitionSites(unlocated.map((leak) => leak.made));
    unlocated.forEach((leak, index) => {
      const site = sites[index];
      if (!site) return;
      const pkg = packageOf(site.file);
      const located = pkg === null ? locator.locateFrame(site) : locator.search(testPath, importOf(pkg));
      if (located) this.definedAt.set(leak, located.at);
    });
  }

  private readonly sourceOf = (trace: Trace | undefined): SourceAt => {
    const { locator } = this.setup;
    const located = locator.locate(trace);
    return located ? { source: locator.sourceAt(located.frame), column: located.frame.column } : { source: '', column: 0 };
  };

  /** An Error whose stack points at the leak, so Jest prints the code frame of the line to fix. */
  private errorFor(finding: Finding): Error {
    const error = new Error(errorText(finding));
    const absolute = finding.at ? path.resolve(this.setup.rootDir, finding.at) : null;
    error.stack = `${error.name}: ${error.message}${absolute ? `\n    at ${absolute}` : ''}`;
    return error;
  }
}
