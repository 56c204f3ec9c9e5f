// Writes the environment benchmark's project: `files` test files of `tests` small tests each, some with mocks,
// spies, once-values and timers (all clean: the benchmark measures the checks, not the reporting of leaks).
'use strict';
const fs = require('fs');
const path = require('path');

function testBody(i) {
  if (i % 25 === 0) return `const t = setTimeout(() => {}, 1000); clearTimeout(t); expect(typeof t).toBe('object');`;
  if (i % 20 === 0) return `const load = jest.fn().mockResolvedValue(0); load.mockResolvedValueOnce(${i}); expect(await load()).toBe(${i});`;
  if (i % 10 === 0)
    return `const spy = jest.spyOn(service, 'compute'); expect(service.compute(${i})).toBe(${i * 2}); expect(spy).toHaveBeenCalledWith(${i}); spy.mockRestore();`;
  if (i % 5 === 0) return `const fn = jest.fn().mockReturnValue(${i}); expect(fn('x')).toBe(${i}); expect(fn).toHaveBeenCalledTimes(1);`;
  return `expect(${i} + 1).toBe(${i + 1}); expect([${i}]).toEqual([${i}]);`;
}

function generate(dir, { files = 50, tests = 200 } = {}) {
  fs.mkdirSync(path.join(dir, '__tests__'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "bench-environment", "private": true }\n');
  fs.writeFileSync(path.join(dir, 'service.js'), 'module.exports = { compute: (n) => n * 2 };\n');
  for (const [name, environment] of [
    ['node', 'node'],
    ['flakeguard', 'jest-flakeguard/environment'],
  ]) {
    fs.writeFileSync(path.join(dir, `jest.${name}.config.js`), `module.exports = { rootDir: __dirname, testEnvironment: '${environment}' };\n`);
  }
  for (let f = 0; f < files; f++) {
    const lines = [`const service = require('../service');`, ''];
    for (let d = 0; d < tests / 20; d++) {
      lines.push(`describe('group ${d}', () => {`);
      for (let t = 0; t < 20; t++) {
        const i = d * 20 + t;
        lines.push(`  test('case ${i}', async () => { ${testBody(i)} });`);
      }
      lines.push('});');
    }
    fs.writeFileSync(path.join(dir, '__tests__', `file-${String(f).padStart(2, '0')}.test.js`), lines.join('\n') + '\n');
  }
}

module.exports = { generate };
