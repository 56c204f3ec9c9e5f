// What withFlakeguard hands the quarantine reporter (config/quarantineReporter) as its reporter options. What it hands a
// project's own modules through `testEnvironmentOptions.flakeguard` is core/environmentOptions'.

export interface QuarantineReporterOptions {
  /** Absolute rootDir the quarantine's files are relative to. */
  rootDir: string;
  /** Absolute path of quarantine.json. */
  quarantineFile: string;
  /** One line per expired entry, found when the config was built. */
  expired: string[];
  /** Projects (displayName) in which a test that passed only after a retry fails the run. */
  failOnFlaky: string[];
}
