/**
 * Hand-computed cases, one per rule of the profit model. Each expected number is worked
 * out in the comment next to it from the inputs, not read back from the engine.
 */
import { computeMargins } from '../../src/core/margin';
import { CurrencyMismatchError } from '../../src/core/errors';
import { startOfDay } from '../../src/core/time';
import {
  LA, ad, adjustmentTx, at, cost, creatorLine, estimate, line, order, orderTx, refund, settings, shop,
} from './fixtures';

const AS_OF = at('2026-11-01');

describe('a settled order refunded after settlement', () => {
  // $25 item with $3 seller and $2 platform discount, plus 2 × $9 of SKU-B with $1 platform discount.
  // Customer paid $3.99 shipping ($5.99 less a $2 platform shipping discount).
  const o = order('o1', { shippingFee: 399, originalShippingFee: 599, shippingPlatformDiscount: 200 });
  const lines = [
    line('o1', 'L1', { originalPrice: 2500, sellerDiscount: 300, platformDiscount: 200 }),
    line('o1', 'L2', { sellerSku: 'SKU-B', skuId: 'sku-2', quantity: 2, originalPrice: 1800, platformDiscount: 100 }),
  ];
  const s1 = Date.UTC(2026, 9, 15) / 1000;
  const s2 = Date.UTC(2026, 9, 25) / 1000;
  const transactions = [
    // First statement: revenue 4300 − 300 = 4000; shipping 399 paid − 650 carrier + 200 platform discount = −51.
    orderTx('o1', s1, {
      subtotalBeforeDiscount: 4300, sellerDiscount: -300, customerPaidShippingFee: 399, actualShippingFee: 650,
      shippingCostAmount: -51, fees: { referral_fee_amount: -240, affiliate_commission_amount: -300 },
    }),
    // Ten days later one unit of SKU-B ($9) is refunded: referral partly reversed, admin fee charged, commission reversed.
    orderTx('o1', s2, {
      refundSubtotalBeforeDiscount: -900,
      fees: { referral_fee_amount: 54, refund_administration_fee_amount: -11, affiliate_commission_amount: 135 },
    }),
  ];
  const returns = [refund('r1', 'o1', { lines: [{ lineId: 'L2', skuId: 'sku-2', quantity: 1, refundedOriginal: 900, refundedSellerDiscount: 0 }] })];
  const data = shop({
    orders: [o], lines, transactions, returns,
    cogs: [cost('SKU-A', 800, '2026-01-01'), cost('SKU-B', 350, '2026-01-01')],
    creatorOrders: [creatorLine('o1', 'creator_a', { estimatedCommission: 300 })],
  });
  const m = computeMargins(data, settings(), AS_OF).orders[0];

  test('revenue: seller discount is the seller’s, platform discount is not; refund net of its seller discount', () => {
    expect(m.grossSales).toBe(4300);
    expect(m.sellerDiscount).toBe(300);
    expect(m.platformDiscount).toBe(300);
    expect(m.productRevenue).toBe(4000); // (2500 − 300) + 1800
    expect(m.refunds).toBe(900);
    expect(m.shippingRevenue).toBe(399);
    expect(m.netRevenue).toBe(3499); // 4000 − 900 + 399
  });

  test('COGS at the cost of the day, returned unit restocked', () => {
    expect(m.cogsGross).toBe(1500); // 800 + 2 × 350
    expect(m.restockCredit).toBe(350);
    expect(m.cogs).toBe(1150);
    expect(m.cm1).toBe(2349);
  });

  test('fees come from both statements, the later refund reversal included', () => {
    expect(m.basis).toBe('settled');
    expect(m.settlementTime).toBe(s1);
    expect(m.fees.referralFee).toBe(186); // 240 − 54
    expect(m.fees.refundAdministrationFee).toBe(11);
    expect(m.fees.affiliateCommission).toBe(165); // 300 − 135
    expect(m.fees.shippingCost).toBe(450); // 650 carrier − 200 platform discount
    expect(m.platformFees).toBe(197);
    expect(m.creatorCommission).toBe(165);
    expect(m.cm2).toBe(1537); // 2349 − 197 − 450 − 165
    expect(m.cm3).toBe(1537);
  });

  test('true-up against the rate card and the affiliate estimate', () => {
    // Rate card: 6% of 3100 = 186; admin fee 20% of 6% of 900 = 10.8 → 11; shipping 0; commission est. 300.
    expect(m.trueUp).toEqual({
      referralFee: 0, transactionFee: 0, refundAdministrationFee: 0, serviceFees: 0, otherPlatformFees: 0,
      shippingCost: 450, affiliateCommission: -135, affiliatePartnerCommission: 0, affiliateAdsCommission: 0,
      cofundedCreatorBonus: 0, taxWithheld: 0,
    });
    expect(m.creator).toBe('creator_a');
  });
});

