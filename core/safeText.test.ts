import { inline, markdownCode, multiline } from './safeText';

describe('inline', () => {
  test('clean text is returned as it is', () => {
    expect(inline('suite › a test with "quotes" and ünïcode')).toBe('suite › a test with "quotes" and ünïcode');
  });

  test('a workflow command hidden in a title cannot start a line', () => {
    const title = 't\n::add-mask::x\n::error file=a.js::spoofed';
    expect(inline(title)).toBe('t\\n::add-mask::x\\n::error file=a.js::spoofed');
    expect(inline(title).split('\n')).toHaveLength(1);
  });

  test('every line ending is escaped: CR, VT, FF, NEL, U+2028/9', () => {
    expect(inline('a\rb\u000bc\u000cd\u0085e\u2028f\u2029g')).toBe('a\\rb\\u000bc\\u000cd\\u0085e\\u2028f\\u2029g');
  });

  test('ANSI colours, cursor moves, OSC titles and hyperlinks are removed; a stray ESC is escaped; bidi overrides too', () => {
    expect(inline('\u001b[31mred\u001b[0m \u001b[2J\u001b]0;title\u0007\u001b]8;;https://x\u001b\\link\u001b]8;;\u001b\\')).toBe('red link');
    expect(inline('a\u001bb')).toBe('a\\u001bb');
    expect(inline('abc\u202edcba')).toBe('abc\\u202edcba');
    expect(inline('tab\tnul\u0000del\u007f')).toBe('tab\\tnul\\u0000del\\u007f');
  });
});

describe('multiline', () => {
  test('keeps LF, makes CR and CRLF LF, removes ANSI, escapes the rest', () => {
    expect(multiline('a\r\nb\rc\nd\u001b[1m!\u001b[0m\u0007')).toBe('a\nb\nc\nd!\\u0007');
  });
});

describe('markdownCode', () => {
  test('links, images and HTML are code, not markup', () => {
    expect(markdownCode('[x](https://evil) ![i](https://evil/i.png) <img src=x onerror=alert(1)>')).toBe(
      '`[x](https://evil) ![i](https://evil/i.png) <img src=x onerror=alert(1)>`',
    );
  });

  test('one line, whatever the text: a lone CR cannot split a table row; | cannot split a cell', () => {
    expect(markdownCode('a\rb\nc | d')).toBe('`a\\rb\\nc \\| d`');
  });

  test('backticks in the text are fenced by a longer run', () => {
    expect(markdownCode('a `b` c')).toBe('``a `b` c``');
    expect(markdownCode('`start')).toBe('`` `start ``');
    expect(markdownCode('')).toBe('');
  });
});
