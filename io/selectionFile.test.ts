import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { receivedSelection, sendSelection, SELECTION_VERSION, withoutSelection, type Selection } from './selectionFile';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-selection-'));
  file = path.join(dir, 'selection.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const selection: Selection = {
  schemaVersion: SELECTION_VERSION,
  include: { '/r/a.test.js': [['cart', 'adds']], '/r/b.test.js': 'all' },
  exclude: { '/r/c.test.js': [{ titles: ['slow'], reason: 'quarantined' }] },
  targets: [{ project: null, file: 'a.test.js', testPath: '/r/a.test.js', titles: ['cart', 'adds'] }],
};
/** A selection file as another writer (a newer jest-flakeguard, a hand edit) left it. */
const written = (value: unknown): NodeJS.ProcessEnv => {
  const env = sendSelection({}, file, selection);
  fs.writeFileSync(file, JSON.stringify(value));
  return env;
};

describe('the selection channel', () => {
  test('round trip: what a command sends the Jest it starts receives; without it, nothing', () => {
    const env = sendSelection({ PATH: '/bin' }, file, selection);
    expect(receivedSelection(env)).toEqual(selection);
    expect(withoutSelection(env)).toEqual({ PATH: '/bin' });
    expect(receivedSelection(withoutSelection(env))).toBeNull();
  });

  test('a selection of another version is refused, naming the file and the channel', () => {
    const env = written({ ...selection, schemaVersion: 2 });
    expect(() => receivedSelection(env)).toThrow(`${file}: selection channel: schemaVersion 2 is not this jest-flakeguard's (1)`);
  });

  test.each([
    ['no object', ['a.test.js'], 'not a jest-flakeguard selection (an object with schemaVersion 1)'],
    ['include not an object', { schemaVersion: 1, include: ['/r/a.test.js'] }, '"include" must be an object'],
    ['include of no title paths', { schemaVersion: 1, include: { '/r/a.test.js': ['adds'] } }, 'include of "/r/a.test.js" must be "all" or title paths'],
    [
      'exclude without a reason',
      { schemaVersion: 1, exclude: { '/r/a.test.js': [{ titles: ['adds'] }] } },
      'exclude of "/r/a.test.js" must be "all" or {titles, reason} entries',
    ],
    ['a target without testPath', { schemaVersion: 1, targets: [{ project: null, titles: null }] }, 'targets[0] must be {project, testPath, titles}'],
  ])('malformed: %s is a one-line error naming the field', (_, value, problem) => {
    const env = written(value);
    expect(() => receivedSelection(env)).toThrow(`${file}: selection channel: ${problem}`);
    // and no writer can send it
    expect(() => sendSelection({}, file, value as Selection)).toThrow(`selection channel: ${problem}`);
  });

  test('a file that is not JSON is refused with one line', () => {
    const env = sendSelection({}, file, selection);
    fs.writeFileSync(file, '{"schemaVersion": 1, "incl');
    expect(() => receivedSelection(env)).toThrow(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: selection channel: cannot read the test selection \\([^\\n]+\\)$`),
    );
  });
});
