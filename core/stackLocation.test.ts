import * as path from 'path';
import { formatLocation, isLibraryFrame, parseStack, userFrame } from './stackLocation';

const root = path.resolve('/repo');
const stack = [
  'Error: ',
  '    at MockTracker.spyOn (/repo/node_modules/jest-flakeguard/dist/environment/mockTracker.js:10:5)',
  '    at ModuleMocker.spyOn (/repo/node_modules/jest-mock/build/index.js:700:10)',
  '    at new Promise (<anonymous>)',
  '    at node:internal/timers:569:17',
  '    at /repo/dist/environment/timerTracker.js:3:3',
  '    at Object.<anonymous> (/repo/__tests__/api.test.ts:17:10)',
  '    at async run (/repo/src/run.ts:4:2)',
  '    at file:///repo/esm/my%20test.mjs:2:7',
].join('\n');

describe('parseStack', () => {
  test('file positions of every frame form; native frames dropped', () => {
    expect(parseStack(stack).map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual([
      '/repo/node_modules/jest-flakeguard/dist/environment/mockTracker.js:10:5',
      '/repo/node_modules/jest-mock/build/index.js:700:10',
      'node:internal/timers:569:17',
      '/repo/dist/environment/timerTracker.js:3:3',
      '/repo/__tests__/api.test.ts:17:10',
      '/repo/src/run.ts:4:2',
      '/repo/esm/my test.mjs:2:7',
    ]);
  });
});

describe('userFrame', () => {
  test('skips node internals, node_modules and our own directories', () => {
    expect(userFrame(stack, ['/repo/dist'])).toEqual({ file: '/repo/__tests__/api.test.ts', line: 17, column: 10 });
  });
  test('null when no frame is the user’s', () => {
    expect(userFrame('Error\n    at x (/a/node_modules/b.js:1:1)')).toBeNull();
    expect(userFrame('')).toBeNull();
  });
  test('isLibraryFrame on its own', () => {
    expect(isLibraryFrame({ file: 'relative.js', line: 1, column: 1 })).toBe(true);
    expect(isLibraryFrame({ file: '/repo/distance/x.js', line: 1, column: 1 }, ['/repo/dist'])).toBe(false);
  });
});

describe('formatLocation', () => {
  test('relative to rootDir, forward slashes', () => {
    expect(formatLocation({ file: path.join(root, '__tests__', 'a.test.ts'), line: 3, column: 9 }, root)).toBe('__tests__/a.test.ts:3:9');
  });
  test('absolute outside rootDir', () => {
    expect(formatLocation({ file: '/elsewhere/a.ts', line: 1, column: 2 }, root)).toBe('/elsewhere/a.ts:1:2');
  });
});
