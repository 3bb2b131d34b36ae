/**
 * Bad records get an error that names the record, its id, the field, what was expected and
 * what was found, never a silent default.
 */
import { DataError } from '../../src/core/errors';
import { OrderLineSchema, OrderSchema, StatementTransactionSchema, parseRecord } from '../../src/core/records';
import { parseSettings } from '../../src/core/settings';
import { line, order, orderTx } from './fixtures';

test('an unknown order status names the order, the field and the allowed values', () => {
  expect(() => parseRecord(OrderSchema, { ...order('5770001'), status: 'SHIPPED' }, 'order', '5770001')).toThrow(
    'order 5770001: field "status" expected one of UNPAID, ON_HOLD, AWAITING_SHIPMENT, PARTIALLY_SHIPPING, AWAITING_COLLECTION, IN_TRANSIT, DELIVERED, COMPLETED, CANCELLED, got "SHIPPED"',
  );
});

test('a negative quantity and text where an amount belongs are refused with the field named', () => {
  expect(() => parseRecord(OrderLineSchema, { ...line('o', 'l'), quantity: -2 }, 'order line', 'o/l')).toThrow(/order line o\/l: field "quantity" expected a value of at least/);
  expect(() => parseRecord(OrderLineSchema, { ...line('o', 'l'), originalPrice: '12.00' }, 'order line', 'o/l')).toThrow('order line o/l: field "originalPrice" expected a number, got "12.00"');
  expect(() => parseRecord(OrderLineSchema, { ...line('o', 'l'), originalPrice: 12.5 }, 'order line', 'o/l')).toThrow(/field "originalPrice" expected a whole number, got 12.5/);
  expect(() => parseRecord(OrderLineSchema, { ...line('o', 'l'), currency: 'usd' }, 'order line', 'o/l')).toThrow(DataError);
});

test('a missing required field says it is missing', () => {
  const { buyerId: _drop, ...rest } = order('9');
  expect(() => parseRecord(OrderSchema, rest, 'order', '9')).toThrow('order 9: field "buyerId" expected a string, got nothing (missing)');
});

test('an unknown fee field in a breakdown is named', () => {
  const t = { ...orderTx('o', 1), fees: { referral_fee_amount: -5, mystery_fee_amount: -1 } };
  expect(() => parseRecord(StatementTransactionSchema, t, 'statement transaction', t.transactionId)).toThrow(/field "fees" expected only known field names \(not mystery_fee_amount\)/);
});

test('Settings: defaults filled, a bad value refused with its name', () => {
  const s = parseSettings({ currency: 'USD', timezone: 'America/Los_Angeles' });
  expect(s.weekStart).toBe('MONDAY');
  expect(s.rateCard.referralFeeBp).toBe(600);
  expect(() => parseSettings({ currency: 'USD', timezone: 'America/Los_Angeles', allocationMethod: 'by_week' })).toThrow(/Settings: field "allocationMethod" expected one of by_day, by_product, new_buyers, got "by_week"/);
  expect(() => parseSettings({ currency: 'USD', timezone: 'Mars/Olympus' })).toThrow(/field "timezone" expected an IANA time zone/);
});
