import * as path from 'path';
import { attempt, relativeToCwd, warn } from './warnings';

describe('warnings', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => (stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)));
  afterEach(() => stderr.mockRestore());
  const written = (): string[] => stderr.mock.calls.map(([text]) => String(text));

  test('a warning is one line on stderr, whatever the message quotes', () => {
    warn('cannot read a\nb\r\u001b[31mc');
    expect(written()).toHaveLength(1);
    expect(written()[0]).toMatch(/^flakeguard: cannot read a/);
    expect(written()[0]!.slice(0, -1)).not.toMatch(/[\n\r\u001b]/);
  });

  test('attempt: success is true and silent; a failure is false and a warning, silent when told nothing to say', () => {
    expect(attempt('cannot x', () => undefined)).toBe(true);
    expect(
      attempt(null, () => {
        throw new Error('quiet');
      }),
    ).toBe(false);
    expect(written()).toEqual([]);
    expect(
      attempt('cannot write y', () => {
        throw new Error('EACCES');
      }),
    ).toBe(false);
    expect(written()).toEqual(["flakeguard: cannot write y (EACCES); the run's results and exit code are unaffected\n"]);
  });

  test('relativeToCwd: under the cwd relative with /, elsewhere absolute', () => {
    expect(relativeToCwd(path.join(process.cwd(), 'a', 'b.json'))).toBe('a/b.json');
    expect(relativeToCwd('/elsewhere/b.json')).toBe('/elsewhere/b.json');
  });
});
