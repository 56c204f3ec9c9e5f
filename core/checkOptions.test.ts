import { parseAllowPragma, planChecks } from './checkOptions';
import { CHECK_NAMES } from './findings';
import { FlakeguardError } from './errors';

const context = {};
const thrown = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FlakeguardError);
    return (error as Error).message;
  }
  throw new Error('did not throw');
};

describe('planChecks', () => {
  test('default: every check warns, isolation off (it may change outcomes)', () => {
    const plan = planChecks(undefined, context);
    expect(Object.keys(plan.modes)).toEqual([...CHECK_NAMES]);
    expect(new Set(Object.values(plan.modes))).toEqual(new Set(['warn']));
    expect(plan.isolate).toBe(false);
    expect(planChecks({ isolate: true }, context).isolate).toBe(true);
  });

  test('strict makes every check an error; checks named explicitly keep their mode', () => {
    const plan = planChecks({ strict: true, checks: { 'pending-timer': 'off' } }, context);
    expect(plan.modes['pending-timer']).toBe('off');
    expect(plan.modes['leaked-env']).toBe('error');
  });

  test('@flakeguard-allow turns checks off, over strict and over explicit modes', () => {
    const plan = planChecks({ strict: true, checks: { 'leaked-env': 'error' } }, { ...context, allow: 'leaked-env unrestored-spy' });
    expect(plan.modes['leaked-env']).toBe('off');
    expect(plan.modes['unrestored-spy']).toBe('off');
    expect(plan.modes['leaked-global']).toBe('error');
  });

  test("isolateModules is not an option (it was never acted on): the error names Jest's resetModules", () => {
    expect(thrown(() => planChecks({ isolateModules: 'test' }, context))).toContain('isolateModules is not an option');
    expect(thrown(() => planChecks({ isolateModules: 'file' }, context))).toContain('set `resetModules: true`');
  });

  test.each([
    ['x', 'testEnvironmentOptions.flakeguard must be an object'],
    [[], 'testEnvironmentOptions.flakeguard must be an object'],
    [{ strict: 'yes' }, 'testEnvironmentOptions.flakeguard.strict must be true or false, not "yes"'],
    [{ isolate: 1 }, 'testEnvironmentOptions.flakeguard.isolate must be true or false, not 1'],
    [{ checks: ['leaked-env'] }, 'testEnvironmentOptions.flakeguard.checks must be an object'],
    [{ checks: { 'leaked-spy': 'warn' } }, "testEnvironmentOptions.flakeguard.checks: unknown check 'leaked-spy'"],
    [{ checks: { 'leaked-env': true } }, "testEnvironmentOptions.flakeguard.checks['leaked-env'] must be 'error', 'warn' or 'off', not true"],
    [{ checks: { 'leaked-env': 'fail' } }, `testEnvironmentOptions.flakeguard.checks['leaked-env'] must be 'error', 'warn' or 'off', not "fail"`],
    [{ verbose: true }, "testEnvironmentOptions.flakeguard: unknown option 'verbose'"],
    [{ stric: true }, "testEnvironmentOptions.flakeguard: unknown option 'stric'"],
  ])('%j is one line naming the option', (options, message) => {
    const text = thrown(() => planChecks(options, context));
    expect(text).toContain(message);
    expect(text).not.toContain('\n');
  });
});

describe('parseAllowPragma', () => {
  test('space or comma separated, repeated tags as arrays', () => {
    expect(parseAllowPragma('leaked-env, pending-timer')).toEqual(['leaked-env', 'pending-timer']);
    expect(parseAllowPragma(['leaked-env', 'stale-module'])).toEqual(['leaked-env', 'stale-module']);
    expect(parseAllowPragma(undefined)).toEqual([]);
  });

  test('an empty or unknown name is an error naming the file', () => {
    expect(thrown(() => parseAllowPragma('', '/p/a.test.js'))).toBe('/p/a.test.js: @flakeguard-allow names no check; name one or more of: ' + CHECK_NAMES.join(', '));
    expect(thrown(() => parseAllowPragma('leaked-envs', '/p/a.test.js'))).toContain("/p/a.test.js: @flakeguard-allow: unknown check 'leaked-envs'");
  });
});
