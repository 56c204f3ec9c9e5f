import { decodeRetries, putRetries, RETRIES_VERSION, retriesProblem, takeRetries } from './retries';

const KEY = Symbol.for('jest-flakeguard.retries');

describe('the retries channel', () => {
  test('round trip: what config/environment puts on a sandbox global the setup file takes; 0 sends nothing', () => {
    const sandbox = {};
    expect(takeRetries(sandbox)).toBe(0);
    putRetries(sandbox, 0);
    expect(Object.getOwnPropertySymbols(sandbox)).toEqual([]);
    putRetries(sandbox, 3);
    expect(takeRetries(sandbox)).toBe(3);
  });

  test('a message of another version is refused, named by the channel', () => {
    const sandbox = { [KEY]: { version: RETRIES_VERSION + 1, retries: 2 } };
    expect(() => takeRetries(sandbox)).toThrow(/^retries channel: version 2 is not this jest-flakeguard's \(1\)/);
    // Earlier versions put the bare count on the global: foreign too, not a count to trust.
    expect(() => takeRetries({ [KEY]: 2 })).toThrow('retries channel: the message must be an object, not 2');
  });

  test.each([
    [{ version: 1, retries: '2' }, 'the retry count must be a whole number, 0 or more, not "2"'],
    [{ version: 1, retries: 1.5 }, 'the retry count must be a whole number, 0 or more, not 1.5'],
    [{ version: 1, retries: -1 }, 'the retry count must be a whole number, 0 or more, not -1'],
    [{ version: 1 }, 'the retry count must be a whole number, 0 or more, not undefined'],
  ])('malformed: %j is a one-line error naming the channel', (message, problem) => {
    expect(() => decodeRetries(message)).toThrow(`retries channel: ${problem}`);
    expect(() => takeRetries({ [KEY]: message })).toThrow(`retries channel: ${problem}`);
  });

  test('a malformed count is refused on the way out as well', () => {
    expect(() => putRetries({}, 2.5)).toThrow('retries channel: the retry count must be a whole number, 0 or more, not 2.5');
    expect(retriesProblem(2)).toBeNull();
  });
});
