import type { Config } from 'jest';
import base from './jest.config';

// `npm run test:install`: the install matrix alone (e2e/install-matrix.e2e.test.ts), the packed tarball installed
// by npm, pnpm and Yarn into throwaway projects. Apart from `npm test` because it is minutes of installs, not logic.
const config: Config = {
  ...base,
  testMatch: ['<rootDir>/e2e/install-matrix.e2e.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};

export default config;