test('a sample order costs the creator who asked for it, never revenue', () => {
  const data = shop({
    orders: [order('s1', { isSample: true, sampleCreator: 'creator_x' })],
    lines: [line('s1', 'L1', { originalPrice: 0 })],
    transactions: [adjustmentTx('SAMPLE_SHIPPING_FEE', 's1', at('2026-10-08'), -450)],
    cogs: [cost('SKU-A', 800, '2026-01-01')],
  });
  const m = computeMargins(data, settings({ packagingCostPerOrder: 50, pickPackCostPerOrder: 25 }), AS_OF).orders[0];
  expect(m.netRevenue).toBe(0);
  expect(m.cogs).toBe(0);
  expect(m.cm1).toBe(0);
  expect(m.cm2).toBe(0);
  expect(m.sampleCost).toBe(1325); // 800 product + 50 packaging + 25 pick-pack + 450 shipping
  expect(m.cm3).toBe(-1325);
  expect(m.creator).toBe('creator_x');
  expect(m.basis).toBe('none');
  expect(m.trueUp).toBeNull();
});

describe('JPY: zero minor units, rounding half away from zero', () => {
  const tz = 'Asia/Tokyo';
  const t = startOfDay('2026-10-05', tz) + 3600 * 10;
  const jpy = { currency: 'JPY', createTime: t, paidTime: t };
  const data = shop({
    orders: [order('j1', jpy), order('j2', jpy), order('j3', jpy)],
    lines: [
      line('j1', 'a', { currency: 'JPY', originalPrice: 1225 }),
      line('j2', 'a', { currency: 'JPY', originalPrice: 1224 }),
      line('j3', 'a', { currency: 'JPY', originalPrice: 1225 }),
      line('j3', 'b', { currency: 'JPY', originalPrice: 1225 }),
    ],
    returns: [refund('r', 'j3', { currency: 'JPY', lines: [{ lineId: 'b', skuId: 'sku-1', quantity: 1, refundedOriginal: 1225, refundedSellerDiscount: 0 }] })],
    cogs: [cost('SKU-A', 500, '2026-01-01', 'JPY')],
  });
  const r = computeMargins(data, settings({ currency: 'JPY', timezone: tz }), AS_OF);
  const by = new Map(r.orders.map((o) => [o.orderId, o]));

  test('6% referral of ¥1,225 is ¥73.5 → ¥74; of ¥1,224 is ¥73.44 → ¥73', () => {
    expect(by.get('j1')!.basis).toBe('rate_card');
    expect(by.get('j1')!.fees.referralFee).toBe(74);
    expect(by.get('j2')!.fees.referralFee).toBe(73);
  });

  test('refund admin fee: 20% of the ¥74 referral on the refunded line = ¥14.8 → ¥15', () => {
    const j3 = by.get('j3')!;
    expect(j3.refunds).toBe(1225);
    expect(j3.fees.referralFee).toBe(74); // 6% of 2450 − 1225
    expect(j3.fees.refundAdministrationFee).toBe(15);
    expect(j3.cogs).toBe(500); // 2 × 500 − 500 restocked
    expect(j3.cm2).toBe(1225 - 500 - 74 - 15);
  });
});

