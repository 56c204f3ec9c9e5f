// The JUnit XML report of a run, in the Surefire / nextest dialect CI dashboards read for retries:
// `<flakyFailure>` for the failed attempts of a test that passed on retry, `<rerunFailure>` for the earlier
// attempts of a test that failed every time.

import { XMLBuilder } from 'fast-xml-parser';
import { classifyOutcome, firstLine, type FileRecord, type TestRecord } from './runRecord';
import { stripAnsi } from './safeText';

export interface JunitOptions {
  /** The `name` of `<testsuites>`. */
  name: string;
  /** ISO time the run started. */
  timestamp: string;
}

// XML 1.0 forbids most control characters even when escaped; Jest messages may carry them.
// eslint-disable-next-line no-control-regex -- control characters are what it matches
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** NOT_XML without the global flag: `test` keeps no lastIndex between calls. */
const HAS_NOT_XML = new RegExp(NOT_XML.source);

/** Text and attribute values alike: titles, files and project names can carry them too. Clean strings are kept. */
const xmlText = (text: string): string => (HAS_NOT_XML.test(text) ? stripAnsi(text).replace(NOT_XML, '') : text);

const ENTITY = /[&<>]/;
const ENTITIES = /[&<>]/g;
const ENTITY_OF: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * The builder's own entity pass runs five regular expressions over every value; one pass that skips clean
 * strings is 3× faster on a large report. Quotes in attributes are still escaped by the builder itself.
 */
const escapeEntities = (_name: string, value: unknown): string => {
  const text = String(value);
  return ENTITY.test(text) ? text.replace(ENTITIES, (c) => ENTITY_OF[c]!) : text;
};

const ATTRIBUTE_SPACE = /[\n\r\t]/;
const ATTRIBUTE_SPACES = /[\n\r\t]/g;
const CHAR_REF: Record<string, string> = { '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' };

/** Attributes also keep their newlines and tabs as character references: a parser would turn them into spaces. */
const escapeAttribute = (name: string, value: unknown): string => {
  const text = escapeEntities(name, value);
  return ATTRIBUTE_SPACE.test(text) ? text.replace(ATTRIBUTE_SPACES, (c) => CHAR_REF[c]!) : text;
};

const seconds = (ms: number | null): string => ((ms ?? 0) / 1000).toFixed(3);

type Node = Record<string, unknown>;

/** `<failure>`-like element: message attribute (first line), full text inside. */
function failureNode(message: string, type: string): Node {
  return { '@_message': xmlText(firstLine(message)), '@_type': type, '#text': xmlText(message) };
}

/** Surefire's rerun elements carry the text in a `<stackTrace>` child. */
function rerunNode(message: string): Node {
  return { '@_message': xmlText(firstLine(message)), '@_type': 'retry', stackTrace: xmlText(message) };
}

// Jenkins' junit-10.xsd, which most CI dashboards validate against, has no `file` on a testcase: the file is the
// suite's (`testsuite@file`), and the classname names it too.
function testcaseNode(classname: string, test: TestRecord): Node {
  const node: Node = {
    '@_name': xmlText(test.titles.join(' › ')),
    '@_classname': classname,
    '@_time': seconds(test.durationMs),
  };
  const outcome = classifyOutcome(test);
  if (outcome === 'failed') {
    node.failure = failureNode(test.failures.join('\n\n') || 'failed', 'failure');
    if (test.earlierFailures.length > 0) node.rerunFailure = test.earlierFailures.map(rerunNode);
  } else if (outcome === 'flaky') {
    // One element per failed attempt; attempts whose message Jest did not keep still count.
    const failedAttempts = Math.max(test.attempts - 1, test.earlierFailures.length);
    node.flakyFailure = Array.from({ length: failedAttempts }, (_, i) => rerunNode(test.earlierFailures[i] ?? `attempt ${i + 1} failed`));
  } else if (outcome === 'skipped') {
    node.skipped = '';
  } else if (outcome === 'todo') {
    node.skipped = { '@_message': 'todo' };
  }
  return node;
}

const BUILDER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: false,
  processEntities: false,
  attributeValueProcessor: escapeAttribute,
  tagValueProcessor: escapeEntities,
};

/**
 * The whole report as a string. Linear in the number of tests: each `<testsuite>` is built on its own, so only one
 * file's element tree is alive at a time (one tree for 100,000 tests costs more in garbage collection than in
 * building), and the suites are joined inside the `<testsuites>` element built last.
 */
export function junitXml(files: readonly FileRecord[], options: JunitOptions): string {
  const builder = new XMLBuilder({ ...BUILDER_OPTIONS, suppressEmptyNode: true });
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let totalMs = 0;
  const suites: string[] = [];
  for (const file of files) {
    const testcase: Node[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    const classname = xmlText(file.project ? `${file.project} ${file.file}` : file.file);
    const fileName = xmlText(file.file);
    for (const test of file.tests) {
      const outcome = classifyOutcome(test);
      if (outcome === 'failed') suiteFailures++;
      else if (outcome === 'skipped' || outcome === 'todo') suiteSkipped++;
      testcase.push(testcaseNode(classname, test));
    }
    const suiteErrors = file.error !== null ? 1 : 0;
    if (file.error !== null) {
      // A file that failed to run has no tests to carry the error: one testcase stands for the file.
      testcase.push({ '@_name': 'Test suite failed to run', '@_classname': fileName, '@_time': '0.000', error: failureNode(file.error, 'error') });
    }
    const suite: Node = {
      '@_name': fileName,
      '@_tests': testcase.length,
      '@_failures': suiteFailures,
      '@_errors': suiteErrors,
      '@_skipped': suiteSkipped,
      '@_time': seconds(file.durationMs),
      '@_timestamp': options.timestamp,
      '@_file': fileName,
    };
    if (file.project) suite.properties = { property: { '@_name': 'project', '@_value': xmlText(file.project) } };
    suite.testcase = testcase;
    suites.push(builder.build({ testsuite: suite }) as string);
    tests += testcase.length;
    failures += suiteFailures;
    errors += suiteErrors;
    totalMs += file.durationMs ?? 0;
  }
  // Built with an empty body (never self-closed), then the suites go before its closing tag.
  const outer = new XMLBuilder(BUILDER_OPTIONS).build({
    testsuites: {
      '@_name': xmlText(options.name),
      '@_tests': tests,
      '@_failures': failures,
      '@_errors': errors,
      // junit-10.xsd: `testsuites` takes no `skipped` (each testsuite says it).
      '@_time': seconds(totalMs),
      '#text': '',
    },
  }) as string;
  const close = '</testsuites>';
  if (!outer.endsWith(close)) throw new Error(`unexpected XMLBuilder output: ${outer.slice(-40)}`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${outer.slice(0, -close.length)}${suites.join('')}${close}`;
}
