// The diagnosis on plain data: leaks and tests as literals, a test file on disk for the locations, findings out.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { planChecks, type FlakeguardEnvironmentOptions } from '../core/checkOptions';
import { errorText, STALE_MODULE_MARK, CROSS_REALM_MARK } from '../core/findingFormat';
import type { Definition } from './definitionSite';
import { declaresLocally, Diagnosis, type TestSubject } from './diagnosis';
import type { Leak, Moment, Verdict } from './leak';
import { Locator, type Trace } from './trace';

const SOURCE = [
  "import nock from 'nock';", // 1
  "describe('api', () => {", // 2
  "  test('sets', () => {", // 3
  "    process.env.API_URL = 'x';", // 4
  '    globalThis.cache = new Map();', // 5
  '  });', // 6
  "  test('next', () => {});", // 7
  '});', // 8
  'process.exitCode = 1;', // 9
].join('\n');

let dir: string;
let testPath: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diagnosis-spec-'));
  testPath = path.join(dir, 'api.test.ts');
  fs.writeFileSync(testPath, SOURCE);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A stack whose one frame is `line:column` of the test file (or of `file`). */
const traceAt = (line: number, column: number, file = testPath): Trace => ({ stack: `Error\n    at Object.<anonymous> (${file}:${line}:${column})` });

function subject(titles: string[], more: { declaredLine?: number; source?: string; hooks?: string[] } = {}): TestSubject {
  return {
    titles: () => [...titles],
    declared: more.declaredLine ? traceAt(more.declaredLine, 3) : undefined,
    source: () => more.source ?? '() => {}',
    beforeEachSources: () => more.hooks ?? [],
    errors: [],
  };
}

const envLeak = (more: Partial<Leak> = {}): Leak => ({ check: 'leaked-env', message: 'process.env.API_URL set and not restored', trace: traceAt(4, 5), ...more });

/** A judge answering `verdicts` in turn (the last one from then on), noting the moments it was asked at. */
function scripted(...verdicts: Verdict[]): { judge: NonNullable<Leak['judge']>; asked: Moment[] } {
  const asked: Moment[] = [];
  return { asked, judge: (moment) => (asked.push(moment), verdicts[Math.min(asked.length - 1, verdicts.length - 1)]!) };
}

function diagnosis(options: FlakeguardEnvironmentOptions = {}, definitionSites: (fns: readonly unknown[]) => Array<Definition | null> = (fns) => fns.map(() => null)) {
  return new Diagnosis({ plan: planChecks(options, {}), testPath, rootDir: dir, project: 'unit', locator: new Locator(dir), definitionSites });
}

/** The next test's three moments, as circus runs them. */
function runThrough(d: Diagnosis, test: TestSubject): void {
  for (const moment of ['start', 'body', 'done'] as const) if (d.pending) d.judge(moment, test);
}

