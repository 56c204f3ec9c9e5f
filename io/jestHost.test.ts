import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { atLeast, resolveFromJest, unsupportedJest } from './jestHost';

describe('which Jest we run on', () => {
  test.each([
    ['29.7.0', true],
    ['30.0.0', true],
    ['30.4.2', true],
    ['30.5.2', true],
    ['29.6.4', false],
    ['28.1.3', false],
    ['30.0.0-alpha.6', true],
  ])('Jest %s supported: %s', (version, ok) => {
    const refusal = unsupportedJest(version);
    expect(refusal === null).toBe(ok);
    if (refusal) expect(refusal).toMatch(new RegExp(`^jest-flakeguard needs Jest 29\\.7\\.0 or later, and this is Jest ${version.replace(/\./g, '\\.')}: upgrade Jest`));
  });

  test('atLeast compares numerically', () => {
    expect(atLeast('30.10.0', '30.5.0')).toBe(true);
    expect(atLeast('30.4.9', '30.5.0')).toBe(false);
  });
});

describe('resolveFromJest in a pnpm layout (no hoisting: a package sees only its own dependencies)', () => {
  let store: string;
  const pkg = (name: string, deps: string[]) => {
    // .pnpm/<name>/node_modules/<name> holds the package; its dependencies are siblings in that node_modules.
    const home = path.join(store, '.pnpm', name.replace('/', '+'), 'node_modules');
    const dir = path.join(home, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '30.4.2', main: 'index.js' }));
    fs.writeFileSync(path.join(dir, 'index.js'), `module.exports = ${JSON.stringify(name)};\n`);
    for (const dep of deps) {
      fs.mkdirSync(path.dirname(path.join(home, dep)), { recursive: true });
      fs.symlinkSync(path.join(store, '.pnpm', dep.replace('/', '+'), 'node_modules', dep), path.join(home, dep), 'dir');
    }
    return dir;
  };
  beforeAll(() => {
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-jesthost-'));
    pkg('jest-worker', []);
    pkg('jest-docblock', []);
    pkg('jest-runner', ['jest-worker', 'jest-docblock']);
    pkg('jest-config', ['jest-runner']);
    pkg('@jest/core', ['jest-config', 'jest-runner']);
    pkg('jest-cli', ['@jest/core']);
    pkg('jest', ['jest-cli', '@jest/core']);
  });
  afterAll(() => fs.rmSync(store, { recursive: true, force: true }));

  test("from jest's bin, through jest-cli, @jest/core and jest-runner, to jest-worker and jest-docblock", () => {
    const bin = path.join(store, '.pnpm', 'jest', 'node_modules', 'jest', 'index.js');
    for (const name of ['jest-worker', 'jest-docblock', 'jest-runner']) {
      expect(fs.realpathSync(resolveFromJest(name, bin))).toBe(fs.realpathSync(path.join(store, '.pnpm', name, 'node_modules', name, 'index.js')));
    }
  });
});
