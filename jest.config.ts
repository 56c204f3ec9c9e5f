import type { Config } from 'jest';

// The project's own suite: unit specs beside the modules they test, e2e specs that spawn real Jest.
const config: Config = {
  roots: ['<rootDir>/core', '<rootDir>/runner', '<rootDir>/environment', '<rootDir>/reporter', '<rootDir>/config', '<rootDir>/cli', '<rootDir>/e2e'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: { warnOnly: false } }] },
  testEnvironment: 'node',
  // e2e specs start Jest processes of their own; two at a time is what a 2-core machine bears.
  maxWorkers: 2,
  testTimeout: 120_000,
};

export default config;
