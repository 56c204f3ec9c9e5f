// Edge cases of the hygiene checks, on fixtures/env-edges: each file is a case the auditor reproduced with real Jest.

import { copyFixture, removeFixture, runJestJson, type JestJson } from './harness';
import { ofFile, readFindings } from './environmentFindings';
import type { Finding } from '../core/findings';

const line = (f: Finding): string => `${f.project} | ${f.titles.join(' › ')} | ${f.check}: ${f.message} @ ${f.at}`;

let dir: string;
let json: JestJson;
let status: number | null;
let findings: Finding[];

beforeAll(async () => {
  dir = copyFixture('env-edges');
  const run = await runJestJson(dir, ['--ci']);
  ({ json, status } = run);
  findings = readFindings(dir);
});
afterAll(() => removeFixture(dir));

const failuresOf = (fileName: string): string[] =>
  json.testResults
    .filter((result) => result.name.endsWith(`/${fileName}`))
    .flatMap((result) => result.assertionResults.filter((r) => r.status !== 'passed').map((r) => `${r.title}: ${r.failureMessages.join('\n')}`));

test('every test of every edge file passes', () => {
  expect(json.testResults.flatMap((result) => result.assertionResults.filter((r) => r.status !== 'passed').map((r) => r.title))).toEqual([]);
  expect(status).toBe(0);
});

describe('test.concurrent', () => {
  test('concurrent tests are the file’s: no finding, nothing of one undone at the end of another', () => {
    expect(failuresOf('concurrent.test.js')).toEqual([]);
    expect(ofFile(findings, 'concurrent.test.js').map(line)).toEqual([
      'edges | after the concurrent tests › a sequential test that leaks is still reported | leaked-env: process.env.AFTER_CONCURRENT set and not restored @ __tests__/concurrent.test.js:22:34',
    ]);
  });
});

describe('pending-mock-promise when afterEach clears the mocks', () => {
  test('clearAllMocks / resetAllMocks in afterEach do not hide an un-awaited async mock; awaited twins are clean', () => {
    expect(ofFile(findings, 'clear-mocks-after-each.test.js').map(line)).toEqual([
      'edges | clearAllMocks in afterEach › async mock not awaited | pending-mock-promise: promise returned by slowSave still pending at the end of the test @ __tests__/clear-mocks-after-each.test.js:2:23',
      'edges | resetAllMocks in afterEach › async mock not awaited | pending-mock-promise: promise returned by slowLoad still pending at the end of the test @ __tests__/clear-mocks-after-each.test.js:15:25',
    ]);
  });
});

describe('process.env replaced wholesale', () => {
  test('one finding per replacement (not one per key), undone by putting the original object back', () => {
    expect(failuresOf('env-replaced.test.js')).toEqual([]);
    expect(ofFile(findings, 'env-replaced.test.js').map(line).sort()).toEqual([
      'edges | leaks › a key written before replacing is a leak of its own | leaked-env: process.env replaced by another object and not put back @ __tests__/env-replaced.test.js:15:5',
      'edges | leaks › a key written before replacing is a leak of its own | leaked-env: process.env.WRITTEN_FIRST set and not restored @ __tests__/env-replaced.test.js:14:31',
      'edges | leaks › jest.replaceProperty(process, "env") left in place | unrestored-spy: replaced property process.env was not restored @ __tests__/env-replaced.test.js:22:10',
      'edges | leaks › process.env replaced by an object literal | leaked-env: process.env replaced by another object and not put back @ __tests__/env-replaced.test.js:6:5',
    ]);
  });

  test('jest.replaceProperty(process, "env") under restoreMocks: true is no finding (Jest restores it)', () => {
    const restoreProject = findings.filter((f) => f.project === 'restore-mocks');
    expect(restoreProject.map(line)).toEqual([]);
    expect(json.testResults.some((result) => result.name.endsWith('restore-mocks/env-replaced.test.js'))).toBe(true);
  });
});

describe('globals under symbol keys', () => {
  test('reported and removed; Jest’s own symbols and a symbol removed in the test are clean', () => {
    expect(failuresOf('symbol-global.test.js')).toEqual([]);
    expect(ofFile(findings, 'symbol-global.test.js').map(line)).toEqual([
      'edges | leaks › a registered symbol global | leaked-global: global Symbol(app.cache) added and not removed @ __tests__/symbol-global.test.js:6:3',
      'edges | leaks › a unique symbol global | leaked-global: global Symbol(local) added and not removed @ __tests__/symbol-global.test.js:9:3',
    ]);
  });
});

describe('jest.replaceProperty and getters', () => {
  test('the wrapper never calls a getter; an inherited value replaced and left is reported and undone', () => {
    expect(failuresOf('replace-property-getter.test.js')).toEqual([]);
    expect(ofFile(findings, 'replace-property-getter.test.js').map(line)).toEqual([
      'edges | an inherited value replaced and left in place | unrestored-spy: replaced property child.limit was not restored @ __tests__/replace-property-getter.test.js:18:8',
    ]);
  });
});
