// The words of a finding: naming the leaked thing from its source text, the one-line messages, the text of a
// failing test in 'error' mode, and the stale-module diagnosis of an instanceof failure.

import type { CheckName, Finding } from './findings';
import { stripAnsi } from './safeText';

/** What to do about each check, said once in the error a test fails with. */
export const CHECK_FIXES: Record<CheckName, string> = {
  'unrestored-spy': 'restore it (mockRestore() in afterEach, or restoreMocks: true in the Jest config)',
  'unused-mock-once': 'consume every queued value in the test, or call mockReset() in afterEach',
  'pending-mock-promise': 'await the call (or its result) before the test ends',
  'leaked-env': 'save the value in beforeEach and put it back in afterEach',
  'leaked-global': 'delete the property in afterEach',
  'pending-timer': 'clear it (clearTimeout/clearInterval) in the test or afterEach, or unref() it',
  'fake-timers-left': 'call jest.useRealTimers() in afterEach',
  'stale-module': 'import the class again after jest.resetModules() (or require it inside jest.isolateModules)',
  'worker-state': 'put it back in afterEach/afterAll (jest.spyOn + restoreAllMocks, not assignment; save and restore process.exitCode and the cwd)',
  'open-handle': 'close it in afterAll (server.close(), socket.destroy(), child.kill())',
};

const IDENT = String.raw`[A-Za-z_$][\w$]*`;
const CHAIN = String.raw`${IDENT}(?:\s*\??\.\s*${IDENT}|\[[^\]\n]*\])*`;
const QUOTED = String.raw`(['"\x60])((?:(?!\2).)+)\2`;

/** Index into `text` of `column` (1-based) on its first line. */
const indexOf = (column: number): number => Math.max(0, column - 1);

function nearest(matches: RegExpExecArray[], index: number, at: (match: RegExpExecArray) => number): RegExpExecArray | undefined {
  let best: RegExpExecArray | undefined;
  for (const match of matches) {
    if (!best || Math.abs(at(match) - index) < Math.abs(at(best) - index)) best = match;
  }
  return best;
}

function allMatches(pattern: RegExp, text: string): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) matches.push(match);
  return matches;
}

/**
 * `api.fetchUser` from the source of a `jest.spyOn(api, 'fetchUser')` or `jest.replaceProperty(process, 'env', …)` call.
 * `text` starts at the call's line (a few following lines may follow); `column` is the frame's column on it.
 */
export function nameFromSpyCall(text: string, column: number): string | null {
  const pattern = new RegExp(String.raw`\b(spyOn|replaceProperty)\s*\(\s*(${CHAIN})\s*,\s*${QUOTED.replace(/\\2/g, '\\3')}`, 'g');
  const match = nearest(allMatches(pattern, text), indexOf(column), (m) => m.index);
  return match ? `${match[2].replace(/\s+/g, '')}.${match[4]}` : null;
}

/** `fetchUser` from `const fetchUser = jest.fn()` or `fetchUser: jest.fn()`, nearest to `column`. */
export function nameFromMockCreation(text: string, column: number): string | null {
  const pattern = new RegExp(String.raw`(${CHAIN})\s*[:=]\s*(?:\(\s*)?(?:jest|vi)\s*\.\s*fn\s*\(`, 'g');
  const match = nearest(allMatches(pattern, text.split('\n')[0]), indexOf(column), (m) => m.index + m[0].length);
  return match ? match[1].replace(/\s+/g, '') : null;
}

/** The `mock…Once` method and the mock it was called on (`api.fetchUser`), nearest to `column`. */
export function onceCallFromSource(text: string, column: number): { method: string; receiver: string | null } | null {
  const line = text.split('\n')[0];
  const methods = allMatches(/\.\s*(mock(?:ReturnValue|ResolvedValue|RejectedValue|Implementation)Once)\s*\(/g, line);
  const method = nearest(methods, indexOf(column), (m) => m.index + m[0].indexOf(m[1]));
  if (!method) return null;
  const before = line.slice(0, method.index);
  const receiver = new RegExp(String.raw`(${CHAIN})\s*$`).exec(before);
  const valid = receiver && !/\)\s*$/.test(before);
  return { method: method[1], receiver: valid ? receiver[1].replace(/\s+/g, '') : null };
}

export type EnvChangeKind = 'added' | 'changed' | 'removed';

