import { exactNamePattern } from './namePattern';

describe('exactNamePattern', () => {
  test('anchored, regex-escaped full names: nothing else matches, not even a longer name', () => {
    const pattern = new RegExp(exactNamePattern([{ titles: ['cart', 'applies (a) coupon?'] }, { titles: ['a.b', 'x|y'] }])!);
    expect(pattern.test('cart applies (a) coupon?')).toBe(true);
    expect(pattern.test('a.b x|y')).toBe(true);
    expect(pattern.test('cart applies (a) coupon? again')).toBe(false);
    expect(pattern.test('the cart applies (a) coupon?')).toBe(false);
    expect(pattern.test('aXb x')).toBe(false);
  });

  test('no pattern when a whole file is named, or nothing is', () => {
    expect(exactNamePattern([{ titles: ['t'] }, { titles: null }])).toBeNull();
    expect(exactNamePattern([])).toBeNull();
  });
});
