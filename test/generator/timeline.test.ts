/**
 * The generator is one timeline: snapshots of one seed at asOf1 < asOf2 < asOf3 agree on
 * everything that exists at the earlier time (same ids, lines and money), and everything that
 * changes moves forward (statuses, returns, statements, payouts). Only UNPAID orders become
 * paid and estimates are superseded by settlement. Also the unitLines option.
 */
import { computeMargins } from '../../src/core/margin';
import type { Order, ShopData } from '../../src/core/records';
import { generateShop, type GeneratedShop } from '../../dev/generator/shop';

const BASE = { seed: 21, days: 30, ordersPerDay: 60 };
const DAY = 86400;
const end = generateShop({ ...BASE, truth: false, analytics: false }).asOf; // 6 h after the last day
const AS_OF = [end - 12 * DAY + 3 * 3600, end - 4 * DAY - 5 * 3600, end + 25 * DAY];

const FLOW = ['ON_HOLD', 'AWAITING_SHIPMENT', 'AWAITING_COLLECTION', 'PARTIALLY_SHIPPING', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED'];
const RETURN_FINAL = new Set(['RETURN_OR_REFUND_REQUEST_COMPLETE', 'REFUND_OR_RETURN_REQUEST_REJECT', 'REJECT_RECEIVE_PACKAGE', 'RETURN_OR_REFUND_REQUEST_CANCEL']);

/** The fixed part of an order: everything but its state. */
const orderCore = (o: Order) => JSON.stringify([o.orderId, o.buyerId, o.currency, o.createTime, o.fulfillmentType, o.isSample, o.sampleCreator,
  o.originalShippingFee, o.shippingSellerDiscount, o.shippingPlatformDiscount, o.shippingFee, o.tax, o.totalAmount]);

function statusMovesForward(a: string, b: string): boolean {
  if (a === b) return true;
  if (a === 'UNPAID') return true;
  if (a === 'CANCELLED') return false;
  if (b === 'CANCELLED') return a === 'ON_HOLD' || a === 'AWAITING_SHIPMENT';
  return FLOW.indexOf(b) > FLOW.indexOf(a) && FLOW.indexOf(a) >= 0;
}

function compare(s1: GeneratedShop, s2: GeneratedShop): string[] {
  const p: string[] = [];
  const d1: ShopData = s1.data;
  const d2: ShopData = s2.data;
  const o2 = new Map(d2.orders.map((o) => [o.orderId, o]));
  for (const a of d1.orders) {
    const b = o2.get(a.orderId);
    if (!b) { p.push(`${a.orderId}: vanished`); continue; }
    if (orderCore(a) !== orderCore(b)) p.push(`${a.orderId}: core changed`);
    if (!statusMovesForward(a.status, b.status)) p.push(`${a.orderId}: ${a.status} → ${b.status}`);
    if (b.updateTime < a.updateTime) p.push(`${a.orderId}: update time went back`);
    if (b.updateTime === a.updateTime && JSON.stringify(a) !== JSON.stringify(b)) p.push(`${a.orderId}: changed without a new update time`);
    if (a.paidTime !== null && a.paidTime !== b.paidTime) p.push(`${a.orderId}: paid time changed`);
    if (a.cancelTime !== null && a.cancelTime !== b.cancelTime) p.push(`${a.orderId}: cancel time changed`);
    if (a.deliveryTime !== null && a.deliveryTime !== b.deliveryTime) p.push(`${a.orderId}: delivery time changed`);
  }
  for (const o of d2.orders) if (o.createTime <= s1.asOf && !d1.orders.some((x) => x.orderId === o.orderId)) p.push(`${o.orderId}: created before asOf1 but missing then`);
  const l2 = new Map(d2.lines.map((l) => [l.lineId, l]));
  for (const a of d1.lines) {
    const b = l2.get(a.lineId);
    if (!b) { p.push(`line ${a.lineId}: vanished`); continue; }
    if (JSON.stringify({ ...a, cancelled: false }) !== JSON.stringify({ ...b, cancelled: false })) p.push(`line ${a.lineId}: changed`);
    if (a.cancelled && !b.cancelled) p.push(`line ${a.lineId}: un-cancelled`);
  }
  const r2 = new Map(d2.returns.map((r) => [r.returnId, r]));
  for (const a of d1.returns) {
    const b = r2.get(a.returnId);
    if (!b) { p.push(`return ${a.returnId}: vanished`); continue; }
    if (JSON.stringify([a.orderId, a.returnType, a.createTime, a.refundShipping, a.lines]) !== JSON.stringify([b.orderId, b.returnType, b.createTime, b.refundShipping, b.lines])) p.push(`return ${a.returnId}: changed`);
    if (b.updateTime < a.updateTime) p.push(`return ${a.returnId}: update time went back`);
    if (RETURN_FINAL.has(a.status) && a.status !== b.status) p.push(`return ${a.returnId}: final status changed`);
  }
  const c2 = new Set(d2.cancellations.map((c) => JSON.stringify(c)));
  for (const c of d1.cancellations) if (!c2.has(JSON.stringify(c))) p.push(`cancellation ${c.cancelId}: changed or vanished`);
  const t2 = new Set(d2.transactions.map((t) => JSON.stringify(t)));
  for (const t of d1.transactions) if (!t2.has(JSON.stringify(t))) p.push(`transaction ${t.transactionId}: changed or vanished`);
  const st2 = new Map(d2.statements.map((s) => [s.statementId, s]));
  for (const a of d1.statements) {
    const b = st2.get(a.statementId);
    if (!b) { p.push(`statement ${a.statementId}: vanished`); continue; }
    if (JSON.stringify({ ...a, paymentStatus: '', paymentId: '' }) !== JSON.stringify({ ...b, paymentStatus: '', paymentId: '' })) p.push(`statement ${a.statementId}: amounts changed`);
    if (a.paymentId !== null && a.paymentId !== b.paymentId) p.push(`statement ${a.statementId}: payment id changed`);
    if (a.paymentStatus === 'PAID' && b.paymentStatus !== 'PAID') p.push(`statement ${a.statementId}: unpaid again`);
  }
  for (const s of d2.statements) if (s.statementTime <= s1.asOf && !d1.statements.some((x) => x.statementId === s.statementId)) p.push(`statement ${s.statementId}: appeared in the past`);
  const pay2 = new Map(d2.payouts.map((x) => [x.paymentId, x]));
  for (const a of d1.payouts) {
    const b = pay2.get(a.paymentId);
    if (!b) { p.push(`payout ${a.paymentId}: vanished`); continue; }
    if (a.amount !== b.amount || a.createTime !== b.createTime || a.reserveAmount !== b.reserveAmount) p.push(`payout ${a.paymentId}: changed`);
    if (a.status === 'PAID' && (b.status !== 'PAID' || b.paidTime !== a.paidTime)) p.push(`payout ${a.paymentId}: paid state changed`);
  }
  const settled2 = new Set(d2.transactions.filter((t) => t.type === 'ORDER' && t.orderId).map((t) => t.orderId));
  const e2 = new Set(d2.unsettled.map((e) => JSON.stringify(e)));
  for (const e of d1.unsettled) if (!e2.has(JSON.stringify(e)) && !settled2.has(e.orderId)) p.push(`estimate ${e.orderId}@${e.fetchedTime}: vanished before settlement`);
  const ads2 = new Set(d2.adSpend.map((a) => JSON.stringify(a)));
  for (const a of d1.adSpend) if (!ads2.has(JSON.stringify(a))) p.push(`ad spend ${a.campaignId} ${a.date}: changed`);
  const co2 = new Map(d2.creatorOrders.map((c) => [`${c.orderId}|${c.skuId}|${c.creatorUsername}`, c]));
  for (const a of d1.creatorOrders) {
    const b = co2.get(`${a.orderId}|${a.skuId}|${a.creatorUsername}`);
    if (!b || b.commissionRateBp !== a.commissionRateBp || b.contentId !== a.contentId) p.push(`creator line ${a.orderId}: changed or vanished`);
  }
  return p;
}

describe('one timeline over asOf', () => {
  const shops = AS_OF.map((asOf) => generateShop({ ...BASE, asOf }));

  test('each snapshot only holds what happened by its asOf', () => {
    for (const s of shops) {
      expect(s.data.orders.every((o) => o.createTime <= s.asOf && o.updateTime <= s.asOf)).toBe(true);
      expect(s.data.statements.every((x) => x.statementTime <= s.asOf)).toBe(true);
      expect(s.data.returns.every((r) => r.createTime <= s.asOf && r.updateTime <= s.asOf)).toBe(true);
      expect(s.data.unsettled.every((e) => e.fetchedTime <= s.asOf)).toBe(true);
    }
    expect(shops[0].data.orders.length).toBeLessThan(shops[1].data.orders.length);
  });

  test.each([[0, 1], [1, 2], [0, 2]])('snapshot %i → snapshot %i: nothing changes in the past, states move forward', (i, j) => {
    expect(compare(shops[i], shops[j]).slice(0, 10)).toEqual([]);
  });

  test('the shop moves: statuses change, UNPAID orders get paid, statements and refunds arrive later', () => {
    const [a, b] = [shops[0], shops[1]];
    const later = new Map(b.data.orders.map((o) => [o.orderId, o]));
    const moved = a.data.orders.filter((o) => later.get(o.orderId)!.status !== o.status);
    expect(moved.length).toBeGreaterThan(50);
    expect(a.data.orders.some((o) => o.status === 'AWAITING_SHIPMENT' && later.get(o.orderId)!.status === 'COMPLETED')).toBe(true);
    const unpaid = a.data.orders.filter((o) => o.status === 'UNPAID');
    expect(unpaid.length).toBeGreaterThan(0);
    for (const o of unpaid) expect(later.get(o.orderId)!.paidTime).not.toBeNull();
    expect(b.data.statements.length).toBeGreaterThan(a.data.statements.length);
    expect(b.data.returns.length).toBeGreaterThan(a.data.returns.length);
    // Estimates superseded by settlement exist (the only kind of record allowed to go).
    const e3 = new Set(shops[2].data.unsettled.map((e) => `${e.orderId}|${e.fetchedTime}`));
    expect(a.data.unsettled.some((e) => !e3.has(`${e.orderId}|${e.fetchedTime}`))).toBe(true);
  });

  test('the engine still matches ground truth at an earlier asOf', () => {
    const s = shops[1];
    const r = computeMargins(s.data, s.settings, s.asOf);
    const truth = new Map(s.truth.orders.map((o) => [o.orderId, o]));
    expect(r.orders.length).toBe(s.truth.orders.length);
    const bad = r.orders.filter((o) => { const t = truth.get(o.orderId); return !t || t.cm3 !== o.cm3 || t.basis !== o.basis; });
    expect(bad.map((o) => o.orderId).slice(0, 5)).toEqual([]);
  });
});

describe('unitLines', () => {
  const shop = generateShop({ ...BASE, seed: 22, unitLines: true });

  test('every line is one unit, and multi-unit purchases become several lines of one SKU', () => {
    expect(shop.data.lines.every((l) => l.quantity === 1)).toBe(true);
    const perOrderSku = new Map<string, number>();
    for (const l of shop.data.lines) perOrderSku.set(`${l.orderId}|${l.skuId}`, (perOrderSku.get(`${l.orderId}|${l.skuId}`) ?? 0) + 1);
    expect([...perOrderSku.values()].some((n) => n > 1)).toBe(true);
  });

  test('the engine matches ground truth to the minor unit', () => {
    const r = computeMargins(shop.data, shop.settings, shop.asOf);
    const truth = new Map(shop.truth.orders.map((o) => [o.orderId, o]));
    expect(r.orders.length).toBe(shop.truth.orders.length);
    const bad = r.orders.filter((o) => JSON.stringify(o) !== JSON.stringify(truth.get(o.orderId)));
    expect(bad.map((o) => o.orderId).slice(0, 5)).toEqual([]);
  });
});