export const messages = {
  unrestoredSpy: (name: string, replaced: boolean): string => (replaced ? `replaced property ${name} was not restored` : `spy on ${name} was not restored`),
  unusedMockOnce: (name: string, method: string): string => `${method} queued on ${name} never consumed`,
  pendingMockPromise: (name: string): string => `promise returned by ${name} still pending at the end of the test`,
  leakedEnv: (key: string, kind: EnvChangeKind): string => `process.env.${key} ${kind === 'added' ? 'set' : kind === 'changed' ? 'changed' : 'deleted'} and not restored`,
  envReplaced: (): string => 'process.env replaced by another object and not put back',
  leakedGlobal: (key: PropertyKey): string => `global ${String(key)} added and not removed`,
  pendingTimer: (kind: 'setTimeout' | 'setInterval', delay: unknown): string =>
    `${kind}${typeof delay === 'number' ? ` (${delay} ms)` : ''} still pending at the end of the test`,
  fakeTimersLeft: (kind: 'modern' | 'legacy'): string => `${kind === 'legacy' ? 'legacy fake timers' : 'fake timers'} switched on and not switched back`,
  exitCodeSet: (code: unknown): string => `process.exitCode set to ${String(code)} and not reset: Jest run in band exits ${String(code)} with every test passed`,
  cwdChanged: (): string => 'process.chdir() changed the working directory of the worker and did not change it back',
  coreMemberReplaced: (name: string): string => `${name} replaced (Node's own module, shared by every file of the worker) and not restored`,
  openHandle: (what: string): string => `${what} when the file ended`,
  staleModule: (name: string): string => `${name} received is not the ${name} expected: its module was loaded twice`,
};

/** The message a test fails with in 'error' mode. */
export function errorText(finding: Pick<Finding, 'check' | 'message' | 'at'>): string {
  return `flakeguard ${finding.check}: ${finding.message}${finding.at ? ` (at ${finding.at})` : ''}\n${CHECK_FIXES[finding.check]}`;
}

/**
 * The constructor name when an instanceof-style failure (`toBeInstanceOf`, `toThrow(Class)`) shows a received
 * constructor with the same name as the expected one — the signature of a module loaded twice (jestjs/jest#15258).
 */
export function staleConstructorName(message: string): string | null {
  const plain = stripAnsi(message);
  const expected = /Expected constructor: (?:not )?(\S+)/.exec(plain);
  const received = /Received constructor: +(\S+)/.exec(plain);
  if (!expected || !received || expected[1] !== received[1]) return null;
  return expected[1];
}

export const STALE_MODULE_MARK = 'flakeguard stale-module:';
export const CROSS_REALM_MARK = 'flakeguard cross-realm:';

/**
 * Constructors each JavaScript realm has its own copy of: ECMAScript built-ins and the Node/web globals a vm context
 * gets. Two same-named ones mean a value from another realm (Node's core modules build theirs outside the test's vm
 * context, jestjs/jest#2549), never a user module loaded twice.
 */
const BUILTIN_CONSTRUCTORS = new Set([
  ...['Object', 'Function', 'Array', 'Number', 'Boolean', 'String', 'Symbol', 'BigInt', 'Date', 'RegExp', 'Promise', 'Proxy'],
  ...['Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'],
  ...['Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Iterator'],
  ...['AsyncFunction', 'GeneratorFunction', 'AsyncGeneratorFunction'],
  ...['ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array'],
  ...['Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'],
  ...['Buffer', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'AbortController', 'AbortSignal', 'Event', 'EventTarget'],
  ...['DOMException', 'Blob', 'File', 'FormData', 'Headers', 'Request', 'Response', 'ReadableStream', 'WritableStream', 'TransformStream'],
  ...['MessageChannel', 'MessagePort', 'BroadcastChannel'],
]);

/** Whether `name` is a built-in constructor name (one copy per realm), for which a name clash is not a stale module. */
export function isBuiltinConstructorName(name: string): boolean {
  return BUILTIN_CONSTRUCTORS.has(name);
}

export function crossRealmHint(name: string): string {
  return (
    `\n\n${CROSS_REALM_MARK} the received ${name} comes from another realm: Jest runs each test file in its own vm context, ` +
    `and values made outside it (by Node's core modules such as fs, or by vm.runInNewContext) have that realm's ${name} — ` +
    `jestjs/jest#2549. Fix: check the shape instead (Array.isArray, toThrow(message), toMatchObject, Object.prototype.toString).`
  );
}

export function staleModuleHint(name: string): string {
  return (
    `\n\n${STALE_MODULE_MARK} the received ${name} and the expected ${name} are two different classes with one name: ` +
    `the module defining ${name} was loaded twice (jest.resetModules(), resetModules: true or jest.isolateModules() ` +
    `gave the code under test a fresh copy, while this file still holds the class it imported at the top — jestjs/jest#15258). ` +
    `Fix: require the class again after resetting modules (e.g. in beforeEach), or compare by name / use toMatchObject.`
  );
}
