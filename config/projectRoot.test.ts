import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { commandLineRootDir, configFileOnStack, findConfigDir, jestRootDir } from './projectRoot';

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
  // package.json's `jest` naming a config file: Jest reads that file, and its directory is the default rootDir.
  write('named/package.json', JSON.stringify({ jest: './config/jest.js' }));
  write('named/config/jest.js');
  fs.mkdirSync(dir('named/src'));
  expect(findConfigDir(dir('named/src'))).toBe(dir('named/config'));
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

test('configFileOnStack finds the jest.config.* being evaluated, through any helper; none outside a config', () => {
  write('pkg/jest.config.js', 'module.exports = (find) => require("./helper.js")(find);');
  write('pkg/helper.js', 'module.exports = (find) => find();');
  const evaluate = require(dir('pkg/jest.config.js')) as (find: () => string | undefined) => string | undefined;
  expect(evaluate(configFileOnStack)).toBe(dir('pkg/jest.config.js'));
  expect(configFileOnStack()).toBeUndefined();
});

test('jestRootDir: the calling config file decides over the walk from the current directory (e.g. runCLI from elsewhere)', () => {
  write('pkg/jest.config.js');
  expect(jestRootDir({ cwd: dir('app'), argv: ['node', 'runner.js'], configFile: dir('pkg/jest.config.js') })).toBe(dir('pkg'));
  expect(jestRootDir({ cwd: dir('app'), argv: [], configFile: dir('pkg/jest.config.js'), configRootDir: 'src' })).toBe(dir('pkg/src'));
});
