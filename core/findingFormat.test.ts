import { CHECK_NAMES } from './findings';
import {
  CHECK_FIXES,
  errorText,
  messages,
  nameFromMockCreation,
  nameFromSpyCall,
  onceCallFromSource,
  staleConstructorName,
  crossRealmHint,
  isBuiltinConstructorName,
  staleModuleHint,
} from './findingFormat';

describe('nameFromSpyCall', () => {
  test('object expression and key of spyOn / replaceProperty', () => {
    expect(nameFromSpyCall("    jest.spyOn(api, 'fetchUser').mockResolvedValue(1);", 10)).toBe('api.fetchUser');
    expect(nameFromSpyCall('jest.spyOn(services.users, "find")', 6)).toBe('services.users.find');
    expect(nameFromSpyCall("jest.replaceProperty(process, 'platform', 'win32')", 6)).toBe('process.platform');
  });
  test('arguments on the following lines', () => {
    expect(nameFromSpyCall('jest.spyOn(\n  api,\n  `fetchUser`,\n)', 6)).toBe('api.fetchUser');
  });
  test('the call nearest the column when a line has two', () => {
    const line = "jest.spyOn(a, 'x'); jest.spyOn(b, 'y');";
    expect(nameFromSpyCall(line, 26)).toBe('b.y');
    expect(nameFromSpyCall(line, 6)).toBe('a.x');
  });
  test('null for a computed key', () => {
    expect(nameFromSpyCall('jest.spyOn(api, method)', 6)).toBeNull();
  });
});

describe('nameFromMockCreation', () => {
  test('variable or property a jest.fn() is assigned to', () => {
    expect(nameFromMockCreation("const fetchUser = jest.fn().mockResolvedValue('x');", 24)).toBe('fetchUser');
    expect(nameFromMockCreation('  save: jest.fn(),', 14)).toBe('save');
    expect(nameFromMockCreation('this.client.get = jest.fn()', 23)).toBe('this.client.get');
  });
  test('null when the mock is not assigned', () => {
    expect(nameFromMockCreation('run(jest.fn())', 10)).toBeNull();
  });
});

describe('onceCallFromSource', () => {
  test('method and receiver', () => {
    expect(onceCallFromSource("  api.fetchUser.mockResolvedValueOnce('x');", 17)).toEqual({ method: 'mockResolvedValueOnce', receiver: 'api.fetchUser' });
  });
  test('a chained call has no receiver of its own', () => {
    const line = 'load.mockReturnValueOnce(1).mockReturnValueOnce(2);';
    expect(onceCallFromSource(line, 30)).toEqual({ method: 'mockReturnValueOnce', receiver: null });
    expect(onceCallFromSource(line, 6)).toEqual({ method: 'mockReturnValueOnce', receiver: 'load' });
  });
  test('null when the line has no once call', () => {
    expect(onceCallFromSource('queue(fn)', 1)).toBeNull();
  });
});

describe('messages and error text', () => {
  test('one line each, naming the thing', () => {
    const lines = [
      messages.unrestoredSpy('api.fetchUser', false),
      messages.unrestoredSpy('process.platform', true),
      messages.unusedMockOnce('fetchUser', 'mockResolvedValueOnce'),
      messages.pendingMockPromise('save'),
      messages.leakedEnv('API_URL', 'added'),
      messages.leakedEnv('HOME', 'removed'),
      messages.envReplaced(),
      messages.leakedGlobal('cache'),
      messages.leakedGlobal(Symbol.for('app.cache')),
      messages.pendingTimer('setInterval', 1000),
      messages.pendingTimer('setTimeout', undefined),
      messages.fakeTimersLeft('modern'),
      messages.staleModule('ValidationError'),
    ];
    expect(lines).toEqual([
      'spy on api.fetchUser was not restored',
      'replaced property process.platform was not restored',
      'mockResolvedValueOnce queued on fetchUser never consumed',
      'promise returned by save still pending at the end of the test',
      'process.env.API_URL set and not restored',
      'process.env.HOME deleted and not restored',
      'process.env replaced by another object and not put back',
      'global cache added and not removed',
      'global Symbol(app.cache) added and not removed',
      'setInterval (1000 ms) still pending at the end of the test',
      'setTimeout still pending at the end of the test',
      'fake timers switched on and not switched back',
      'ValidationError received is not the ValidationError expected: its module was loaded twice',
    ]);
  });

  test('every check has a fix; the error text names check, thing, place and fix', () => {
    expect(Object.keys(CHECK_FIXES).sort()).toEqual([...CHECK_NAMES].sort());
    expect(errorText({ check: 'leaked-env', message: 'process.env.A set and not restored', at: 'a.test.js:3:5' })).toBe(
      'flakeguard leaked-env: process.env.A set and not restored (at a.test.js:3:5)\nsave the value in beforeEach and put it back in afterEach',
    );
    expect(errorText({ check: 'leaked-global', message: 'global x added and not removed', at: null })).toBe(
      'flakeguard leaked-global: global x added and not removed\ndelete the property in afterEach',
    );
  });
});

describe('staleConstructorName', () => {
  const message = (expected: string, received: string) =>
    `expect(received).toBeInstanceOf(expected)\n\nExpected constructor: \u001b[32m${expected}\u001b[39m\nReceived constructor: \u001b[31m${received}\u001b[39m\n`;
  test('same name on both sides (colours or not)', () => {
    expect(staleConstructorName(message('Foo', 'Foo'))).toBe('Foo');
    expect(staleConstructorName('Expected constructor: Foo\nReceived constructor: Foo')).toBe('Foo');
  });
  test('different names, or no received constructor', () => {
    expect(staleConstructorName(message('Foo', 'Bar'))).toBeNull();
    expect(staleConstructorName('Expected constructor: Foo\n\nReceived value has no prototype')).toBeNull();
    expect(staleConstructorName('expect(received).toBe(expected)')).toBeNull();
  });
  test('built-in constructors (one per realm) are not user classes loaded twice', () => {
    for (const name of ['Error', 'TypeError', 'Array', 'Object', 'Promise', 'Map', 'Uint8Array', 'URL', 'Buffer']) {
      expect(isBuiltinConstructorName(name)).toBe(true);
    }
    for (const name of ['ValidationError', 'Foo', 'HttpError', 'error', 'ArrayList']) expect(isBuiltinConstructorName(name)).toBe(false);
    const hint = crossRealmHint('Array');
    expect(hint).toContain('another realm');
    expect(hint).toContain('jestjs/jest#2549');
    expect(hint).not.toContain('stale-module');
  });
  test('the hint names the class, the cause and the fix', () => {
    const hint = staleModuleHint('Foo');
    expect(hint).toContain('module defining Foo was loaded twice');
    expect(hint).toContain('jestjs/jest#15258');
    expect(hint).toContain('require the class again');
  });
});
