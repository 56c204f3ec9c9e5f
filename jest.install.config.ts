import type { Config } from 'jest';
import base from './jest.config';

// `npm run test:install`: the specs that install the packed tarball into throwaway projects — e2e/packed (npm, Jest
// 29.7 and 30) and e2e/install-matrix (npm, pnpm, Yarn). Apart from `npm test`: minutes of installs, not logic.
const config: Config = {
  ...base,
  testMatch: ['<rootDir>/e2e/packed.e2e.test.ts', '<rootDir>/e2e/install-matrix.e2e.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};

export default config;
