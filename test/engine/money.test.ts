import { allocateByWeights, divRound, formatAmount, mulDivRound, parseAmount, sumMoney } from '../../src/core/money';
import { CurrencyMismatchError, DataError } from '../../src/core/errors';

const where = { record: 'order', id: '5770001', field: 'payment.sub_total' };

describe('parseAmount: TikTok decimal strings to minor units, exactly', () => {
  test.each([
    ['35.97', 'USD', 3597], ['-30', 'USD', -3000], ['0.1', 'USD', 10], ['12.300', 'USD', 1230],
    ['1500', 'JPY', 1500], ['-0.00', 'USD', 0], ['  7.05 ', 'USD', 705], ['90071992547409.91', 'USD', 9007199254740991],
  ])('%s %s → %d', (text, currency, expected) => {
    expect(parseAmount(text, currency, where)).toBe(expected);
  });

  test.each([
    ['', 'USD', /payment.sub_total" expected an amount in USD as a decimal text like "12.34", got an empty text/],
    ['abc', 'USD', /order 5770001: field "payment.sub_total" expected an amount in USD/],
    ['1.234', 'USD', /at most 2 decimal places for USD, got "1.234"/],
    ['10.5', 'JPY', /at most 0 decimal places for JPY, got "10.5"/],
    ['1e3', 'USD', /expected an amount in USD/],
    [null, 'USD', /got null/],
    [undefined, 'USD', /got nothing \(missing\)/],
    ['99999999999999999', 'USD', /small enough to be exact/],
  ])('%p %s is refused, naming the field', (text, currency, message) => {
    expect(() => parseAmount(text, currency, where)).toThrow(DataError);
    expect(() => parseAmount(text, currency, where)).toThrow(message);
  });

  test('numbers from sheet cells are accepted only when exact at the currency’s precision', () => {
    expect(parseAmount(0.1 + 0.2, 'USD', where)).toBe(30);
    expect(parseAmount(19.99, 'USD', where)).toBe(1999);
    expect(() => parseAmount(19.999, 'USD', where)).toThrow(/at most 2 decimal places/);
    expect(() => parseAmount(NaN, 'USD', where)).toThrow(DataError);
  });

  test('an unknown currency is an error, not a guess', () => {
    expect(() => parseAmount('1', 'XYZ', where)).toThrow(/Unknown currency "XYZ"/);
  });
});

test('formatAmount renders minor units back', () => {
  expect(formatAmount(-1230, 'USD')).toBe('-12.30');
  expect(formatAmount(5, 'USD')).toBe('0.05');
  expect(formatAmount(1500, 'JPY')).toBe('1500');
});

test('sums refuse to mix currencies', () => {
  expect(sumMoney([{ minor: 100, currency: 'USD' }, { minor: 5, currency: 'USD' }], 'USD', 'test').minor).toBe(105);
  expect(() => sumMoney([{ minor: 100, currency: 'USD' }, { minor: 5, currency: 'JPY' }], 'USD', 'the Profit tab')).toThrow(CurrencyMismatchError);
  expect(() => sumMoney([{ minor: 5, currency: 'JPY' }], 'USD', 'the Profit tab')).toThrow('Cannot combine JPY with USD in the Profit tab');
});

test('rounding is half away from zero, on integers', () => {
  expect(divRound(5, 2)).toBe(3);
  expect(divRound(-5, 2)).toBe(-3);
  expect(divRound(7, 3)).toBe(2);
  expect(mulDivRound(1225, 600, 10000)).toBe(74); // 73.5
  expect(mulDivRound(-1225, 600, 10000)).toBe(-74);
  // Past 2^53 the product goes through BigInt: (2^52 + 1) × 3 / 2 = 6755399441055745.5 → ...746
  expect(mulDivRound(2 ** 52 + 1, 3, 2)).toBe(6755399441055746);
});

describe('allocateByWeights: exact proportional splits', () => {
  test('parts always add up to the total', () => {
    for (const [total, weights] of [[100, [1, 1, 1]], [1, [5, 5]], [999, [3, 7, 11, 13]], [-101, [1, 2]], [0, [4, 5]]] as const) {
      const parts = allocateByWeights(total, weights);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
    }
  });
  test('largest remainder first; ties to the earlier item', () => {
    expect(allocateByWeights(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateByWeights(10, [1, 2])).toEqual([3, 7]); // 3.33, 6.67
    expect(allocateByWeights(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocateByWeights(5, [0, 1])).toEqual([0, 5]);
  });
  test('a split with no weight is refused rather than dropped', () => {
    expect(() => allocateByWeights(5, [0, 0])).toThrow(/positive sum/);
  });
});
