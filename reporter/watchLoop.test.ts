import type { TestContext } from '@jest/test-result';
import type { Config } from '@jest/types';
import { WatchLoopGuard, watchMode } from './watchLoop';

const ROOT = '/project';
const MANIFEST = '/project/.flakeguard/last-run.json';

const context = (config: Partial<Config.ProjectConfig>): TestContext =>
  ({
    config: { rootDir: ROOT, roots: [ROOT], moduleFileExtensions: ['js', 'json'], watchPathIgnorePatterns: [], modulePathIgnorePatterns: [], ...config },
  }) as unknown as TestContext;
const globalConfig = (watch: Partial<Config.GlobalConfig>): Config.GlobalConfig => ({ rootDir: ROOT, watch: false, watchAll: false, ...watch }) as Config.GlobalConfig;

describe('WatchLoopGuard', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => (stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)));
  afterEach(() => stderr.mockRestore());
  const warnings = (): string[] => stderr.mock.calls.map(([text]) => String(text));

  test('outside watch mode the manifest is always written and nothing is blind', () => {
    const guard = new WatchLoopGuard(globalConfig({}), MANIFEST, '/project/.flakeguard');
    expect(watchMode(globalConfig({}))).toBe(false);
    expect(guard.blind(new Set())).toBe(false);
    expect(guard.mayWriteManifest(new Set([context({})]))).toBe(true);
    expect(warnings()).toEqual([]);
  });

  test('watch mode with no contexts is blind (writes nothing)', () => {
    expect(new WatchLoopGuard(globalConfig({ watch: true }), MANIFEST, '/project/.flakeguard').blind(new Set())).toBe(true);
    expect(new WatchLoopGuard(globalConfig({ watchAll: true }), MANIFEST, '/project/.flakeguard').blind(new Set([context({})]))).toBe(false);
  });

  test('a watched manifest is not written, and the advice (the outputDir to ignore) is given once per reporter', () => {
    const guard = new WatchLoopGuard(globalConfig({ watchAll: true }), MANIFEST, '/project/.flakeguard');
    const contexts = new Set([context({ displayName: { name: 'unit', color: 'white' } })]);
    expect(guard.mayWriteManifest(contexts)).toBe(false);
    expect(guard.mayWriteManifest(contexts)).toBe(false);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(/^flakeguard: Jest watches .*last-run\.json \(project unit\):/);
    expect(warnings()[0]).toContain("watchPathIgnorePatterns: ['<rootDir>/.flakeguard/']");
  });

  test('an ignored manifest is written in watch mode without a warning', () => {
    const guard = new WatchLoopGuard(globalConfig({ watch: true }), MANIFEST, '/project/.flakeguard');
    expect(guard.mayWriteManifest(new Set([context({ watchPathIgnorePatterns: ['<rootDir>/.flakeguard/', '/project/.flakeguard/'] })]))).toBe(true);
    expect(warnings()).toEqual([]);
  });
});
