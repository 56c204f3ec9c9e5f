import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, removeFixture, runJest } from './harness';
import { readManifestJson } from './reporterHelpers';
import { readHistory } from '../io/historyFile';

describe('two Jest processes sharing one outputDir', () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('reporter-files')));
  afterAll(() => removeFixture(dir));

  test('a reader never sees a torn last-run.json, and no temp file is left behind', async () => {
    const file = path.join(dir, '.flakeguard', 'last-run.json');
    const torn: string[] = [];
    let reads = 0;
    const readOnce = (): void => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        return; // not written yet
      }
      reads++;
      try {
        JSON.parse(text);
      } catch {
        torn.push(text.slice(0, 80));
      }
    };
    const reader = setInterval(readOnce, 2);
    const runs = await Promise.all([runJest(dir, ['--shard=1/2'], { FIXTURE_FIXED: '1' }), runJest(dir, ['--shard=2/2'], { FIXTURE_FIXED: '1' })]);
    clearInterval(reader);
    readOnce();
    expect(runs.map((run) => run.status)).toEqual([0, 0]);
    expect(torn).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    expect(['1/2', '2/2']).toContain(readManifestJson(dir).shard);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['history', 'last-run.json']);
    // Both runs reached the flake history (it is locked, not last-writer-wins): together the shards ran every file.
    const history = readHistory(path.join(path.dirname(file), 'history'));
    const testFiles = fs.readdirSync(path.join(dir, '__tests__')).map((name) => `__tests__/${name}`);
    expect([...new Set(history.tests.map((test) => test.file))].sort()).toEqual(testFiles.sort());
    expect(fs.readdirSync(path.join(path.dirname(file), 'history'))).toEqual(['history.json.gz']);
  });
});
