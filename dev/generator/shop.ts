/**
 * Seeded generator of a realistic TikTok Shop (normalized records) together with the
 * ground-truth margin of every order as of `asOf` (see dev/DEFINITIONS.md).
 *
 * The shop is generated as a timeline (orders, shipping, returns, settlements, ads) and
 * emitted as the snapshot a sync at `asOf` would see: statements with statementTime ≤ asOf,
 * returns in the state they are in at asOf, and so on. Every amount the generator charges
 * is also booked into the order's ground-truth state at the moment it is charged.
 *
 * Time consistency: no random draw depends on `asOf`. Each order draws its whole future from
 * its own stream (seeded by seed and order sequence); ads, shop adjustments, payouts and
 * analytics have their own streams consumed in time order; ids come from the order sequence
 * or the statement day, never from a counter of emitted records. So two snapshots of one
 * seed at asOf1 < asOf2 are one timeline: every order created ≤ asOf1 has the same ids,
 * lines and money in both; at asOf2 statuses, returns, statements and estimates are later
 * states (test/generator/timeline.test.ts). An UNPAID order is one whose payment is still
 * to come (slow payers); it never vanishes, it becomes paid.
 */
import {
  emptyShopData,
  type AffiliateContentType, type Cancellation, type CreatorOrderLine, type FeeField, type FixedCost,
  type Order, type OrderLine, type OrderStatus, type Return, type ReturnStatus, type ReturnType, type ShopData,
  type StatementTransaction, type StatementTransactionType, type UnsettledEstimate,
} from '../../src/core/records';
import { allocateByWeights, divRound, minorUnits, mulDivRound } from '../../src/core/money';
import { addDays, dayKey, startOfDay } from '../../src/core/time';
import { parseSettings, type AllocationMethod, type Settings, type SettingsInput } from '../../src/core/settings';
import { zeroFees, type FeeBasis, type FeeComponents, type OrderMargin, type ShopDay } from '../../src/core/margin-types';
import { Rng, cumulate } from './random';
import { buildTruth, dayRange, type AdPiece, type OrderState } from './truth';

export interface GenerateOptions {
  seed?: number;
  /** 'USD' (default) or 'JPY' (zero minor units); other 2-digit currencies use the USD price table. */
  currency?: string;
  /** Shop timezone; default America/Los_Angeles (Asia/Tokyo for JPY). */
  timezone?: string;
  /** Timezone of the main ad account; default America/New_York (Asia/Tokyo for JPY). */
  advertiserTimezone?: string;
  /** First shop day "YYYY-MM-DD"; default 2025-02-17 (the range crosses the US DST change). */
  startDay?: string;
  /** Number of shop days with orders; default 60. */
  days?: number;
  /** Average paid orders per day; default 200. */
  ordersPerDay?: number;
  /** Buyer pool size; default max(1000, 0.55 × expected orders). */
  buyers?: number;
  /** Number of SKUs; default 40 (at least 8). */
  skus?: number;
  /** Number of creators; default 60 (at least 4). */
  creators?: number;
  allocationMethod?: AllocationMethod;
  /** Snapshot time (Unix seconds); default 6 hours after the end of the last day. */
  asOf?: number;
  /** Overrides of the shop's Settings (merged over the generator's defaults). */
  settings?: Partial<SettingsInput>;
  /** Day indexes (0-based) with no orders at all; default [floor(days × 0.3)] when days ≥ 5. */
  quietDays?: number[];
  /** Emit product/shop analytics records; default true. */
  analytics?: boolean;
  /** Compute the ground truth; default true (turn off for raw-volume benchmarks). */
  truth?: boolean;
  /**
   * Emit quantity-1 lines only (default false): a purchase of q units of a SKU becomes q order
   * lines of one unit each, as the Partner API shows line items (it has no quantity field).
   */
  unitLines?: boolean;
  /**
   * Only the fees a US shop's Seller Center statement has a column for (default false). The
   * default shop exercises every fee field the API documents, including the SEA service-fee
   * programs (SFP, voucher xtra, flash sale, LIVE specials), VAT withheld and the co-funded
   * creator bonus, none of which a US "Order details" sheet can break out. With this on, those
   * draws are still made (the random streams stay aligned) but their amounts are 0, so a round
   * trip through the US export files can be compared with the API path exactly.
   */
  usStatementFees?: boolean;
}

export interface GeneratedShop {
  data: ShopData;
  settings: Settings;
  truth: { orders: OrderMargin[]; days: ShopDay[] };
  asOf: number;
  meta: GeneratorMeta;
}

export interface GeneratorMeta {
  seed: number;
  currency: string;
  timezone: string;
  startDay: string;
  lastDay: string;
  asOf: number;
  orders: number;
  paidOrders: number;
  lines: number;
  statusCounts: Record<string, number>;
  basisCounts: Record<FeeBasis, number>;
  referenceOrders: number;
  samples: number;
  affiliateOrders: number;
  returns: number;
  completedReturns: number;
  refundsBeforeSettlement: number;
  refundsAfterSettlement: number;
  statements: number;
  transactions: number;
  payouts: number;
  unsettledEstimates: number;
  settledWithEstimate: number;
  cancelledCharged: number;
  /** Settled orders with a completed refund whose reversal statement comes after asOf (accrual ≠ cash for them). */
  pendingRefundOrders: string[];
  adSpendRows: number;
  /** The SKU with a COGS change at a shop midnight, the day, and its two orders around it. */
  cogsChange: { sellerSku: string; day: string; orderBefore: string | null; orderAfter: string | null } | null;
  missingCogsSku: string;
  quietDays: string[];
  truthComputed: boolean;
}

const DAY = 86400;
const HOUR = 3600;

interface Profile {
  prices: number[];
  /** Minor units per US cent for small amounts (shipping labels, adjustments). */
  k: number;
  baseShip: number;
  freeShipAt: number;
  taxBps: number[];
  packaging: number;
  pickPack: number;
  referralField: FeeField;
  txField: FeeField;
  txBp: number;
  txShare: number;
  taxField: FeeField;
  refundAdminCap: number;
  rateCardShip: number;
  sfpCap: number;
  aov: number;
  fixed: [string, number][];
  categories: [string, number][];
}

const USD: Profile = {
  prices: [999, 1299, 1499, 1999, 2499, 2999, 3499, 3999, 4999, 5999, 7999],
  k: 1, baseShip: 599, freeShipAt: 3500, taxBps: [0, 600, 725, 825, 950, 1025],
  packaging: 35, pickPack: 50, referralField: 'referral_fee_amount', txField: 'transaction_fee_amount', txBp: 100, txShare: 1,
  taxField: 'vat_amount', refundAdminCap: 500, rateCardShip: 550, sfpCap: 2000, aov: 4200,
  fixed: [['Warehouse rent', 250000], ['Software subscriptions', 34900], ['Virtual assistant', 120000]],
  categories: [['Beauty & Personal Care', 600], ['Womenswear & Underwear', 600], ['Home Supplies', 600], ['Phones & Electronics', 800], ['Sports & Outdoor', 600], ['Kitchenware', 600], ['Pet Supplies', 600]],
};
const JPY: Profile = {
  prices: [980, 1280, 1480, 1980, 2480, 2980, 3480, 3980, 4980, 5980, 7980, 9800, 12800],
  k: 1.5, baseShip: 550, freeShipAt: 3980, taxBps: [0],
  packaging: 40, pickPack: 60, referralField: 'platform_commission_amount', txField: 'credit_card_handling_fee_amount', txBp: 250, txShare: 0.7,
  taxField: 'local_vat_amount', refundAdminCap: 750, rateCardShip: 600, sfpCap: 3000, aov: 5200,
  fixed: [['Warehouse rent', 380000], ['Software subscriptions', 52000], ['Part-time staff', 180000]],
  categories: [['Beauty & Personal Care', 800], ['Womenswear', 800], ['Home Supplies', 800], ['Electronics', 1000], ['Sports & Outdoor', 800], ['Kitchenware', 800], ['Pet Supplies', 800]],
};

const ADJ = ['Hydrating', 'Everyday', 'Cloud', 'Pro', 'Mini', 'Ultra', 'Classic', 'Eco', 'Silk', 'Glow', 'Smart', 'Cozy'];
const NOUN = ['Serum', 'Leggings', 'Organizer', 'Earbuds', 'Yoga Mat', 'Knife Set', 'Pet Brush', 'Lip Tint', 'Hoodie', 'Lamp', 'Bottle', 'Blanket'];
const VARIANT = ['Black', 'White', 'Rose', 'S', 'M', 'L', '30ml', '50ml', 'Sage', 'Navy'];
const HANDLE_A = ['glow', 'daily', 'thrift', 'fit', 'cozy', 'beauty', 'tech', 'mom', 'lux', 'plant', 'chef', 'style', 'deal', 'vibe', 'skin', 'home'];
const HANDLE_B = ['withmia', 'byjay', 'queen', 'finds', 'lab', 'diary', 'talks', 'hub', 'picks', 'nest'];
const HOUR_WEIGHTS = [3, 2, 1, 1, 1, 1, 2, 3, 4, 5, 5, 6, 7, 6, 6, 6, 7, 8, 10, 12, 13, 12, 9, 5];
const CONTENT: AffiliateContentType[] = ['VIDEO', 'LIVE', 'SHOP', 'LINKSHARE', 'PROMOTION_PAGE', 'PRE_LIVE'];
const CONTENT_W = cumulate([55, 25, 10, 5, 3, 2]);
const LINES_W = cumulate([70, 20, 7, 3]);

