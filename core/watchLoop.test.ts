import type { Config } from '@jest/types';
import { watchedBy, type WatchedProject } from './watchLoop';

const ROOT = '/project';
const MANIFEST = '/project/.flakeguard/last-run.json';

const project = (config: Partial<Config.ProjectConfig>): WatchedProject => ({
  rootDir: ROOT,
  roots: [ROOT],
  moduleFileExtensions: ['js', 'json'],
  watchPathIgnorePatterns: [],
  modulePathIgnorePatterns: [],
  ...config,
});

describe('watchedBy', () => {
  test('a project whose roots hold the manifest and that watches .json sees it: its displayName, else its rootDir', () => {
    expect(watchedBy(MANIFEST, [project({})])).toBe(ROOT);
    expect(watchedBy(MANIFEST, [project({ displayName: { name: 'unit', color: 'white' } })])).toBe('unit');
  });

  test.each([
    ['roots elsewhere', { roots: ['/project/src'] }],
    ['no json extension', { moduleFileExtensions: ['js', 'ts'] }],
    ['watchPathIgnorePatterns', { watchPathIgnorePatterns: ['/project/.flakeguard/'] }],
    ['modulePathIgnorePatterns', { modulePathIgnorePatterns: ['\\.flakeguard'] }],
  ])('%s: not watched', (_why, config) => {
    expect(watchedBy(MANIFEST, [project(config)])).toBeNull();
  });

  test('any one project seeing it is enough', () => {
    expect(watchedBy(MANIFEST, [project({ roots: ['/elsewhere'] }), project({ displayName: { name: 'b', color: 'white' } })])).toBe('b');
  });
});
