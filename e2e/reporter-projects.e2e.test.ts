import * as fs from 'fs';
import * as path from 'path';
import { XMLParser } from 'fast-xml-parser';
import { copyFixture, removeFixture, runFlakeguard, runJest } from './harness';
import { attempts, readManifestJson } from './reporterHelpers';

describe('two projects sharing one reporter', () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('reporter-projects')));
  afterAll(() => removeFixture(dir));

  test("each entry carries its project's displayName", async () => {
    const run = await runJest(dir, []);
    expect(run.status).toBe(1);
    const manifest = readManifestJson(dir);
    expect(manifest.counts).toEqual({ passed: 2, failed: 1, flaky: 1, skipped: 0, todo: 0, fileErrors: 0, notRun: 0 });
    expect(manifest.failed).toEqual([
      { project: 'unit', file: 'unit/math.test.js', titles: ['math', 'divides'], attempts: 2, message: 'Error: expect(received).toBe(expected) // Object.is equality' },
    ]);
    expect(manifest.flaky).toEqual([
      { project: 'integration', file: 'integration/api.test.js', titles: ['api', 'answers'], attempts: 2, message: 'Error: expect(received).toBeGreaterThan(expected)' },
    ]);
    const xml = fs.readFileSync(path.join(dir, '.flakeguard', 'junit.xml'), 'utf8');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' }).parse(xml, true);
    const projects = doc.testsuites.testsuite.map((suite: { name: string; properties: { property: { value: string } } }) => [suite.name, suite.properties.property.value]);
    expect(projects.sort()).toEqual([
      ['integration/api.test.js', 'integration'],
      ['unit/math.test.js', 'unit'],
    ]);
  });

  test('the rerun runs the failed test in its project only, and passes once fixed', async () => {
    const run = await runFlakeguard(dir, ['rerun'], { FIXTURE_FIXED: '1' });
    expect(run.status).toBe(0);
    expect(attempts(dir, 'unit divides')).toBe(3);
    expect(attempts(dir, 'unit adds')).toBe(1);
    expect(attempts(dir, 'integration lists')).toBe(1);
    expect(readManifestJson(dir)).toMatchObject({ status: 'passed', counts: { passed: 1, failed: 0 } });
  });

  test('a file that fails to load is one file error in its project, never also a file not run', async () => {
    // A syntax error whose message is V8's own under Jest 29's and 30's module wrappers alike.
    fs.writeFileSync(path.join(dir, 'unit', 'broken.test.js'), 'const = 1;\n');
    const run = await runJest(dir, [], { FIXTURE_FIXED: '1' });
    expect(run.status).toBe(1);
    const manifest = readManifestJson(dir);
    expect(manifest.fileErrors).toEqual([{ project: 'unit', file: 'unit/broken.test.js', message: expect.stringContaining("Unexpected token '='") }]);
    expect(manifest.notRun).toEqual([]);
    expect(manifest.counts).toMatchObject({ fileErrors: 1, notRun: 0 });
  });
});