interface Sku {
  skuId: string;
  productId: string;
  productIdx: number;
  sellerSku: string;
  productName: string;
  skuName: string;
  category: string;
  referralBp: number;
  price: number;
  /** COGS in effect: ascending effectiveFrom; empty = no COGS entry. */
  costs: { from: string; cost: number }[];
  /** What missingCogsSkus lists: sellerSku, or skuId when the seller SKU is empty. */
  key: string;
}

interface Creator {
  username: string;
  buyerId: string;
  rateBp: number;
  adsRateBp: number;
  bonusBp: number;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const nextUtcMidnight = (t: number) => (Math.floor(t / DAY) + 1) * DAY;

function costOn(sku: Sku, day: string): number {
  let c = -1;
  for (const e of sku.costs) if (e.from <= day) c = e.cost;
  return c;
}

// Scratch per order (at most 4 SKUs × 3 units when unitLines).
const MAXL = 12;
const lNet = new Array<number>(MAXL);
const lBp = new Array<number>(MAXL);
const lCre = new Array<number>(MAXL);
const lCost = new Array<number>(MAXL);
const lPre = new Array<number>(MAXL);
const lAff = new Array<number>(MAXL);
const lAffBase = new Array<number>(MAXL);
const lAds = new Array<number>(MAXL);
const lBonus = new Array<number>(MAXL);
const lRetQty = new Array<number>(MAXL);
const lRefQty = new Array<number>(MAXL);
const lRefundNet = new Array<number>(MAXL);

export function generateShop(options: GenerateOptions = {}): GeneratedShop {
  const seed = options.seed ?? 1;
  const currency = options.currency ?? 'USD';
  const digits = minorUnits(currency);
  const P = digits === 0 ? JPY : USD;
  const tz = options.timezone ?? (currency === 'JPY' ? 'Asia/Tokyo' : 'America/Los_Angeles');
  const advTzA = options.advertiserTimezone ?? (currency === 'JPY' ? 'Asia/Tokyo' : 'America/New_York');
  const advTzB = currency === 'JPY' ? 'Etc/UTC' : tz;
  const startDay = options.startDay ?? '2025-02-17';
  const nDays = Math.max(1, options.days ?? 60);
  const opd = options.ordersPerDay ?? 200;
  const lastDay = addDays(startDay, nDays - 1);
  const endTime = startOfDay(addDays(lastDay, 1), tz);
  const asOf = options.asOf ?? endTime + 6 * HOUR;
  const withTruth = options.truth ?? true;
  const withAnalytics = options.analytics ?? true;
  const unitLines = options.unitLines ?? false;
  // Draw first, then gate: the draw sequence must not depend on this option.
  const nonUs = (drawn: boolean): boolean => drawn && !options.usStatementFees;
  const nonUsAmount = (drawn: number): number => (options.usStatementFees ? 0 : drawn);
  const rng = new Rng(seed);
  // Streams consumed in time order, independently of asOf (see the header).
  const rngAnalytics = new Rng(`${seed}/analytics`);
  const rngAds = new Rng(`${seed}/ads`);
  const rngShopAdj = new Rng(`${seed}/shop-adjustments`);
  const rngPayouts = new Rng(`${seed}/payouts`);
  const amt = (cents: number) => Math.round(cents * P.k);

  const settings = parseSettings({
    currency,
    timezone: tz,
    allocationMethod: options.allocationMethod ?? 'by_day',
    packagingCostPerOrder: P.packaging,
    pickPackCostPerOrder: P.pickPack,
    restockShareReturnBp: 9000,
    rateCard: {
      referralFeeBp: P.categories[0][1], transactionFeeBp: 0, serviceFeeBp: 0, refundAdminShareBp: 2000,
      refundAdminCapPerSku: P.refundAdminCap, shippingCostPerOrder: P.rateCardShip,
    },
    ...options.settings,
  });

  const data = emptyShopData();
  const states: OrderState[] = [];
  const txByTime = new Map<number, StatementTransaction[]>();
  const stmtId = (t: number) => `73${pad(t / DAY, 8)}`;
  const pushTx = (t: StatementTransaction) => {
    let list = txByTime.get(t.statementTime);
    if (!list) txByTime.set(t.statementTime, (list = []));
    list.push(t);
  };

  // ------------------------------------------------------------ catalogue
  const nSku = Math.max(8, options.skus ?? 40);
  const skus: Sku[] = [];
  const productIds: string[] = [];
  const productFirstCreate: number[] = [];
  const catalogueTime = startOfDay(addDays(startDay, -200), tz);
  {
    let productIdx = -1;
    let left = 0;
    for (let i = 0; i < nSku; i++) {
      if (left === 0) {
        productIdx++;
        left = rng.int(1, 3);
        productIds.push(`1731${pad(9000000 + productIdx * 37, 15)}`);
        productFirstCreate.push(catalogueTime + rng.int(0, 100 * DAY));
      }
      left--;
      const [category, referralBp] = P.categories[productIdx % P.categories.length];
      const price = P.prices[rng.int(0, P.prices.length - 1)];
      const skuId = `1732${pad(5000000 + i * 53, 15)}`;
      const sellerSku = i === 3 ? '' : `TS-${pad(i + 1, 4)}`;
      skus.push({
        skuId, productId: productIds[productIdx], productIdx, sellerSku,
        productName: `${ADJ[productIdx % ADJ.length]} ${NOUN[(productIdx * 7) % NOUN.length]}`,
        skuName: VARIANT[i % VARIANT.length], category, referralBp, price, costs: [],
        key: sellerSku === '' ? skuId : sellerSku,
      });
    }
  }
  // COGS: every SKU but #5 has a cost from long before the range; #0 changes at a shop midnight mid-range.
  const missingSku = skus[5];
  const changeDayIdx = Math.floor(nDays / 2);
  const changeDay = addDays(startDay, changeDayIdx);
  for (let i = 0; i < skus.length; i++) {
    const s = skus[i];
    if (s === missingSku) continue;
    const cost = mulDivRound(s.price, rng.int(22, 40), 100);
    s.costs.push({ from: addDays(startDay, -120), cost });
    if (i === 0) s.costs.push({ from: changeDay, cost: mulDivRound(cost, 108, 100) });
    else if (nDays > 2 && rng.chance(0.2)) s.costs.push({ from: addDays(startDay, rng.int(1, nDays - 1)), cost: mulDivRound(cost, rng.int(90, 115), 100) });
    if (i === 4) s.costs.push({ from: addDays(lastDay, 10), cost: mulDivRound(cost, 120, 100) });
    for (const e of s.costs) data.cogs.push({ sku: s.sellerSku === '' ? s.skuId : s.sellerSku, currency, unitCost: e.cost, effectiveFrom: e.from });
  }
  const skuW = cumulate(skus.map((_, i) => 1 / Math.pow(i + 1, 0.8)));
  for (const s of skus) {
    data.products.push({
      productId: s.productId, skuId: s.skuId, sellerSku: s.sellerSku, productName: s.productName, skuName: s.skuName,
      status: 'ACTIVATE', category: s.category, currency, price: s.price,
      createTime: productFirstCreate[s.productIdx], updateTime: productFirstCreate[s.productIdx] + rng.int(0, 60 * DAY),
    });
  }

  // ------------------------------------------------------------ creators and buyers
  const nCreators = Math.max(4, options.creators ?? 60);
  const creators: Creator[] = [];
  for (let i = 0; i < nCreators; i++) {
    const a = HANDLE_A[i % HANDLE_A.length];
    const b = HANDLE_B[Math.floor(i / HANDLE_A.length) % HANDLE_B.length];
    const n = i >= HANDLE_A.length * HANDLE_B.length ? String(i) : '';
    creators.push({
      username: `${a}${b}${n}`,
      buyerId: `7495${pad(300000 + i * 11, 12)}`,
      rateBp: rng.int(20, 40) * 50,
      adsRateBp: rng.chance(0.4) ? rng.int(3, 8) * 100 : 0,
      bonusBp: nonUsAmount(rng.chance(0.2) ? rng.int(2, 6) * 100 : 0),
    });
  }
  const creatorW = cumulate(creators.map((_, i) => 1 / Math.pow(i + 1, 1.1)));
  const expectedOrders = opd * nDays;
  const nBuyers = Math.max(1000, options.buyers ?? Math.round(expectedOrders * 0.55));
  const loyal = Math.max(20, Math.floor(nBuyers * 0.08));
  const buyerId = (i: number) => `7494${pad(100000000 + i * 7, 12)}`;

  // ------------------------------------------------------------ meta counters
  const statusCounts: Record<string, number> = {};
  let samples = 0, affiliateOrders = 0, returnsCount = 0, completedReturns = 0, refundsBefore = 0, refundsAfter = 0;
  let settledWithEstimate = 0, cancelledCharged = 0, lineCount = 0;
  const pendingRefundOrders: string[] = [];
  let orderBefore: string | null = null;
  let orderAfter: string | null = null;

  const quiet = new Set(options.quietDays ?? (nDays >= 5 ? [Math.floor(nDays * 0.3)] : []));
  const hourW = cumulate(HOUR_WEIGHTS);
  let orderSeq = 0;
  let lineSeq = 0;

  // Analytics accumulators per day.
  const nProducts = productIds.length;
  const pUnits = new Array<number>(nProducts).fill(0);
  const pGmv = new Array<number>(nProducts).fill(0);

  for (let di = 0; di < nDays; di++) {
    const day = addDays(startDay, di);
    const dayStart = startOfDay(day, tz);
    const dayEnd = startOfDay(addDays(day, 1), tz);
    const dayLen = dayEnd - dayStart;
    const times: number[] = [];
    if (!quiet.has(di)) {
      const dow = (new Date(dayStart * 1000 + 12 * HOUR * 1000)).getUTCDay();
      const f = (dow === 0 || dow === 6 ? 1.15 : 1) * (1 + (0.2 * di) / nDays) * rng.range(0.85, 1.15);
      const n = Math.max(0, Math.round(opd * f));
      for (let j = 0; j < n; j++) {
        const h = rng.weightedIndex(hourW);
        times.push(dayStart + Math.floor(((h + rng.next()) / 24) * dayLen));
      }
    }
    // COGS change at a shop midnight: one order 30 s before it, one 30 s after.
    let forcedTime = -1;
    if (nDays > 1 && di === changeDayIdx - 1 && !quiet.has(di)) times.push((forcedTime = dayEnd - 30));
    if (nDays > 1 && di === changeDayIdx && !quiet.has(di)) times.push((forcedTime = dayStart + 30));
    times.sort((a, b) => a - b);
    pUnits.fill(0);
    pGmv.fill(0);
    let dayOrders = 0;
    const dayBuyers = new Set<string>();
    let dayGmv = 0;

    for (let ti = 0; ti < times.length; ti++) {
      const t = times[ti];
      if (t > asOf) continue;
      const forced = t === forcedTime && (ti === 0 || times[ti - 1] !== t) ? 0 : -1;
      if (forced === 0) forcedTime = -2;
      orderSeq++;
      const orderId = `5769${pad(orderSeq, 14)}`;
      // The order's own stream: every draw below is made whatever asOf is (see the header).
      const rng = new Rng(`${seed}/order/${orderSeq}`);
      const sample = forced < 0 && rng.chance(0.015);
      const sampleCreatorIdx = sample ? rng.weightedIndex(creatorW) : -1;
      const buyer = sample ? creators[sampleCreatorIdx].buyerId : rng.chance(0.3) ? buyerId(rng.int(0, loyal - 1)) : buyerId(rng.int(0, nBuyers - 1));
      const slowPay = !sample && forced < 0 && rng.chance(0.07);
      const cancelEver = !sample && forced < 0 && rng.chance(0.04);

      // ---- lines: SKU groups of q units (one line of q, or q unit lines)
      const nGroups = forced >= 0 || sample ? 1 : 1 + rng.weightedIndex(LINES_W);
      const lineStart = data.lines.length;
      const chosen: number[] = [];
      if (forced >= 0) chosen.push(0);
      while (chosen.length < nGroups) {
        const k = rng.weightedIndex(skuW);
        if (!chosen.includes(k)) chosen.push(k);
      }
      const sellerPromo = !sample && rng.chance(0.25) ? rng.pick([10, 15, 20, 25]) : 0;
      const platformPromo = !sample && rng.chance(0.2) ? rng.int(5, 15) : 0;
      const affiliate = !sample && rng.chance(0.35);
      const creatorIdx = affiliate ? rng.weightedIndex(creatorW) : -1;
      const secondCreator = affiliate && nGroups > 1 && rng.chance(0.1) ? (creatorIdx + 1 + rng.int(0, nCreators - 2)) % nCreators : -1;
      const shopAds = affiliate && creators[creatorIdx].adsRateBp > 0 && rng.chance(0.3);
      const contentType = affiliate ? CONTENT[rng.weightedIndex(CONTENT_W)] : null;
      const lineSku: number[] = [];
      let subtotalAll = 0;
      for (let g = 0; g < nGroups; g++) {
        const sku = skus[chosen[g]];
        const qty = sample ? 1 : rng.chance(0.92) ? 1 : rng.int(2, 3);
        const parts = unitLines ? qty : 1;
        for (let u = 0; u < parts; u++) {
          const li = lineSku.length;
          const q = unitLines ? 1 : qty;
          const original = sample ? 0 : sku.price * q;
          const sd = sellerPromo ? mulDivRound(original, sellerPromo, 100) : 0;
          const pd = platformPromo && rng.chance(0.8) ? mulDivRound(original, platformPromo, 100) : 0;
          subtotalAll += original - sd - pd;
          lineSeq++;
          data.lines.push({
            lineId: `5770${pad(lineSeq, 14)}`, orderId, skuId: sku.skuId, productId: sku.productId, sellerSku: sku.sellerSku,
            productName: sku.productName, skuName: sku.skuName, currency, quantity: q, originalPrice: original,
            sellerDiscount: sd, platformDiscount: pd, salePrice: original - sd - pd, cancelled: false,
          });
          lineSku.push(chosen[g]);
          lNet[li] = original - sd;
          lBp[li] = sku.referralBp;
          lCre[li] = affiliate ? (secondCreator >= 0 && g > 0 ? secondCreator : creatorIdx) : -1;
          lCost[li] = costOn(sku, day);
          lPre[li] = 0; lAff[li] = 0; lAds[li] = 0; lBonus[li] = 0; lAffBase[li] = 0;
          lRetQty[li] = 0; lRefQty[li] = 0; lRefundNet[li] = 0;
        }
      }
      const nLines = lineSku.length;
      const cancelLineIdx = !cancelEver && nLines > 1 && rng.chance(0.04) ? rng.int(0, nLines - 1) : -1;
      const lineEnd = data.lines.length;
      lineCount += nLines;

      // ---- shipping, tax, totals
      let originalShippingFee = 0, shipSellerDisc = 0, shipPlatDisc = 0;
      if (!sample) {
        originalShippingFee = P.baseShip;
        if (subtotalAll >= P.freeShipAt) {
          if (rng.chance(0.5)) shipPlatDisc = P.baseShip;
          else shipSellerDisc = P.baseShip;
        } else if (rng.chance(0.1)) shipSellerDisc = mulDivRound(P.baseShip, 50, 100);
      }
      const shippingFee = originalShippingFee - shipSellerDisc - shipPlatDisc;
      const tax = sample ? 0 : mulDivRound(subtotalAll + shippingFee, rng.pick(P.taxBps), 10000);
      const totalAmount = subtotalAll + shippingFee + tax;

      // ---- lifecycle (the whole timeline; asOf only selects the state)
      const paidAt = t + (sample ? 5 : slowPay ? rng.int(HOUR, 30 * HOUR) : rng.int(10, 1800));
      const unpaid = paidAt > asOf;
      const paid = unpaid ? null : paidAt;
      const fbt = rng.chance(0.2);
      const hold = rng.chance(0.03) ? rng.int(6 * HOUR, 48 * HOUR) : HOUR;
      const p0 = paidAt;
      const rts = p0 + hold + rng.int(2 * HOUR, 48 * HOUR);
      const collect1 = rts + rng.int(HOUR, 18 * HOUR);
      const partial = nLines > 1 && rng.chance(0.25);
      const collect2 = partial ? collect1 + rng.int(12 * HOUR, 48 * HOUR) : collect1;
      const delivery = collect2 + rng.int(DAY, 5 * DAY);
      const complete = delivery + rng.int(3 * DAY, 10 * DAY);
      const cancelAt = cancelEver ? p0 + 60 + Math.floor(rng.next() * (rts - p0 - 60)) : Infinity;
      const cancelled = cancelAt <= asOf;
      const lineCancelAt = cancelLineIdx >= 0 ? p0 + 120 + Math.floor(rng.next() * (rts - p0 - 120)) : Infinity;
      const settleStmt = cancelEver ? nextUtcMidnight(cancelAt + rng.int(2 * DAY, 6 * DAY)) : nextUtcMidnight(delivery + rng.int(7 * DAY, 15 * DAY));
      const cancelCharged = cancelEver && rng.chance(0.3);
      const willSettle = !cancelEver || cancelCharged;
      const settled = willSettle && settleStmt <= asOf;
      const label = fbt ? amt(rng.int(300, 700)) + amt(60) * nLines : rng.chance(0.85) ? amt(rng.int(450, 950)) : 0;
      const cancelRole = rng.pick(['BUYER', 'BUYER', 'SELLER', 'SYSTEM'] as const);
      const cancelReason = rng.pick(['No longer needed', 'Out of stock', 'Payment issue', 'Ordered by mistake']);

      let status: OrderStatus;
      let updateTime = t;
      const upd = (x: number) => { if (x <= asOf && x > updateTime) updateTime = x; };
      if (unpaid) status = 'UNPAID';
      else if (cancelled) { status = 'CANCELLED'; upd(paid!); upd(cancelAt); }
      else {
        upd(paid!);
        for (const x of [p0 + hold, rts, collect1, collect2, delivery, complete]) upd(x);
        status = asOf < p0 + hold ? 'ON_HOLD' : asOf < rts ? 'AWAITING_SHIPMENT' : asOf < collect1 ? 'AWAITING_COLLECTION'
          : asOf < collect2 ? 'PARTIALLY_SHIPPING' : asOf < delivery ? 'IN_TRANSIT' : asOf < complete ? 'DELIVERED' : 'COMPLETED';
      }
      statusCounts[status] = (statusCounts[status] ?? 0) + 1;
      if (cancelled) for (let k = lineStart; k < lineEnd; k++) data.lines[k].cancelled = true;
      if (!cancelled && lineCancelAt <= asOf) data.lines[lineStart + cancelLineIdx].cancelled = true;
      if (lineCancelAt <= asOf && !cancelled) upd(lineCancelAt);

      // Draws of the rest of the timeline, made up front so that none depends on asOf.
      const doReturn = !cancelEver && !sample && rng.chance(0.09);
      const sfp = nonUs(!sample && rng.chance(0.15));
      const vxDraw = rng.chance(0.5);
      const flash = nonUs(rng.chance(0.03));
      const liveSpecial = nonUs(contentType === 'LIVE' && rng.chance(0.5));
      const chargeTx = rng.chance(P.txShare);
      const partnerBp = affiliate && rng.chance(0.1) ? 200 : 0;
      const taxWithheld = nonUsAmount(rng.chance(0.02) ? amt(rng.int(10, 300)) : 0);
      const remainder = rng.chance(0.03) ? amt(rng.int(1, 40)) : 0;
      const orderAdj = rng.chance(0.005) ? amt(rng.int(50, 300)) : 0;
      const sampleFee = amt(rng.int(450, 950));
      const cancelShip = rng.chance(0.5);
      const refundStmtDelay = rng.int(0, 2 * DAY);
      const aShip = rng.chance(0.02), aShipV = amt(rng.int(100, 400)), aShipD = rng.int(0, 10);
      const aLog = rng.chance(0.006), aLogD = rng.int(0, 20);
      const aCb = rng.chance(0.004), aCbD = rng.int(0, 20);
      const aPr = rng.chance(0.003), aPrV = amt(rng.int(100, 1500)), aPrD = rng.int(0, 15);
      const aFbt = fbt && rng.chance(0.05), aFbtV = amt(rng.int(20, 120)), aFbtD = rng.int(0, 5);
      const aCo = rng.chance(0.3), aCoV = amt(rng.int(50, 500)), aCoD = rng.int(0, 10);
      // TikTok estimate revisions: the first a few hours after payment, sometimes a second one.
      const estRevisions: number[] = [];
      if (!cancelEver && !sample && rng.chance(0.88)) {
        const r1 = p0 + rng.int(2 * HOUR, 8 * HOUR);
        estRevisions.push(r1);
        if (rng.chance(0.3)) estRevisions.push(r1 + rng.int(12 * HOUR, 3 * DAY));
      }
      const keepEstimateAfterSettlement = rng.chance(0.25);
      const estDraws = estRevisions.map(() => ({ ship: rng.int(-80, 80), rem: rng.chance(0.1) ? amt(rng.int(1, 20)) : 0, tax: rng.chance(0.02) ? amt(rng.int(10, 200)) : 0 }));

      const order: Order = {
        orderId, buyerId: buyer, status, currency, createTime: t, updateTime, paidTime: paid,
        cancelTime: cancelled ? cancelAt : null, deliveryTime: !cancelEver && !unpaid && delivery <= asOf ? delivery : null,
        fulfillmentType: fbt ? 'FULFILLMENT_BY_TIKTOK' : 'FULFILLMENT_BY_SELLER', isSample: sample,
        sampleCreator: sample ? creators[sampleCreatorIdx].username : null, originalShippingFee,
        shippingSellerDiscount: shipSellerDisc, shippingPlatformDiscount: shipPlatDisc, shippingFee, tax, totalAmount,
      };
      data.orders.push(order);
      if (forced >= 0) { if (t < startOfDay(changeDay, tz)) orderBefore = orderId; else orderAfter = orderId; }
      if (unpaid) {
        // Still unpaid at asOf: a record the engine ignores; no creator lines, no money.
        continue;
      }
      if (sample) samples++;

      // ---- cancellations
      const cancelId = `5771${pad(orderSeq, 14)}`;
      if (cancelled) {
        data.cancellations.push({
          cancelId, orderId, cancelType: 'CANCEL', status: 'CANCELLATION_REQUEST_COMPLETE',
          role: cancelRole, reason: cancelReason,
          currency, createTime: cancelAt - 60, updateTime: cancelAt, refundTotal: totalAmount,
          lineIds: data.lines.slice(lineStart, lineEnd).map((l) => l.lineId),
        });
      } else if (lineCancelAt <= asOf) {
        const l = data.lines[lineStart + cancelLineIdx];
        data.cancellations.push({
          cancelId, orderId, cancelType: 'CANCEL', status: 'CANCELLATION_REQUEST_COMPLETE',
          role: 'SELLER', reason: 'Out of stock', currency, createTime: lineCancelAt - 60, updateTime: lineCancelAt,
          refundTotal: l.salePrice, lineIds: [l.lineId],
        });
      }

      // ---- accrual figures
      let units = 0, gross = 0, cancelledSales = 0, sdSum = 0, pdSum = 0, productRevenue = 0, cogsGross = 0;
      let missing: string[] = [];
      for (let li = 0; li < nLines; li++) {
        const l = data.lines[lineStart + li];
        gross += l.originalPrice;
        if (l.cancelled) { cancelledSales += l.originalPrice; continue; }
        units += l.quantity;
        sdSum += l.sellerDiscount;
        pdSum += l.platformDiscount;
        productRevenue += l.originalPrice - l.sellerDiscount;
        if (lCost[li] >= 0) cogsGross += l.quantity * lCost[li];
        else if (!missing.includes(skus[lineSku[li]].key)) missing.push(skus[lineSku[li]].key);
        if (!sample) {
          pUnits[skus[lineSku[li]].productIdx] += l.quantity;
          pGmv[skus[lineSku[li]].productIdx] += l.originalPrice - l.sellerDiscount;
        }
      }
      missing = missing.sort();
      if (!cancelled && !sample) {
        dayOrders++;
        dayBuyers.add(buyer);
        dayGmv += productRevenue;
      }

      const st: OrderState = {
        orderId, buyerId: buyer, day, createTime: t, status, currency, sample,
        sampleCreator: order.sampleCreator, cancelled, lineStart, lineEnd, units, grossSales: gross, cancelledSales,
        sellerDiscount: sdSum, platformDiscount: pdSum, productRevenue, refunds: 0, refundShipping: 0, shippingFee,
        cogsGross, restockCredit: 0, missingCogsSkus: missing, refundLines: null,
        settled: null, settlementTime: null, sampleShipping: 0, est: null, estAffiliate: 0, estAds: 0, estBonus: 0, creator: null,
      };
      states.push(st);

      // ---- return (at most one per order)
      let retPre = false;
      let retPost = false;
      let retOrig = 0, retSd = 0, retShip = 0, retLabel = 0, olRefund = 0, retDone = -1;
      const retLines: number[] = [];
      let retType: ReturnType = 'REFUND';
      const returnId = `5772${pad(orderSeq, 14)}`;
      if (doReturn) {
        const req = delivery + rng.int(HOUR, 12 * DAY);
        const kind = rng.next();
        const outcome = rng.next();
        // Lines alive at the return (line cancellations happen before shipping).
        const live: number[] = [];
        for (let li = 0; li < nLines; li++) if (li !== cancelLineIdx) live.push(li);
        const rlines: Return['lines'] = [];
        let full = false;
        if (kind < 0.40) {
          retType = 'REFUND';
          const pct = rng.int(15, 50);
          if (rng.chance(0.25)) {
            let liveRevenue = 0;
            for (const li of live) liveRevenue += data.lines[lineStart + li].originalPrice - data.lines[lineStart + li].sellerDiscount;
            olRefund = mulDivRound(liveRevenue, pct, 100);
            rlines.push({ lineId: null, skuId: '', quantity: 0, refundedOriginal: olRefund, refundedSellerDiscount: 0 });
          } else {
            const li = rng.pick(live);
            const l = data.lines[lineStart + li];
            rlines.push({ lineId: l.lineId, skuId: l.skuId, quantity: 0, refundedOriginal: mulDivRound(l.originalPrice, pct, 100), refundedSellerDiscount: mulDivRound(l.sellerDiscount, pct, 100) });
            retLines.push(li);
          }
        } else if (kind < 0.55) {
          retType = 'REFUND';
          full = true;
          for (const li of live) {
            const l = data.lines[lineStart + li];
            rlines.push({ lineId: l.lineId, skuId: l.skuId, quantity: 0, refundedOriginal: l.originalPrice, refundedSellerDiscount: l.sellerDiscount });
            retLines.push(li);
          }
          retShip = shippingFee;
        } else if (kind < 0.92) {
          retType = 'RETURN_AND_REFUND';
          const all = rng.chance(0.3);
          const pickLines = all ? live : [rng.pick(live)];
          for (const li of pickLines) {
            const l = data.lines[lineStart + li];
            const q = all ? l.quantity : rng.int(1, l.quantity);
            rlines.push({ lineId: l.lineId, skuId: l.skuId, quantity: q, refundedOriginal: mulDivRound(l.originalPrice, q, l.quantity), refundedSellerDiscount: mulDivRound(l.sellerDiscount, q, l.quantity) });
            retLines.push(li);
          }
          full = all;
          if (all && rng.chance(0.5)) retShip = shippingFee;
          if (rng.chance(0.6)) retLabel = amt(rng.int(400, 800));
        } else {
          retType = 'REPLACEMENT';
          const li = rng.pick(live);
          const l = data.lines[lineStart + li];
          rlines.push({ lineId: l.lineId, skuId: l.skuId, quantity: 1, refundedOriginal: 0, refundedSellerDiscount: 0 });
          retLines.push(li);
        }
        // Timeline and status at asOf.
        let statusAt: ReturnStatus;
        let upd2 = req;
        if (outcome < 0.80) {
          let doneAt: number;
          let mid: number;
          if (retType === 'RETURN_AND_REFUND') { mid = req + rng.int(6 * HOUR, 4 * DAY); doneAt = mid + rng.int(DAY, 5 * DAY); }
          else if (retType === 'REFUND') { mid = req + rng.int(HOUR, 2 * DAY); doneAt = mid + rng.int(HOUR, DAY); }
          else { mid = req + rng.int(DAY, 3 * DAY); doneAt = mid + rng.int(DAY, 5 * DAY); }
          if (doneAt <= asOf) { statusAt = 'RETURN_OR_REFUND_REQUEST_COMPLETE'; upd2 = doneAt; retDone = doneAt; }
          else if (mid <= asOf) { statusAt = retType === 'REFUND' ? 'RETURN_OR_REFUND_REQUEST_SUCCESS' : 'BUYER_SHIPPED_ITEM'; upd2 = mid; }
          else statusAt = retType === 'REFUND' ? 'RETURN_OR_REFUND_REQUEST_PENDING' : 'AWAITING_BUYER_SHIP';
        } else if (outcome < 0.88) {
          const at = req + rng.int(DAY, 3 * DAY);
          const rejectReceive = retType === 'RETURN_AND_REFUND' && rng.chance(0.5);
          statusAt = at <= asOf ? (rejectReceive ? 'REJECT_RECEIVE_PACKAGE' : 'REFUND_OR_RETURN_REQUEST_REJECT') : 'RETURN_OR_REFUND_REQUEST_PENDING';
          if (at <= asOf) upd2 = at;
        } else if (outcome < 0.95) {
          const at = req + rng.int(HOUR, 2 * DAY);
          statusAt = at <= asOf ? 'RETURN_OR_REFUND_REQUEST_CANCEL' : 'RETURN_OR_REFUND_REQUEST_PENDING';
          if (at <= asOf) upd2 = at;
        } else {
          statusAt = 'AWAITING_BUYER_RESPONSE';
        }
        if (req <= asOf) {
          returnsCount++;
          data.returns.push({
            returnId, orderId, returnType: retType, status: statusAt, currency, createTime: req, updateTime: upd2,
            refundShipping: retType === 'REPLACEMENT' ? 0 : retShip, lines: rlines,
          });
          upd(req);
          if (retDone > 0) {
            completedReturns++;
            upd(retDone);
            // Accrual: refunds and restock.
            const shareBp = retType === 'RETURN_AND_REFUND' ? settings.restockShareReturnBp : retType === 'REFUND' ? settings.restockShareRefundOnlyBp : 0;
            st.refundLines = [];
            for (let r = 0; r < rlines.length; r++) {
              const rl = rlines[r];
              const lineRefund = rl.refundedOriginal - rl.refundedSellerDiscount;
              st.refunds += lineRefund;
              st.refundLines.push(lineRefund);
              retOrig += rl.refundedOriginal;
              retSd += rl.refundedSellerDiscount;
              if (rl.lineId !== null) {
                const li = retLines[r];
                lRefundNet[li] = lineRefund;
                if (retType === 'RETURN_AND_REFUND') lRetQty[li] = rl.quantity;
                else if (retType === 'REFUND') lRefQty[li] = full ? data.lines[lineStart + li].quantity : 0;
                if (lCost[li] >= 0) st.restockCredit += mulDivRound(rl.quantity * lCost[li], shareBp, 10000);
              }
            }
            st.refundShipping = retType === 'REPLACEMENT' ? 0 : retShip;
            if (retType !== 'REPLACEMENT') {
              if (retDone < settleStmt) retPre = true;
              else retPost = true;
            }
          }
          // Ids for the refund transaction below.
          (st as { returnId?: string }).returnId = returnId;
        }
        if (retType === 'REPLACEMENT') retLabel = 0;
      }
      if (!retPre && !retPost) retLabel = 0; // the return label is charged only with a completed refund

      // ---- settlement: the order's first ORDER transaction
      const voucherXtra = nonUs(pdSum > 0 && vxDraw);
      const settled0 = settled ? zeroFees() : null;
      if (settled && settled0) {
        st.settled = settled0;
        st.settlementTime = settleStmt;
        const sid = stmtId(settleStmt);
        if (sample) {
          // Zero-value ORDER line plus the sample shipping fee.
          pushTx(orderTx(sid, settleStmt, currency, orderId, `${sid}-ORDER-${orderId}`, 0, 0, 0, 0, 0, 0, 0, {}, 0, 0));
          const fee = sampleFee;
          pushTx(adjTx(sid, settleStmt, currency, 'SAMPLE_SHIPPING_FEE', orderId, `ADJ${pad(orderSeq, 10)}0`, -fee));
          st.sampleShipping += fee;
        } else if (cancelled) {
          cancelledCharged++;
          const txFee = mulDivRound(totalAmount, P.txBp, 10000);
          const ship = cancelShip ? label : 0;
          const fees: Partial<Record<FeeField, number>> = { [P.txField]: -txFee };
          pushTx(orderTx(sid, settleStmt, currency, orderId, `${sid}-ORDER-${orderId}`, 0, 0, 0, 0, 0, ship, ship, fees, 0, 0));
          settled0.transactionFee += txFee;
          settled0.shippingCost += ship;
        } else {
          // Live order: revenue net of refunds completed before settlement.
          let subtotal = 0, sdisc = 0;
          let referral = 0, aff = 0, ads = 0, bonus = 0, affBase = 0;
          for (let li = 0; li < nLines; li++) {
            const l = data.lines[lineStart + li];
            if (l.cancelled) continue;
            subtotal += l.originalPrice;
            sdisc += l.sellerDiscount;
            const pre = retPre ? lRefundNet[li] : 0;
            lPre[li] = pre;
            referral += mulDivRound(lNet[li] - pre, lBp[li], 10000);
            if (lCre[li] >= 0) {
              const c = creators[lCre[li]];
              lAffBase[li] = lNet[li] - pre;
              affBase += lNet[li] - pre;
              lAff[li] = mulDivRound(lNet[li] - pre, c.rateBp, 10000);
              aff += lAff[li];
              if (shopAds) { lAds[li] = mulDivRound(lNet[li] - pre, c.adsRateBp, 10000); ads += lAds[li]; }
              if (c.bonusBp) { lBonus[li] = mulDivRound(lNet[li] - pre, c.bonusBp, 10000); bonus += lBonus[li]; }
            }
          }
          let refundAdmin = 0;
          const preOrig = retPre ? retOrig : 0;
          const preSd = retPre ? retSd : 0;
          const preShip = retPre ? retShip : 0;
          if (retPre) {
            if (olRefund) referral -= mulDivRound(olRefund, lBp[0], 10000);
            refundAdmin = refundAdminFee(P.refundAdminCap, retLines, olRefund, lBp);
          }
          const revenueNet = subtotal - sdisc - preOrig + preSd;
          const customerPaid = shippingFee - preShip;
          const sellerShip = label + (retPre ? retLabel : 0);
          const txFee = chargeTx ? mulDivRound(revenueNet + customerPaid, P.txBp, 10000) : 0;
          const sfpFee = sfp ? Math.min(P.sfpCap, mulDivRound(revenueNet, 500, 10000)) : 0;
          const vxFee = voucherXtra ? mulDivRound(revenueNet, 200, 10000) : 0;
          const flashFee = flash ? mulDivRound(revenueNet, 100, 10000) : 0;
          const liveFee = liveSpecial ? mulDivRound(revenueNet, 300, 10000) : 0;
          const partner = partnerBp ? mulDivRound(affBase, partnerBp, 10000) : 0;
          const fees: Partial<Record<FeeField, number>> = {};
          const put = (f: FeeField, v: number) => { if (v !== 0) fees[f] = (fees[f] ?? 0) - v; };
          put(P.referralField, referral);
          put(P.txField, txFee);
          put('refund_administration_fee_amount', refundAdmin);
          put('sfp_service_fee_amount', sfpFee);
          put('voucher_xtra_service_fee_amount', vxFee);
          put('flash_sales_service_fee_amount', flashFee);
          put('live_specials_fee_amount', liveFee);
          put('affiliate_commission_amount', aff);
          put('affiliate_partner_commission_amount', partner);
          put('affiliate_ads_commission_amount', ads);
          put('cofunded_creator_bonus_amount', bonus);
          put(P.taxField, taxWithheld);
          pushTx(orderTx(sid, settleStmt, currency, orderId, `${sid}-ORDER-${orderId}`, subtotal, 0 - preOrig, 0 - sdisc, preSd,
            customerPaid, sellerShip, sellerShip + shipPlatDisc, fees, remainder, orderAdj));
          settled0.referralFee += referral;
          settled0.transactionFee += txFee;
          settled0.refundAdministrationFee += refundAdmin;
          settled0.serviceFees += sfpFee + vxFee + flashFee + liveFee;
          settled0.affiliateCommission += aff;
          settled0.affiliatePartnerCommission += partner;
          settled0.affiliateAdsCommission += ads;
          settled0.cofundedCreatorBonus += bonus;
          settled0.taxWithheld += taxWithheld;
          settled0.otherPlatformFees += remainder + orderAdj;
          settled0.shippingCost += sellerShip;
          if (retPre) refundsBefore++;

          // Refund after settlement: a negative ORDER transaction in a later statement.
          if (retPost) {
            const rt = nextUtcMidnight(retDone + refundStmtDelay);
            if (rt > asOf) pendingRefundOrders.push(orderId);
            if (rt <= asOf) {
              refundsAfter++;
              const rsid = stmtId(rt);
              let rRef = 0, rAff = 0, rAds = 0, rBonus = 0;
              for (const li of retLines) {
                rRef += mulDivRound(lRefundNet[li], lBp[li], 10000);
                if (lCre[li] >= 0) {
                  const c = creators[lCre[li]];
                  const a = mulDivRound(lRefundNet[li], c.rateBp, 10000);
                  rAff += a; lAff[li] -= a; lAffBase[li] -= lRefundNet[li];
                  if (shopAds) { const x = mulDivRound(lRefundNet[li], c.adsRateBp, 10000); rAds += x; lAds[li] -= x; }
                  if (c.bonusBp) { const x = mulDivRound(lRefundNet[li], c.bonusBp, 10000); rBonus += x; lBonus[li] -= x; }
                }
              }
              if (olRefund) rRef += mulDivRound(olRefund, lBp[0], 10000);
              const rAdmin = refundAdminFee(P.refundAdminCap, retLines, olRefund, lBp);
              const rf: Partial<Record<FeeField, number>> = {};
              if (rRef) rf[P.referralField] = rRef;
              if (rAdmin) rf.refund_administration_fee_amount = -rAdmin;
              if (rAff) rf.affiliate_commission_amount = rAff;
              if (rAds) rf.affiliate_ads_commission_amount = rAds;
              if (rBonus) rf.cofunded_creator_bonus_amount = rBonus;
              const rid = (st as { returnId?: string }).returnId;
              pushTx(orderTx(rsid, rt, currency, orderId, `${rsid}-ORDER-${orderId}-${rid}`, 0, 0 - retOrig, 0, retSd,
                -retShip, retLabel, retLabel, rf, 0, 0));
              settled0.referralFee -= rRef;
              settled0.refundAdministrationFee += rAdmin;
              settled0.affiliateCommission -= rAff;
              settled0.affiliateAdsCommission -= rAds;
              settled0.cofundedCreatorBonus -= rBonus;
              settled0.shippingCost += retLabel;
            }
          }

          // Order-linked adjustments, on or after the settlement statement.
          const later = (days: number) => settleStmt + days * DAY;
          const adj = (k: number, type: StatementTransactionType, at: number, amount: number): boolean => {
            if (at > asOf) return false;
            pushTx(adjTx(stmtId(at), at, currency, type, orderId, `ADJ${pad(orderSeq, 10)}${k}`, amount));
            return true;
          };
          if (aShip) { const v = aShipV; if (adj(1, 'SHIPPING_FEE_ADJUSTMENT', later(aShipD), -v)) settled0.shippingCost += v; }
          if (aLog) { const v = Math.max(1, mulDivRound(subtotal - sdisc, 60, 100)); if (adj(2, 'LOGISTICS_REIMBURSEMENT', later(aLogD), v)) settled0.shippingCost -= v; }
          if (aCb) { const v = totalAmount; if (adj(3, 'CHARGE_BACK', later(aCbD), -v)) settled0.otherPlatformFees += v; }
          if (aPr) { const v = aPrV; if (adj(4, 'PLATFORM_REIMBURSEMENT', later(aPrD), v)) settled0.otherPlatformFees -= v; }
          if (aFbt) { const v = aFbtV; if (adj(5, 'FBT_WAREHOUSE_SERVICE_FEE', later(aFbtD), -v)) settled0.shippingCost += v; }
          if (bonus > 0 && aCo) { const v = aCoV; if (adj(6, 'COFUNDED_CREATOR_REWARDS', later(aCoD), -v)) settled0.cofundedCreatorBonus += v; }
        }
      }

      // ---- creator order lines (estimates; actuals once settled)
      if (affiliate) {
        affiliateOrders++;
        const byCreator = new Map<number, number>();
        // The affiliate API reports one entry per SKU of an order, with its quantity; with one
        // line per unit (unitLines) the units of a SKU are summed into that one entry.
        const creatorLineAt = new Map<string, number>();
        for (let li = 0; li < nLines; li++) {
          const l = data.lines[lineStart + li];
          const c = creators[lCre[li]];
          const base = l.cancelled ? 0 : lNet[li];
          const estC = mulDivRound(base, c.rateBp, 10000);
          const estA = shopAds ? mulDivRound(base, c.adsRateBp, 10000) : 0;
          const estB = c.bonusBp ? mulDivRound(base, c.bonusBp, 10000) : 0;
          st.estAffiliate += estC;
          st.estAds += estA;
          st.estBonus += estB;
          byCreator.set(lCre[li], (byCreator.get(lCre[li]) ?? 0) + base);
          const lineSettled = settled && !l.cancelled && !cancelled;
          const entry: CreatorOrderLine = {
            orderId, skuId: l.skuId, productId: l.productId, creatorUsername: c.username, contentType: contentType!,
            contentId: `${contentType === 'LIVE' ? 'live' : 'v'}${pad(7300000 + lCre[li] * 131 + (orderSeq % 97), 12)}`,
            status: l.cancelled || cancelled ? 'CANCELLED' : settled ? 'COMPLETED' : 'PROCESSING', createTime: t, currency,
            commissionRateBp: c.rateBp, shopAdsCommissionRateBp: shopAds ? c.adsRateBp : 0, quantity: l.quantity,
            refundedQuantity: lRefQty[li], returnedQuantity: lRetQty[li], price: divRound(lNet[li], l.quantity),
            estimatedCommissionBase: base, estimatedCommission: estC, estimatedShopAdsCommission: estA, estimatedCofundedBonus: estB,
            actualCommissionBase: lineSettled ? lAffBase[li] : 0, actualCommission: lineSettled ? lAff[li] : 0,
            actualShopAdsCommission: lineSettled ? lAds[li] : 0, actualCofundedBonus: lineSettled ? lBonus[li] : 0,
          };
          const at = creatorLineAt.get(l.skuId);
          if (at === undefined) {
            creatorLineAt.set(l.skuId, data.creatorOrders.length);
            data.creatorOrders.push(entry);
          } else {
            const e = data.creatorOrders[at];
            // A cancelled unit adds nothing; the entry is cancelled only when every unit is.
            if (e.status === 'CANCELLED') { e.status = entry.status; e.price = entry.price; }
            e.quantity += entry.quantity;
            e.refundedQuantity += entry.refundedQuantity;
            e.returnedQuantity += entry.returnedQuantity;
            e.estimatedCommissionBase += entry.estimatedCommissionBase;
            e.estimatedCommission += entry.estimatedCommission;
            e.estimatedShopAdsCommission += entry.estimatedShopAdsCommission;
            e.estimatedCofundedBonus += entry.estimatedCofundedBonus;
            e.actualCommissionBase += entry.actualCommissionBase;
            e.actualCommission += entry.actualCommission;
            e.actualShopAdsCommission += entry.actualShopAdsCommission;
            e.actualCofundedBonus += entry.actualCofundedBonus;
          }
        }
        let best = -1, bestBase = -1;
        for (const [ci, b] of byCreator) {
          if (b > bestBase || (b === bestBase && creators[ci].username < creators[best].username)) { best = ci; bestBase = b; }
        }
        st.creator = creators[best].username;
      }

      // ---- TikTok estimates: revisions at drawn times; once the order is settled, one estimate
      // (the last revision before settlement) is kept for a quarter of orders (the true-up).
      if (!cancelled && !sample && estRevisions.length) {
        const fetches: number[] = [];
        for (let ri = 0; ri < estRevisions.length; ri++) {
          const tf = estRevisions[ri];
          if (tf > asOf) continue;
          if (settled) {
            if (!keepEstimateAfterSettlement || tf >= settleStmt) continue;
            if (ri + 1 < estRevisions.length && estRevisions[ri + 1] < settleStmt) continue; // not the last before settlement
          }
          fetches.push(ri);
        }
        if (settled && fetches.length) settledWithEstimate++;
        for (const ri of fetches) {
          const tf = estRevisions[ri];
          const dr = estDraws[ri];
          // The order as TikTok saw it at tf (a line cancelled later still counts).
          let referral = 0, revenueAt = 0, affAt = 0, adsAt = 0;
          for (let li = 0; li < nLines; li++) {
            if (li === cancelLineIdx && lineCancelAt <= tf) continue;
            revenueAt += lNet[li];
            referral += mulDivRound(lNet[li], lBp[li], 10000);
            if (lCre[li] >= 0) {
              affAt += mulDivRound(lNet[li], creators[lCre[li]].rateBp, 10000);
              if (shopAds) adsAt += mulDivRound(lNet[li], creators[lCre[li]].adsRateBp, 10000);
            }
          }
          const txFee = chargeTx ? mulDivRound(revenueAt + shippingFee, P.txBp, 10000) : 0;
          const sfpFee = sfp ? Math.min(P.sfpCap, mulDivRound(revenueAt, 500, 10000)) : 0;
          const shipEst = label > 0 ? label + amt(dr.ship) : 0;
          const rem = dr.rem;
          const taxE = dr.tax;
          const fees: Partial<Record<FeeField, number>> = {};
          if (referral) fees[P.referralField] = -referral;
          if (txFee) fees[P.txField] = -txFee;
          if (sfpFee) fees.sfp_service_fee_amount = -sfpFee;
          if (affAt) fees.affiliate_commission_amount = -affAt;
          if (adsAt) fees.affiliate_ads_commission_amount = -adsAt;
          if (taxE) fees[P.taxField] = -taxE;
          let feeSum = 0;
          for (const k in fees) feeSum += fees[k as FeeField]!;
          const estFee = feeSum - rem;
          const estShip = shippingFee - shipEst;
          data.unsettled.push({
            orderId, currency, fetchedTime: tf, estRevenueAmount: revenueAt, estShippingCostAmount: estShip,
            estFeeTaxAmount: estFee, estAdjustmentAmount: 0, estSettlementAmount: revenueAt + estShip + estFee,
            estCustomerPaidShippingFee: shippingFee, fees,
          });
          const e = zeroFees();
          e.referralFee = referral;
          e.transactionFee = txFee;
          e.serviceFees = sfpFee;
          e.otherPlatformFees = rem;
          e.shippingCost = shipEst;
          e.taxWithheld = taxE;
          st.est = e;
        }
      }
    }

    // ---- analytics for the day
    if (withAnalytics && dayStart <= asOf) {
      const impressions = Math.max(500, dayOrders * rngAnalytics.int(80, 140));
      const w = [rngAnalytics.int(10, 40), rngAnalytics.int(30, 60), rngAnalytics.int(20, 40)];
      const parts = dayGmv > 0 ? allocateByWeights(dayGmv, w) : [0, 0, 0];
      data.shopPerformance.push({
        date: day, currency, gmv: dayGmv, orders: dayOrders, buyers: dayBuyers.size, productImpressions: impressions,
        productPageViews: Math.floor((impressions * rngAnalytics.int(30, 80)) / 1000),
        gmvByType: { LIVE: parts[0], VIDEO: parts[1], PRODUCT_CARD: parts[2] },
      });
      for (let p = 0; p < nProducts; p++) {
        const imp = Math.max(rngAnalytics.int(50, 500), pUnits[p] * rngAnalytics.int(60, 150));
        const pvr = p === nProducts - 1 ? rngAnalytics.int(5, 12) : rngAnalytics.int(25, 85); // the last product: weak page-view rate
        data.productPerformance.push({
          productId: productIds[p], date: day, impressions: imp, pageViews: Math.floor((imp * pvr) / 1000),
          unitsSold: pUnits[p], currency, gmv: pGmv[p],
        });
      }
    }
  }

  // ------------------------------------------------------------ ads
  const adPieces: AdPiece[] = [];
  const budget = Math.max(amt(2000), Math.round(opd * P.aov * 0.11));
  const heroProducts = [skus[0].productId, skus[1].productId === skus[0].productId ? skus[2].productId : skus[1].productId];
  const launchProduct = skus[skus.length - 1].productId;
  const campaigns = [
    { adv: '7100000001', tz: advTzA, id: '1790000001', name: 'Always-on | Prospecting', share: 0.4, src: 'AD_ACCOUNT' as const, productIds: [] as string[], creator: null as string | null, p: 1 },
    { adv: '7100000001', tz: advTzA, id: '1790000002', name: 'GMV Max | Hero products', share: 0.25, src: 'AD_ACCOUNT' as const, productIds: heroProducts, creator: null, p: 1 },
    { adv: '7100000001', tz: advTzA, id: '1790000003', name: `Spark Ads | ${creators[0].username}`, share: 0.1, src: 'AD_ACCOUNT' as const, productIds: [], creator: creators[0].username, p: 0.6 },
    { adv: '7100000001', tz: advTzA, id: '1790000004', name: 'GMV Max | Shop (paid from GMV)', share: 0.15, src: 'GMV_PAYMENT' as const, productIds: [], creator: null, p: 1 },
    { adv: '7100000001', tz: advTzA, id: '1790000005', name: 'Launch | New arrival', share: 0.03, src: 'AD_ACCOUNT' as const, productIds: [launchProduct], creator: null, p: 0.7 },
    { adv: '7100000002', tz: advTzB, id: '1790000006', name: 'Retargeting | Cart abandoners', share: 0.1, src: 'AD_ACCOUNT' as const, productIds: [], creator: null, p: 1 },
  ];
  for (let di = 0; di < nDays; di++) {
    const date = addDays(startDay, di);
    for (const c of campaigns) {
      if (!rngAds.chance(c.p)) continue;
      const spend = Math.max(1, Math.round(budget * c.share * rngAds.range(0.6, 1.4)));
      if (startOfDay(date, c.tz) > asOf) continue;
      data.adSpend.push({
        advertiserId: c.adv, date, advertiserTimezone: c.tz, campaignId: c.id, campaignName: c.name, currency, spend,
        // The integrated report's `spend` before ad credits (every 4th day an ad credit pays a fifth
        // more on the second account); the GMV Max report has no such figure.
        ...(c.src === 'AD_ACCOUNT' ? { grossSpend: c.adv === '7100000002' && di % 4 === 0 ? spend + Math.round(spend / 5) : spend } : {}),
        fundingSource: c.src, productIds: c.productIds, creatorUsername: c.creator,
      });
      if (c.src === 'GMV_PAYMENT') {
        const at = startOfDay(addDays(date, 2), 'Etc/UTC');
        if (at <= asOf) {
          pushTx(adjTx(stmtId(at), at, currency, 'GMV_PAYMENT_FOR_ADS', null, `ADS${date.replace(/-/g, '')}${c.id.slice(-2)}`, -spend));
          adPieces.push({ day: dayKey(at, tz), amount: spend, productIds: null });
        }
      } else {
        // Split the advertiser day over the shop days it overlaps, by seconds.
        const from = startOfDay(date, c.tz);
        const to = startOfDay(addDays(date, 1), c.tz);
        const sdays: string[] = [];
        const weights: number[] = [];
        for (let d = dayKey(from, tz); startOfDay(d, tz) < to; d = addDays(d, 1)) {
          const a = Math.max(from, startOfDay(d, tz));
          const b = Math.min(to, startOfDay(addDays(d, 1), tz));
          if (b > a) { sdays.push(d); weights.push(b - a); }
        }
        const parts = allocateByWeights(spend, weights);
        for (let k = 0; k < sdays.length; k++) adPieces.push({ day: sdays[k], amount: parts[k], productIds: c.productIds.length ? c.productIds : null });
      }
    }
  }

  // ------------------------------------------------------------ shop-level adjustments
  const shopAdjustments = new Map<string, number>();
  {
    const first = nextUtcMidnight(startOfDay(startDay, tz));
    for (let at = first; at <= asOf; at += DAY) {
      if (!rngShopAdj.chance(0.2)) continue;
      const r = rngShopAdj.next();
      const [type, amount]: [StatementTransactionType, number] = r < 0.3 ? ['PLATFORM_REIMBURSEMENT', amt(rngShopAdj.int(500, 5000))]
        : r < 0.5 ? ['PLATFORM_PENALTY', -amt(rngShopAdj.int(1000, 5000))] : r < 0.7 ? ['REBATE', amt(rngShopAdj.int(200, 3000))]
        : r < 0.85 ? ['FBT_WAREHOUSE_SERVICE_FEE', -amt(rngShopAdj.int(2000, 9000))] : ['OTHER_ADJUSTMENT', (rngShopAdj.chance(0.5) ? 1 : -1) * amt(rngShopAdj.int(100, 2000))];
      pushTx(adjTx(stmtId(at), at, currency, type, null, `SADJ${pad(at / DAY, 8)}`, amount));
      const d = dayKey(at, tz);
      shopAdjustments.set(d, (shopAdjustments.get(d) ?? 0) + amount);
    }
  }

  // ------------------------------------------------------------ statements, reserve, payouts
  {
    const timesSorted = [...txByTime.keys()].sort((a, b) => a - b);
    const releases = new Map<number, number[]>();
    const firstStmt = timesSorted.length ? timesSorted[0] : 0;
    const all = new Set(timesSorted);
    const queue = [...timesSorted];
    for (let qi = 0; qi < queue.length; qi++) {
      const at = queue[qi];
      const sid = stmtId(at);
      const list = txByTime.get(at) ?? [];
      let settle = 0;
      for (const t of list) settle += t.settlementAmount;
      // New-seller reserve: 10% of positive settlements held for the first two weeks, released 21 days later.
      if (at < firstStmt + 14 * DAY && settle > 0) {
        const held = mulDivRound(settle, 1000, 10000);
        list.push(reserveTx(sid, at, currency, `RSV${pad(at / DAY, 8)}H`, -held));
        const rel = at + 21 * DAY;
        if (rel <= asOf) {
          if (!releases.has(rel)) releases.set(rel, []);
          releases.get(rel)!.push(held);
          if (!all.has(rel)) { all.add(rel); queue.push(rel); queue.sort((a, b) => a - b); }
        }
      }
      for (const [k, held] of (releases.get(at) ?? []).entries()) list.push(reserveTx(sid, at, currency, `RSV${pad(at / DAY, 8)}R${k}`, held));
      txByTime.set(at, list);
    }
    const finalTimes = [...txByTime.keys()].sort((a, b) => a - b);
    for (const at of finalTimes) {
      const list = txByTime.get(at)!;
      const sid = stmtId(at);
      let settle = 0, rev = 0, fee = 0, adjA = 0, ship = 0, reserve = 0;
      for (const t of list) {
        settle += t.settlementAmount; rev += t.revenueAmount; fee += t.feeTaxAmount; adjA += t.adjustmentAmount;
        ship += t.shippingCostAmount; reserve += t.reserveAmount;
        data.transactions.push(t);
      }
      const created = at + DAY;
      let paymentId: string | null = null;
      let paymentStatus: 'PAID' | 'PROCESSING' = 'PROCESSING';
      if (created <= asOf) {
        paymentId = `PAY${pad(at / DAY, 9)}`;
        const paidAt = created + rngPayouts.int(DAY, 3 * DAY);
        const paidNow = paidAt <= asOf;
        paymentStatus = paidNow ? 'PAID' : 'PROCESSING';
        data.payouts.push({
          paymentId, createTime: created, paidTime: paidNow ? paidAt : null, status: paymentStatus, currency,
          amount: settle + reserve, settlementAmount: settle, reserveAmount: reserve,
        });
      }
      data.statements.push({
        statementId: sid, statementTime: at, currency, settlementAmount: settle, revenueAmount: rev, feeAmount: fee,
        adjustmentAmount: adjA, shippingCostAmount: ship, netSalesAmount: rev, paymentStatus, paymentId,
      });
    }
  }

  // ------------------------------------------------------------ seller-entered costs
  const fixedCosts: FixedCost[] = [];
  for (let m = startDay.slice(0, 7); m <= lastDay.slice(0, 7); m = addDays(`${m}-28`, 5).slice(0, 7)) {
    for (const [label, amount] of P.fixed) fixedCosts.push({ month: m, label, currency, amount });
  }
  data.fixedCosts = fixedCosts;
  for (let i = 0; i < Math.min(5, nCreators); i++) {
    const date = addDays(startDay, rng.int(0, nDays - 1));
    data.creatorFees.push({ creatorUsername: creators[i].username, date, currency, amount: amt(rng.int(10, 60) * 1000), note: 'Flat fee for a dedicated video' });
  }

  // ------------------------------------------------------------ ground truth
  let truth: { orders: OrderMargin[]; days: ShopDay[] } = { orders: [], days: [] };
  let basisCounts: Record<FeeBasis, number> = { settled: 0, tiktok_estimate: 0, trailing_rate: 0, rate_card: 0, none: 0 };
  let referenceOrders = 0;
  let reportDays: string[] = [];
  {
    let first = startDay;
    let last = dayKey(asOf, tz) > lastDay ? dayKey(asOf, tz) : lastDay;
    for (const p of adPieces) { if (p.day < first) first = p.day; if (p.day > last) last = p.day; }
    for (const d of shopAdjustments.keys()) { if (d < first) first = d; if (d > last) last = d; }
    // Whole months of fixed costs.
    for (const f of fixedCosts) { const a = `${f.month}-01`; const b = addDays(`${addDays(`${f.month}-28`, 5).slice(0, 7)}-01`, -1); if (a < first) first = a; if (b > last) last = b; }
    reportDays = dayRange(first, last);
  }
  if (withTruth) {
    const t = buildTruth({
      states, lines: data.lines, settings, asOf, adPieces, creatorFees: data.creatorFees, fixedCosts,
      shopAdjustments, days: reportDays,
    });
    truth = { orders: t.orders, days: t.days };
    basisCounts = t.basisCounts;
    referenceOrders = t.referenceOrders;
  }

  const meta: GeneratorMeta = {
    seed, currency, timezone: tz, startDay, lastDay, asOf,
    orders: data.orders.length, paidOrders: states.length, lines: lineCount, statusCounts, basisCounts, referenceOrders,
    samples, affiliateOrders, returns: returnsCount, completedReturns, refundsBeforeSettlement: refundsBefore,
    refundsAfterSettlement: refundsAfter, statements: data.statements.length, transactions: data.transactions.length,
    payouts: data.payouts.length, unsettledEstimates: data.unsettled.length, settledWithEstimate, cancelledCharged,
    pendingRefundOrders, adSpendRows: data.adSpend.length,
    cogsChange: nDays > 1 ? { sellerSku: skus[0].key, day: changeDay, orderBefore, orderAfter } : null,
    missingCogsSku: missingSku.key,
    quietDays: [...quiet].filter((i) => i < nDays).map((i) => addDays(startDay, i)),
    truthComputed: withTruth,
  };
  return { data, settings, truth, asOf, meta };
}

/** Refund administration fee of a refund: per refunded line, 20% of its referral fee, capped. */
function refundAdminFee(cap: number, retLines: number[], olRefund: number, bps: number[]): number {
  // Per refunded line: min(cap, 20% × the referral fee of the line refund) (US schedule).
  let fee = 0;
  for (const li of retLines) fee += Math.min(cap, mulDivRound(mulDivRound(lRefundNet[li], bps[li], 10000), 2000, 10000));
  if (olRefund) fee += Math.min(cap, mulDivRound(mulDivRound(olRefund, bps[0], 10000), 2000, 10000));
  return fee;
}

function orderTx(
  statementId: string, statementTime: number, currency: string, orderId: string, transactionId: string,
  subtotal: number, refundSubtotal: number, sellerDiscount: number, sellerDiscountRefund: number,
  customerPaid: number, sellerShipping: number, actualShipping: number,
  fees: Partial<Record<FeeField, number>>, unexplained: number, adjustmentCost: number,
): StatementTransaction {
  const revenueAmount = subtotal + refundSubtotal + sellerDiscount + sellerDiscountRefund;
  const shippingCostAmount = customerPaid - sellerShipping;
  let feeSum = 0;
  for (const k in fees) feeSum += fees[k as FeeField]!;
  const feeTaxAmount = feeSum - unexplained;
  // `0 - x`, not `-x`: negating a zero gives -0, which no sheet cell or API string can hold.
  const adjustmentAmount = 0 - adjustmentCost;
  return {
    transactionId, statementId, statementTime, currency, type: 'ORDER', orderId, adjustmentId: null, skuId: null,
    settlementAmount: revenueAmount + shippingCostAmount + feeTaxAmount + adjustmentAmount,
    revenueAmount, shippingCostAmount, feeTaxAmount, adjustmentAmount,
    subtotalBeforeDiscount: subtotal, refundSubtotalBeforeDiscount: refundSubtotal, sellerDiscount, sellerDiscountRefund,
    customerPaidShippingFee: customerPaid, actualShippingFee: 0 - actualShipping, fees, reserveAmount: 0,
  };
}

function adjTx(
  statementId: string, statementTime: number, currency: string, type: StatementTransactionType,
  orderId: string | null, adjustmentId: string, amount: number,
): StatementTransaction {
  return {
    transactionId: `${statementId}-${type}-${adjustmentId}`, statementId, statementTime, currency, type, orderId, adjustmentId,
    skuId: null, settlementAmount: amount, revenueAmount: 0, shippingCostAmount: 0, feeTaxAmount: 0, adjustmentAmount: amount,
    subtotalBeforeDiscount: 0, refundSubtotalBeforeDiscount: 0, sellerDiscount: 0, sellerDiscountRefund: 0,
    customerPaidShippingFee: 0, actualShippingFee: 0, fees: {}, reserveAmount: 0,
  };
}

function reserveTx(statementId: string, statementTime: number, currency: string, id: string, reserve: number): StatementTransaction {
  return {
    transactionId: `${statementId}-RESERVE-${id}`, statementId, statementTime, currency, type: 'RESERVE', orderId: null,
    adjustmentId: id, skuId: null, settlementAmount: 0, revenueAmount: 0, shippingCostAmount: 0, feeTaxAmount: 0,
    adjustmentAmount: 0, subtotalBeforeDiscount: 0, refundSubtotalBeforeDiscount: 0, sellerDiscount: 0,
    sellerDiscountRefund: 0, customerPaidShippingFee: 0, actualShippingFee: 0, fees: {}, reserveAmount: reserve,
  };
}

export type { Cancellation, CreatorOrderLine, OrderLine, Return, UnsettledEstimate };