describe('cost change on the order-date boundary, in the shop timezone', () => {
  const midnight = startOfDay('2026-10-06', LA); // 07:00 UTC
  const orders = [
    order('before', { createTime: midnight - 1, paidTime: midnight - 1 }),
    order('at', { createTime: midnight, paidTime: midnight }),
    // 05:00 UTC on the 6th is still the 5th in Los Angeles: the old cost.
    order('utc-next-day', { createTime: Date.UTC(2026, 9, 6, 5) / 1000, paidTime: Date.UTC(2026, 9, 6, 5) / 1000 }),
  ];
  const data = shop({
    orders,
    lines: orders.map((o) => line(o.orderId, 'L')),
    cogs: [cost('SKU-A', 800, '2026-01-01'), cost('SKU-A', 900, '2026-10-06')],
  });
  const by = new Map(computeMargins(data, settings(), AS_OF).orders.map((o) => [o.orderId, o]));
  test('last second of the 5th takes the old cost, first second of the 6th the new one', () => {
    expect(by.get('before')!.cogs).toBe(800);
    expect(by.get('before')!.day).toBe('2026-10-05');
    expect(by.get('at')!.cogs).toBe(900);
    expect(by.get('at')!.day).toBe('2026-10-06');
    expect(by.get('utc-next-day')!.cogs).toBe(800);
  });
});

test('a SKU without a cost is flagged, not costed at zero silently', () => {
  const data = shop({
    orders: [order('o')],
    lines: [line('o', 'a'), line('o', 'b', { sellerSku: 'SKU-Z', skuId: 'sku-z' })],
    cogs: [cost('SKU-A', 400, '2026-01-01')],
  });
  const m = computeMargins(data, settings(), AS_OF).orders[0];
  expect(m.missingCogsSkus).toEqual(['SKU-Z']);
  expect(m.cogs).toBe(400);
});

describe('ad spend', () => {
  const day = '2026-10-05';
  const mk = (id: string, price: number, over = {}) => [order(id, over), line(id, `${id}-L`, { originalPrice: price })] as const;

  test('GMV-paid ads are counted once: from the statement, not again from the Marketing API', () => {
    const [o1, l1] = mk('a1', 3000);
    const [o2, l2] = mk('a2', 1000);
    const data = shop({
      orders: [o1, o2], lines: [l1, l2],
      adSpend: [ad(day, 5000, { fundingSource: 'GMV_PAYMENT' }), ad(day, 1000)],
      // Statement generated at 00:00 UTC on the 6th = 17:00 on the 5th in Los Angeles.
      transactions: [adjustmentTx('GMV_PAYMENT_FOR_ADS', null, Date.UTC(2026, 9, 6) / 1000, -5000)],
    });
    const r = computeMargins(data, settings(), AS_OF);
    expect(r.days.find((d) => d.day === day)!.adSpend).toBe(6000);
    const by = new Map(r.orders.map((o) => [o.orderId, o]));
    expect(by.get('a1')!.adSpend).toBe(4500); // 6000 × 3000 / 4000
    expect(by.get('a2')!.adSpend).toBe(1500);
    expect(by.get('a1')!.cm3).toBe(3000 - 4500 - 180); // default rate card: 6% referral
  });

  test('a cent that cannot be split evenly goes to the first order by id; a day without orders keeps its spend unallocated', () => {
    const orders = ['c', 'a', 'b'].map((id) => mk(id, 1000));
    const data = shop({ orders: orders.map((x) => x[0]), lines: orders.map((x) => x[1]), adSpend: [ad(day, 100), ad('2026-10-07', 250)] });
    const r = computeMargins(data, settings(), AS_OF);
    const by = new Map(r.orders.map((o) => [o.orderId, o.adSpend]));
    expect([by.get('a'), by.get('b'), by.get('c')]).toEqual([34, 33, 33]);
    const empty = r.days.find((d) => d.day === '2026-10-07')!;
    expect(empty).toMatchObject({ adSpend: 250, allocatedAdSpend: 0, unallocatedAdSpend: 250 });
  });

  test('an advertiser day in New York falls 3 h on one Los Angeles day and 21 h on the next', () => {
    const r = computeMargins(shop({ adSpend: [ad(day, 2400, { advertiserTimezone: 'America/New_York' })] }), settings(), AS_OF);
    expect(r.days.map((d) => [d.day, d.adSpend])).toEqual([['2026-10-04', 300], ['2026-10-05', 2100]]);
  });

  test('by product: mapped campaigns go to orders of that product by its revenue, the rest by day', () => {
    const data = shop({
      orders: [order('p1'), order('p2')],
      lines: [
        line('p1', 'x', { productId: 'prod-1', originalPrice: 1000 }),
        line('p1', 'y', { productId: 'prod-2', originalPrice: 3000 }),
        line('p2', 'z', { productId: 'prod-2', originalPrice: 1000 }),
      ],
      adSpend: [ad(day, 800, { productIds: ['prod-2'], campaignId: 'gmvmax' }), ad(day, 400)],
    });
    const by = new Map(computeMargins(data, settings({ allocationMethod: 'by_product' }), AS_OF).orders.map((o) => [o.orderId, o.adSpend]));
    expect(by.get('p1')).toBe(600 + 320); // 800 × 3000/4000 + 400 × 4000/5000
    expect(by.get('p2')).toBe(200 + 80);
  });

  test('new buyers only: a returning buyer’s order gets none of the day’s spend', () => {
    const data = shop({
      orders: [
        order('first-b1', { buyerId: 'b1', createTime: at('2026-10-01'), paidTime: at('2026-10-01') }),
        order('again-b1', { buyerId: 'b1' }),
        order('first-b2', { buyerId: 'b2' }),
      ],
      lines: [line('first-b1', 'l'), line('again-b1', 'l'), line('first-b2', 'l')],
      adSpend: [ad(day, 700)],
    });
    const r = computeMargins(data, settings({ allocationMethod: 'new_buyers' }), AS_OF);
    const by = new Map(r.orders.map((o) => [o.orderId, o]));
    expect(by.get('again-b1')!.adSpend).toBe(0);
    expect(by.get('again-b1')!.isFirstOrder).toBe(false);
    expect(by.get('first-b2')!.adSpend).toBe(700);
  });
});