describe('a leak is a candidate until a later test confirms it', () => {
  test('without a judge of its own, it reaches the next test as that body starts: one finding, located at its trace', () => {
    const d = diagnosis();
    const sets = subject(['api', 'sets']);
    d.testLeft(sets, [envLeak()]);
    expect(d.pending).toBe(true);
    d.judge('start', subject(['api', 'next']));
    expect(d.pending).toBe(true);
    d.judge('body', subject(['api', 'next']));
    expect(d.pending).toBe(false);
    expect(d.findings()).toEqual([
      {
        check: 'leaked-env',
        project: 'unit',
        file: testPath,
        titles: ['api', 'sets'],
        message: 'process.env.API_URL set and not restored',
        at: 'api.test.ts:4:5',
        severity: 'warn',
        tests: 1,
        reached: ['api', 'next'],
      },
    ]);
  });

  test("'gone' forgets it; a judge that throws counts as gone; 'wait' after 'done' carries it to the test after", () => {
    const d = diagnosis();
    const gone = scripted('gone');
    const throws: Leak['judge'] = () => {
      throw new TypeError('revoked proxy');
    };
    const late = scripted('wait', 'wait', 'wait', 'reached');
    d.testLeft(subject(['a']), [envLeak({ judge: gone.judge }), envLeak({ judge: throws, message: 'other' }), envLeak({ judge: late.judge, message: 'late' })]);
    runThrough(d, subject(['b']));
    expect(gone.asked).toEqual(['start']);
    expect(late.asked).toEqual(['start', 'body', 'done']);
    runThrough(d, subject(['c']));
    expect(late.asked).toEqual(['start', 'body', 'done', 'start']);
    expect(d.pending).toBe(false);
    expect(d.findings().map((f) => [f.message, f.titles, f.reached])).toEqual([['late', ['a'], ['c']]]);
  });

  test("a check set to 'off' never becomes a candidate", () => {
    const d = diagnosis({ checks: { 'leaked-env': 'off' } });
    d.testLeft(subject(['a']), [envLeak()]);
    expect(d.pending).toBe(false);
  });

  test('the judge sees the running test’s beforeEach sources and whether a name is local to the leaking test', () => {
    const d = diagnosis();
    const seen: unknown[] = [];
    d.testLeft(subject(['a'], { source: '() => { const parser = new Parser(); }' }), [
      envLeak({
        judge: (moment, context) => {
          seen.push([moment, context.beforeEachSources(), context.localToLeakingTest('parser'), context.localToLeakingTest('api'), context.testFileNames('cache')]);
          return 'gone';
        },
      }),
    ]);
    d.judge('start', subject(['b'], { hooks: ['() => { process.env.MODE = "x"; }'] }));
    expect(seen).toEqual([['start', ['() => { process.env.MODE = "x"; }'], true, false, true]]);
  });
});

describe('where a finding points', () => {
  const reach = (d: Diagnosis, left: TestSubject, leak: Leak): void => {
    d.testLeft(left, [leak]);
    d.judge('body', subject(['next']));
  };

  test('no trace: the first line of the test file matching madeBy, searched from the leaking test’s declaration on', () => {
    const d = diagnosis();
    reach(d, subject(['sets'], { declaredLine: 3 }), envLeak({ trace: undefined, madeBy: /globalThis\.cache\s*=/ }));
    reach(d, subject(['next'], { declaredLine: 7 }), envLeak({ trace: undefined, madeBy: /\bprocess\./, message: 'other' }));
    reach(d, subject(['undeclared']), envLeak({ trace: undefined, madeBy: /\bprocess\./, message: 'third' }));
    expect(d.findings().map((f) => f.at)).toEqual(['api.test.ts:5:5', 'api.test.ts:9:1', 'api.test.ts:4:5']);
  });

  test('nothing else: the line the leaking test is declared at; no test declaration either: null', () => {
    const d = diagnosis();
    reach(d, subject(['sets'], { declaredLine: 3 }), envLeak({ trace: undefined, message: 'one' }));
    reach(d, subject(['other']), envLeak({ trace: undefined, message: 'two' }));
    expect(d.findings().map((f) => f.at)).toEqual(['api.test.ts:3:3', null]);
  });

  test('onlyFromUserCode without a frame in the user’s code: no finding', () => {
    const d = diagnosis();
    reach(d, subject(['sets']), envLeak({ onlyFromUserCode: true, trace: traceAt(1, 1, path.join(dir, 'node_modules', 'lib', 'index.js')) }));
    expect(d.findings()).toEqual([]);
  });

  test('a message computed from the source text at the leak’s trace', () => {
    const d = diagnosis();
    reach(d, subject(['sets']), envLeak({ message: ({ source, column }) => `${source.split('\n')[0]!.trim()} @${column}` }));
    expect(d.findings()[0]!.message).toBe("process.env.API_URL = 'x'; @5");
  });
});

