import type { Config } from 'jest';

// The project's own suite: unit specs beside the modules they test, e2e specs that spawn real Jest.
const config: Config = {
  testMatch: ['<rootDir>/architecture.test.ts', '<rootDir>/{core,io,runner,environment,reporter,config,cli,eslint}/**/*.test.ts', '<rootDir>/e2e/**/*.test.ts'],
  // Fixture projects (and their copies) are run by the e2e specs, never by this suite.
  // The specs that install the packed tarball (minutes of npm, pnpm and Yarn installs): `npm run test:install`, run by CI.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/e2e/(install-matrix|packed)\\.e2e\\.test\\.ts$'],
  modulePathIgnorePatterns: ['<rootDir>/fixtures/', '<rootDir>/.e2e-tmp/', '<rootDir>/compat/', '<rootDir>/dist/', '<rootDir>/bench/'],
  watchPathIgnorePatterns: ['<rootDir>/.e2e-tmp/', '<rootDir>/compat/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: { warnOnly: false } }] },
  testEnvironment: 'node',
  // e2e specs start Jest processes of their own; two at a time is what a 2-core machine bears.
  maxWorkers: 2,
  // A loaded CI machine (or `npm run test:stress`) makes a Jest run of a fixture take minutes: a timeout is no assertion.
  testTimeout: 300_000,
};

export default config;