describe('estimates before settlement', () => {
  test('TikTok’s own estimate wins; commission comes from the affiliate order', () => {
    const data = shop({
      orders: [order('e1')], lines: [line('e1', 'l', { originalPrice: 2000 })],
      unsettled: [estimate('e1', {
        estFeeTaxAmount: -360, estShippingCostAmount: -100, estCustomerPaidShippingFee: 200,
        fees: { referral_fee_amount: -120, transaction_fee_amount: -30, affiliate_commission_amount: -200 },
      })],
      creatorOrders: [creatorLine('e1', 'creator_b', { estimatedCommission: 150 })],
    });
    const m = computeMargins(data, settings(), AS_OF).orders[0];
    expect(m.basis).toBe('tiktok_estimate');
    expect(m.fees.referralFee).toBe(120);
    expect(m.fees.transactionFee).toBe(30);
    expect(m.fees.otherPlatformFees).toBe(10); // 360 − 120 − 30 − 200 the breakdown explains
    expect(m.fees.shippingCost).toBe(300); // 100 net cost + 200 the customer paid
    expect(m.fees.affiliateCommission).toBe(150);
    expect(m.trueUp).toBeNull();
  });

  test('without it, the shop’s trailing 30-day actual rates on 20 settled orders', () => {
    const orders = [];
    const lines = [];
    const transactions = [];
    for (let i = 0; i < 20; i++) {
      const id = `ref${String(i).padStart(2, '0')}`;
      orders.push(order(id, { createTime: at('2026-10-20'), paidTime: at('2026-10-20') }));
      lines.push(line(id, 'l', { originalPrice: 1000 }));
      // Each: referral $0.70 and shipping $3.00 or $3.01 (average 3.005 → 301 by half-up).
      transactions.push(orderTx(id, at('2026-10-28'), {
        subtotalBeforeDiscount: 1000, shippingCostAmount: i % 2 === 0 ? -300 : -301, fees: { referral_fee_amount: -70 },
      }));
    }
    orders.push(order('new', { createTime: at('2026-10-30'), paidTime: at('2026-10-30') }));
    lines.push(line('new', 'l', { originalPrice: 1550 }));
    const r = computeMargins(shop({ orders, lines, transactions }), settings(), AS_OF);
    const m = r.orders.find((o) => o.orderId === 'new')!;
    expect(r.trailing.orders).toBe(20);
    expect(m.basis).toBe('trailing_rate');
    expect(m.fees.referralFee).toBe(109); // 1550 × 1400 / 20000 = 108.5 → 109
    expect(m.fees.shippingCost).toBe(301); // 6010 / 20 = 300.5 → 301
  });

  test('a cancelled order has no revenue and no cost, but a fee TikTok still charged counts', () => {
    const data = shop({
      orders: [order('x', { status: 'CANCELLED' })], lines: [line('x', 'l')],
      transactions: [orderTx('x', at('2026-10-10'), { fees: { transaction_fee_amount: -30 } })],
      cogs: [cost('SKU-A', 400, '2026-01-01')],
    });
    const m = computeMargins(data, settings({ packagingCostPerOrder: 50 }), AS_OF).orders[0];
    expect(m.cancelledSales).toBe(1000);
    expect(m.netRevenue).toBe(0);
    expect(m.cogs).toBe(0);
    expect(m.ownFulfilmentCost).toBe(0);
    expect(m.cm3).toBe(-30);
  });
});

