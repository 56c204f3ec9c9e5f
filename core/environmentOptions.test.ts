import {
  decodeEnvironmentOptions,
  encodeEnvironmentOptions,
  ENVIRONMENT_OPTIONS_VERSION,
  hygieneOptionsOnly,
  removeCopiedOptions,
  type ProjectEnvironmentOptions,
} from './environmentOptions';

const own: ProjectEnvironmentOptions = {
  environment: 'jsdom',
  quarantine: { mode: 'only', file: '/r/.flakeguard/quarantine.json', rootDir: '/r' },
  retries: 2,
  files: { mode: 'only', files: ['/r/a.test.js'], sequencer: '/r/seq.js' },
};
/** What a config of another jest-flakeguard (or a hand-edited one) could hold: the user's options with ours beside them. */
const withOwn = (value: unknown) => ({ url: 'http://x/', flakeguard: { strict: true, withFlakeguard: value } });

describe('the environment-options channel', () => {
  test('round trip: withFlakeguard writes, config/environment and the sequencer read ours, the user options stay theirs', () => {
    const encoded = encodeEnvironmentOptions({ url: 'http://x/', flakeguard: { strict: true } }, own);
    const decoded = decodeEnvironmentOptions(encoded);
    expect(decoded).toEqual({ own, hygiene: { strict: true }, base: { url: 'http://x/' } });
    // First stage (config/environment): the hygiene environment gets the user's options alone; second stage
    // (environment/index): the base environment gets none of ours.
    const first = hygieneOptionsOnly(decoded);
    expect(first).toEqual({ url: 'http://x/', flakeguard: { strict: true } });
    expect(decodeEnvironmentOptions(first)).toEqual({ own: undefined, hygiene: { strict: true }, base: { url: 'http://x/' } });
    expect(hygieneOptionsOnly(decodeEnvironmentOptions(encodeEnvironmentOptions(undefined, {})))).toEqual({});
  });

  test('a config not built by withFlakeguard: the user options untouched, whatever they are (core/checkOptions judges them)', () => {
    expect(decodeEnvironmentOptions({ flakeguard: 'x', url: 'u' })).toEqual({ own: undefined, hygiene: 'x', base: { url: 'u' } });
    expect(decodeEnvironmentOptions(undefined)).toEqual({ own: undefined, hygiene: undefined, base: {} });
  });

  test('our part of another version is refused, named by the channel and the field', () => {
    const foreign = withOwn({ ...own, schemaVersion: ENVIRONMENT_OPTIONS_VERSION + 1 });
    expect(() => decodeEnvironmentOptions(foreign)).toThrow(
      "environment-options channel: testEnvironmentOptions.flakeguard.withFlakeguard has version 2, not this jest-flakeguard's (1): the config was built by another version of jest-flakeguard",
    );
  });

  test.each([
    ['not an object', 'jsdom', ' must be an object'],
    ['an empty environment', { environment: '' }, ".environment must be 'node', 'jsdom' or a module path, not \"\""],
    ['a quarantine of no mode', { quarantine: { mode: 'skip', file: '/q', rootDir: '/r' } }, '.quarantine must be {mode: "exclude" | "only", file, rootDir}'],
    ['retries that are no count', { retries: 'twice' }, '.retries: the retry count must be a whole number, 0 or more, not "twice"'],
    ['files that are no list', { files: { mode: 'only', files: '/r/a.test.js' } }, '.files must be {mode: "exclude" | "only", files: [paths], sequencer?}'],
  ])('malformed: %s is a one-line error naming the field', (_, value, problem) => {
    const message = typeof value === 'object' ? { schemaVersion: 1, ...value } : value;
    expect(() => decodeEnvironmentOptions(withOwn(message))).toThrow(`environment-options channel: testEnvironmentOptions.flakeguard.withFlakeguard${problem}`);
  });

  test('encoding refuses what decoding would: a malformed part, user options that are no object', () => {
    expect(() => encodeEnvironmentOptions({}, { retries: -1 })).toThrow('.retries: the retry count must be a whole number, 0 or more, not -1');
    expect(() => encodeEnvironmentOptions({ flakeguard: ['strict'] }, own)).toThrow('testEnvironmentOptions.flakeguard must be an object');
  });

  test('a base environment that copied the user options onto its sandbox: that copy goes, anything else stays', () => {
    const decoded = decodeEnvironmentOptions({ flakeguard: { strict: true } });
    const sandbox: Record<string, unknown> = { flakeguard: decoded.hygiene };
    removeCopiedOptions(sandbox, decoded);
    expect(sandbox).toEqual({});
    const theirs: Record<string, unknown> = { flakeguard: { strict: true } };
    removeCopiedOptions(theirs, decoded);
    expect(theirs).toEqual({ flakeguard: { strict: true } });
  });
});