describe('one finding per check, thing and line', () => {
  test('three tests leaving the same thing at the same line: one finding of the first, tests: 3', () => {
    const d = diagnosis();
    for (const name of ['a', 'b', 'c']) {
      d.testLeft(subject([name]), [envLeak()]);
      d.judge('body', subject(['after ' + name]));
    }
    expect(d.findings().map((f) => [f.titles, f.reached, f.tests, f.message])).toEqual([[['a'], ['after a'], 3, 'process.env.API_URL set and not restored']]);
  });

  test('one test leaving it twice: counted in the message (×2); another column of the same line is the same thing', () => {
    const d = diagnosis();
    const a = subject(['a']);
    d.testLeft(a, [envLeak(), envLeak({ trace: traceAt(4, 9) })]);
    d.judge('body', subject(['b']));
    const [finding] = d.findings();
    expect([finding!.message, finding!.tests, finding!.at]).toEqual(['process.env.API_URL set and not restored (×2)', 1, 'api.test.ts:4:5']);
  });

  test('findings() hands them over once', () => {
    const d = diagnosis();
    d.testLeft(subject(['a']), [envLeak()]);
    d.judge('body', subject(['b']));
    expect(d.findings()).toHaveLength(1);
    expect(d.findings()).toEqual([]);
  });
});

describe("'error' mode and isolate", () => {
  test('the leaking test fails once, with an error whose stack is the absolute location; warn mode fails nothing', () => {
    const d = diagnosis({ checks: { 'leaked-env': 'error', 'leaked-global': 'warn' } });
    const left = subject(['sets']);
    d.testLeft(left, [envLeak(), envLeak({ trace: traceAt(4, 9) }), envLeak({ check: 'leaked-global', message: 'global cache added and not removed', trace: traceAt(5, 5) })]);
    d.judge('body', subject(['next']));
    const findings = d.findings();
    expect(findings.map((f) => f.severity)).toEqual(['error', 'warn']);
    expect(left.errors).toHaveLength(1);
    const error = left.errors[0] as Error;
    expect(error.message).toBe(errorText({ check: 'leaked-env', message: 'process.env.API_URL set and not restored', at: 'api.test.ts:4:5' }));
    expect(error.stack).toBe(`Error: ${error.message}\n    at ${path.join(dir, 'api.test.ts')}:4:5`);
  });

  test('isolate: true undoes what reached (judge() says so); an undo that throws is swallowed; without isolate nothing is undone', () => {
    const undone: string[] = [];
    const leaks = (): Leak[] => [
      envLeak({ undo: () => undone.push('env') }),
      envLeak({
        message: 'stuck',
        undo: () => {
          throw new TypeError('non-configurable');
        },
      }),
    ];
    const isolated = diagnosis({ isolate: true });
    isolated.testLeft(subject(['a']), leaks());
    expect(isolated.judge('body', subject(['b']))).toBe(true);
    expect(undone).toEqual(['env']);
    const plain = diagnosis();
    plain.testLeft(subject(['a']), leaks());
    expect(plain.judge('body', subject(['b']))).toBe(false);
    expect(undone).toEqual(['env']);
  });
});

describe('the end of the file', () => {
  test('a candidate that outlives the file is a finding of its test that reached no one; others, and one that throws, are not', () => {
    const d = diagnosis();
    d.testLeft(subject(['last']), [
      envLeak({ check: 'pending-timer', message: 'timer', outlivesFile: () => true }),
      envLeak({ message: 'file-own', outlivesFile: () => false }),
      envLeak({ message: 'plain' }),
      envLeak({
        message: 'revoked',
        outlivesFile: () => {
          throw new TypeError('revoked');
        },
      }),
    ]);
    d.fileEnded();
    expect(d.pending).toBe(false);
    const findings = d.findings();
    expect(findings.map((f) => [f.message, f.titles, f.outlivesFile, f.reached])).toEqual([['timer', ['last'], true, undefined]]);
  });

  test('a file-end leak is of no test, located at madeBy in the file; an "off" check is dropped', () => {
    const d = diagnosis({ checks: { 'open-handle': 'off' } });
    d.fileLeft([
      { check: 'worker-state', message: 'exit code', madeBy: /\bprocess\.exitCode\s*=(?!=)/ },
      { check: 'open-handle', message: 'server', trace: traceAt(4, 5) },
    ]);
    expect(d.findings().map((f) => [f.check, f.titles, f.at, f.outlivesFile, f.tests])).toEqual([['worker-state', [], 'api.test.ts:9:1', true, 1]]);
  });

  test('a replacement no stack saw made: at the test file’s import of the library that defines it, or at its definition in user code', () => {
    const fromLibrary = (): void => undefined;
    const fromUser = (): void => undefined;
    const native = (): void => undefined;
    const asked: unknown[][] = [];
    const d = diagnosis({}, (fns) => {
      asked.push([...fns]);
      return fns.map((fn) =>
        fn === fromLibrary
          ? { file: path.join(dir, 'node_modules', 'nock', 'lib', 'intercept.js'), line: 10, column: 3 }
          : fn === fromUser
            ? { file: testPath, line: 7, column: 3 }
            : null,
      );
    });
    d.fileLeft([
      { check: 'worker-state', message: 'http.request replaced', made: fromLibrary },
      { check: 'worker-state', message: 'fs.readFile replaced', made: fromUser },
      { check: 'worker-state', message: 'dns.lookup replaced', made: native },
      { check: 'worker-state', message: 'os.cpus replaced', made: 'not a function' },
    ]);
    expect(asked).toEqual([[fromLibrary, fromUser, native]]);
    expect(d.findings().map((f) => f.at)).toEqual(['api.test.ts:1:13', 'api.test.ts:7:3', null, null]);
  });
});