test('refund only: nothing comes back to stock unless the setting says so', () => {
  const data = (returnType: 'REFUND' | 'RETURN_AND_REFUND') => shop({
    orders: [order('o')], lines: [line('o', 'l', { quantity: 2, originalPrice: 2000 })],
    returns: [refund('r', 'o', { returnType, lines: [{ lineId: 'l', skuId: 'sku-1', quantity: 1, refundedOriginal: 1000, refundedSellerDiscount: 0 }] })],
    cogs: [cost('SKU-A', 333, '2026-01-01')],
  });
  expect(computeMargins(data('REFUND'), settings(), AS_OF).orders[0].restockCredit).toBe(0);
  expect(computeMargins(data('REFUND'), settings({ restockShareRefundOnlyBp: 5000 }), AS_OF).orders[0].restockCredit).toBe(167); // 166.5 → 167
  expect(computeMargins(data('RETURN_AND_REFUND'), settings(), AS_OF).orders[0].restockCredit).toBe(333);
});

test('fixed costs spread evenly over the month’s days, the odd cent on the first day', () => {
  const r = computeMargins(shop({ fixedCosts: [{ month: '2026-10', label: 'Rent', currency: 'USD', amount: 3101 }] }), settings(), AS_OF);
  expect(r.days).toHaveLength(31);
  expect(r.days[0].fixedCosts).toBe(101);
  expect(r.days.slice(1).every((d) => d.fixedCosts === 100)).toBe(true);
});

test('a record in another currency is refused with its id', () => {
  const data = shop({ orders: [order('o')], lines: [line('o', 'l', { currency: 'EUR' })] });
  expect(() => computeMargins(data, settings(), AS_OF)).toThrow(CurrencyMismatchError);
  expect(() => computeMargins(data, settings(), AS_OF)).toThrow(/order line o\/l/);
});

test('an order or statement transaction given twice is refused, not counted twice', () => {
  const twice = shop({ orders: [order('o'), order('o')], lines: [line('o', 'l')] });
  expect(() => computeMargins(twice, settings(), AS_OF)).toThrow('order o: field "orderId" expected each key once, got "o (again)"');
  const tx = orderTx('o', at('2026-10-10'), { subtotalBeforeDiscount: 1000 });
  const doubled = shop({ orders: [order('o')], lines: [line('o', 'l')], transactions: [tx, { ...tx }] });
  expect(() => computeMargins(doubled, settings(), AS_OF)).toThrow(/statement transaction .*: field "transactionId" expected each key once/);
});
