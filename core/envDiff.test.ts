import { addedKeys, diffEnv, restoreEnv, snapshotEnv } from './envDiff';

describe('diffEnv / restoreEnv', () => {
  test('added, changed and removed keys; untouched keys are not reported', () => {
    const env: Record<string, unknown> = { HOME: '/home/a', PATH: '/bin', KEEP: 'x' };
    const before = snapshotEnv(env);
    env.API_URL = 'http://localhost';
    env.PATH = '/usr/bin';
    delete env.HOME;
    expect(diffEnv(before, env)).toEqual([
      { key: 'PATH', kind: 'changed' },
      { key: 'API_URL', kind: 'added' },
      { key: 'HOME', kind: 'removed' },
    ]);
    restoreEnv(before, env, diffEnv(before, env));
    expect(env).toEqual(before);
    expect(diffEnv(before, env)).toEqual([]);
  });

  test('a key set back to its old value is no change', () => {
    const env: Record<string, unknown> = { A: '1' };
    const before = snapshotEnv(env);
    env.A = '2';
    env.A = '1';
    expect(diffEnv(before, env)).toEqual([]);
  });

  test('the snapshot is a copy', () => {
    const env: Record<string, unknown> = { A: '1' };
    const before = snapshotEnv(env);
    env.A = '2';
    expect(before.A).toBe('1');
  });
});

describe('addedKeys', () => {
  test('same keys in the same order: nothing added', () => {
    expect(addedKeys(['a', 'b'], ['a', 'b'])).toEqual([]);
  });
  test('new keys, in their order', () => {
    expect(addedKeys(['a', 'b'], ['a', 'b', 'c', 'd'])).toEqual(['c', 'd']);
  });
  test('one key removed and another added: same length, still found', () => {
    expect(addedKeys(['a', 'b'], ['a', 'c'])).toEqual(['c']);
  });
  test('removed keys are not added keys', () => {
    expect(addedKeys(['a', 'b'], ['a'])).toEqual([]);
  });
  test('symbol keys are keys: a new symbol is added, a known one is not', () => {
    const known = Symbol('known');
    const added = Symbol('added');
    expect(addedKeys<PropertyKey>(['a', known], ['a', known, added])).toEqual([added]);
    expect(addedKeys<PropertyKey>(['a', known], ['a', Symbol('known')])).toHaveLength(1);
  });
});
