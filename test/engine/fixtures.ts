/**
 * Builders for hand-computed engine cases: each fills the fields a case does not care
 * about with neutral values, so a test states only the money it is about.
 */
import {
  emptyShopData, type AdSpend, type CogsEntry, type CreatorOrderLine, type Order, type OrderLine, type Return,
  type ShopData, type StatementTransaction, type UnsettledEstimate,
} from '../../src/core/records';
import { parseSettings, type Settings, type SettingsInput } from '../../src/core/settings';
import { startOfDay } from '../../src/core/time';

export const LA = 'America/Los_Angeles';

/** Unix seconds of a shop-local wall-clock time "YYYY-MM-DD" + seconds after midnight. */
export function at(day: string, secondsAfterMidnight = 12 * 3600, tz = LA): number {
  return startOfDay(day, tz) + secondsAfterMidnight;
}

export function settings(over: Partial<SettingsInput> = {}): Settings {
  return parseSettings({ currency: 'USD', timezone: LA, ...over });
}

export function order(orderId: string, over: Partial<Order> = {}): Order {
  const t = over.createTime ?? at('2026-10-05');
  return {
    orderId, buyerId: `buyer-${orderId}`, status: 'COMPLETED', currency: 'USD',
    createTime: t, updateTime: t, paidTime: t, cancelTime: null, deliveryTime: null,
    fulfillmentType: 'FULFILLMENT_BY_SELLER', isSample: false, sampleCreator: null,
    originalShippingFee: 0, shippingSellerDiscount: 0, shippingPlatformDiscount: 0, shippingFee: 0,
    tax: 0, totalAmount: 0, ...over,
  };
}

export function line(orderId: string, lineId: string, over: Partial<OrderLine> = {}): OrderLine {
  const originalPrice = over.originalPrice ?? 1000;
  const sellerDiscount = over.sellerDiscount ?? 0;
  const platformDiscount = over.platformDiscount ?? 0;
  return {
    lineId, orderId, skuId: 'sku-1', productId: 'prod-1', sellerSku: 'SKU-A', productName: 'Product', skuName: 'Default',
    currency: 'USD', quantity: 1, originalPrice, sellerDiscount, platformDiscount,
    salePrice: originalPrice - sellerDiscount - platformDiscount, cancelled: false, ...over,
  };
}

export function orderTx(orderId: string, statementTime: number, over: Partial<StatementTransaction> = {}): StatementTransaction {
  const base: StatementTransaction = {
    transactionId: `st-${statementTime}-${orderId}-${over.type ?? 'ORDER'}`, statementId: `st-${statementTime}`,
    statementTime, currency: 'USD', type: 'ORDER', orderId, adjustmentId: null, skuId: null,
    settlementAmount: 0, revenueAmount: 0, shippingCostAmount: 0, feeTaxAmount: 0, adjustmentAmount: 0,
    subtotalBeforeDiscount: 0, refundSubtotalBeforeDiscount: 0, sellerDiscount: 0, sellerDiscountRefund: 0,
    customerPaidShippingFee: 0, actualShippingFee: 0, fees: {}, reserveAmount: 0, ...over,
  };
  // Keep the documented identities true so the fixture is a well-formed statement line.
  base.revenueAmount = base.subtotalBeforeDiscount + base.refundSubtotalBeforeDiscount + base.sellerDiscount + base.sellerDiscountRefund;
  if (over.feeTaxAmount === undefined) base.feeTaxAmount = Object.values(base.fees).reduce((a, b) => a + (b ?? 0), 0);
  base.settlementAmount = base.revenueAmount + base.shippingCostAmount + base.feeTaxAmount + base.adjustmentAmount;
  return base;
}

export function adjustmentTx(type: StatementTransaction['type'], orderId: string | null, statementTime: number, amount: number): StatementTransaction {
  return orderTx(orderId ?? 'shop', statementTime, {
    type, orderId, adjustmentId: `adj-${type}-${orderId ?? 'shop'}-${statementTime}`,
    transactionId: `adj-${type}-${orderId ?? 'shop'}-${statementTime}`, adjustmentAmount: amount,
  });
}

export function refund(returnId: string, orderId: string, over: Partial<Return> = {}): Return {
  return {
    returnId, orderId, returnType: 'RETURN_AND_REFUND', status: 'RETURN_OR_REFUND_REQUEST_COMPLETE', currency: 'USD',
    createTime: at('2026-10-10'), updateTime: at('2026-10-10'), refundShipping: 0, lines: [], ...over,
  };
}

export function creatorLine(orderId: string, creatorUsername: string, over: Partial<CreatorOrderLine> = {}): CreatorOrderLine {
  return {
    orderId, skuId: 'sku-1', productId: 'prod-1', creatorUsername, contentType: 'VIDEO', contentId: 'v1', status: 'PROCESSING',
    createTime: at('2026-10-05'), currency: 'USD', commissionRateBp: 1500, shopAdsCommissionRateBp: 0, quantity: 1,
    refundedQuantity: 0, returnedQuantity: 0, price: 1000, estimatedCommissionBase: 1000, estimatedCommission: 150,
    estimatedShopAdsCommission: 0, estimatedCofundedBonus: 0, actualCommissionBase: 0, actualCommission: 0,
    actualShopAdsCommission: 0, actualCofundedBonus: 0, ...over,
  };
}

export function estimate(orderId: string, over: Partial<UnsettledEstimate> = {}): UnsettledEstimate {
  return {
    orderId, currency: 'USD', fetchedTime: at('2026-10-06'), estRevenueAmount: 0, estShippingCostAmount: 0,
    estFeeTaxAmount: 0, estAdjustmentAmount: 0, estSettlementAmount: 0, estCustomerPaidShippingFee: 0, fees: {}, ...over,
  };
}

export function ad(date: string, spend: number, over: Partial<AdSpend> = {}): AdSpend {
  return {
    advertiserId: 'adv-1', date, advertiserTimezone: LA, campaignId: 'camp-1', campaignName: 'Campaign', currency: 'USD',
    spend, fundingSource: 'AD_ACCOUNT', productIds: [], creatorUsername: null, ...over,
  };
}

export function cost(sku: string, unitCost: number, effectiveFrom: string, currency = 'USD'): CogsEntry {
  return { sku, unitCost, effectiveFrom, currency };
}

export function shop(parts: Partial<ShopData>): ShopData {
  return { ...emptyShopData(), ...parts };
}