describe('stale modules', () => {
  const instanceofFailure = (name: string): Error => {
    const error = new Error(`expect(received).toBeInstanceOf(expected)\n\nExpected constructor: ${name}\nReceived constructor: ${name}\n`);
    error.stack = `${error.message}\n    at Object.<anonymous> (${testPath}:7:20)`;
    return error;
  };

  test('two same-named classes: the hint in the message and the stack, and a finding at the failing line', () => {
    const d = diagnosis();
    const test = subject(['api', 'next']);
    const error = instanceofFailure('Client');
    test.errors.push([error, 'circus keeps [error, asyncError] pairs']);
    d.staleModules(test);
    expect(error.message).toContain(STALE_MODULE_MARK);
    expect(error.stack).toContain(STALE_MODULE_MARK);
    expect(d.findings()).toEqual([
      {
        check: 'stale-module',
        project: 'unit',
        file: testPath,
        titles: ['api', 'next'],
        message: 'Client received is not the Client expected: its module was loaded twice',
        at: 'api.test.ts:7:20',
        severity: 'warn',
      },
    ]);
    d.staleModules(test);
    expect(error.message.split(STALE_MODULE_MARK)).toHaveLength(2);
    expect(d.findings()).toEqual([]);
  });

  test('a built-in (Array): the cross-realm hint and no finding; stale-module off: nothing at all', () => {
    const d = diagnosis();
    const builtin = instanceofFailure('Array');
    const test = subject(['a']);
    test.errors.push(builtin, 'not an error', null);
    d.staleModules(test);
    expect(builtin.message).toContain(CROSS_REALM_MARK);
    expect(d.findings()).toEqual([]);
    const off = diagnosis({ checks: { 'stale-module': 'off' } });
    const untouched = instanceofFailure('Client');
    const other = subject(['b']);
    other.errors.push(untouched);
    off.staleModules(other);
    expect(untouched.message).not.toContain(STALE_MODULE_MARK);
    expect(off.findings()).toEqual([]);
  });

  test('stale-module findings come before the counted ones', () => {
    const d = diagnosis();
    d.testLeft(subject(['a']), [envLeak()]);
    d.judge('body', subject(['b']));
    const failing = subject(['b']);
    failing.errors.push(instanceofFailure('Client'));
    d.staleModules(failing);
    expect(d.findings().map((f) => f.check)).toEqual(['stale-module', 'leaked-env']);
  });
});

describe('declaresLocally', () => {
  test.each([
    ['its own const', '() => { const parser = new Parser(); }', [], 'parser', true],
    ['a let of a longer name', '() => { let parserX = 1; }', [], 'parser', false],
    ['assigned anew by a beforeEach', '() => {}', ['() => { parser = new Parser(); }'], 'parser', true],
    ['a property of that name, or a comparison', '() => {}', ['() => { this.parser = 1; if (parser == 1) {} }'], 'parser', false],
    ['a $ name, taken literally', '() => { const $el = 1; }', [], '$el', true],
  ])('%s', (_what, source, hooks, name, expected) => {
    expect(declaresLocally(subject(['t'], { source, hooks }), name)).toBe(expected);
  });
});
