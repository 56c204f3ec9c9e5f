// Finds the `jest` a project uses (its own node_modules first) so our commands run the user's Jest, not ours.

import * as path from 'path';
import { FlakeguardError } from '../core/errors';

export function resolveJestBin(cwd: string): string {
  try {
    const pkg = require.resolve('jest/package.json', { paths: [cwd] });
    return path.join(path.dirname(pkg), 'bin', 'jest.js');
  } catch {
    throw new FlakeguardError('NOT_FOUND', `cannot find the jest package from ${cwd}: install it (npm i -D jest)`);
  }
}
