import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { commandLineRootDir, findConfigDir, jestRootDir } from './projectRoot';

let tmp: string;
const dir = (...parts: string[]) => path.join(tmp, ...parts);
const write = (file: string, text = '') => {
  fs.mkdirSync(path.dirname(dir(file)), { recursive: true });
  fs.writeFileSync(dir(file), text);
};

beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fg-root-')));
  write('app/jest.config.js');
  write('app/test/unit/a.test.js');
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('findConfigDir walks up to the nearest jest.config.* or package.json, as Jest does', () => {
  expect(findConfigDir(dir('app/test/unit'))).toBe(dir('app'));
  write('app/test/package.json', '{}'); // a package.json without a jest key stops Jest's walk too
  expect(findConfigDir(dir('app/test/unit'))).toBe(dir('app/test'));
  write('app/test/unit/jest.config.cts');
  expect(findConfigDir(dir('app/test/unit'))).toBe(dir('app/test/unit'));
});

test("jestRootDir: the config's directory from a subfolder, the config's rootDir against it, then the command line", () => {
  const cwd = dir('app/test/unit');
  expect(jestRootDir({ cwd, argv: ['node', 'jest'] })).toBe(dir('app'));
  expect(jestRootDir({ cwd, argv: ['node', 'jest'], configRootDir: 'test' })).toBe(dir('app/test'));
  expect(jestRootDir({ cwd, argv: ['node', 'jest'], configRootDir: dir('app/test/unit') })).toBe(dir('app/test/unit'));
  write('other/jest.config.json', '{}');
  expect(jestRootDir({ cwd, argv: ['node', 'jest', '--config', '../../../other/jest.config.json'] })).toBe(dir('other'));
  expect(jestRootDir({ cwd, argv: ['node', 'jest', `-c=${dir('other')}`], configRootDir: '..' })).toBe(tmp);
  expect(jestRootDir({ cwd, argv: ['node', 'jest', '--rootDir', '..'], configRootDir: 'ignored' })).toBe(dir('app/test'));
  // An inline JSON config has no file: the lookup from the current directory stands.
  expect(jestRootDir({ cwd, argv: ['node', 'jest', '--config', '{"rootDir": "x"}'] })).toBe(dir('app'));
});

test('commandLineRootDir honours a rootDir written in JSON, and not a JavaScript config it does not run', () => {
  expect(commandLineRootDir(dir('app/test/unit'))).toBe(dir('app'));
  write('pkg/package.json', JSON.stringify({ jest: { rootDir: 'src' } }));
  fs.mkdirSync(dir('pkg/src/deep'), { recursive: true });
  expect(commandLineRootDir(dir('pkg/src/deep'))).toBe(dir('pkg/src'));
  write('json/jest.config.json', JSON.stringify({ rootDir: 'lib' }));
  expect(commandLineRootDir(dir('json'))).toBe(dir('json/lib'));
});
