/**
 * The order export (Orders → Manage Orders → Export, "OrderSKUList"; one row per SKU) → orders,
 * lines and cancellations.
 *
 * Required columns are those a figure cannot do without: Order ID, Order Status, SKU ID,
 * Quantity, SKU Subtotal Before / After Discount, Shipping Fee After Discount, Order Amount,
 * Created Time and Paid Time (an order without a paid time is never counted). Every other column
 * is optional: sellers strip personal data (buyer, recipient, address, tracking) before passing a
 * file on. An absent optional column that changes a figure is said in the preview (ColSpec.absent).
 *
 * Mapping (order-level columns repeat on every SKU row of an order and must agree, else an error
 * naming both rows):
 * - orderId = Order ID; buyerId = Buyer Username (the export has no user_id); a blank or absent
 *   username falls back to `order:{orderId}`, i.e. that order counts as its own buyer (no
 *   new-buyer or repeat figures for it), and a note says how many orders that is.
 * - status = Order Status ("Unpaid", "On hold", "Awaiting shipment"/"To ship", "Partially
 *   shipping", "Awaiting collection"/"Ready to ship", "Shipped"/"In transit", "Delivered",
 *   "Completed", "Cancelled"/"Canceled"). A status not in this list changes no figure by its
 *   name: the order is kept, with the status its own columns show (cancelled when it has a
 *   Cancelled Time or every line is a "Cancel"; else unpaid without a Paid Time; else delivered
 *   with a Delivered Time; in transit with a Shipped Time; else awaiting shipment), and a note
 *   names the status text and the orders.
 * - createTime = Created Time; paidTime / deliveryTime / cancelTime = Paid / Delivered /
 *   Cancelled Time (blank → null); updateTime (absent from the export) = the latest of Created,
 *   Paid, RTS (GB: "RTH"), Shipped, Delivered and Cancelled Time present.
 * - fulfillmentType from Fulfillment Type (text mentioning TikTok → FULFILLMENT_BY_TIKTOK,
 *   Dilayani/Tokopedia → …_DILAYANI_TOKOPEDIA, otherwise or absent → FULFILLMENT_BY_SELLER).
 * - isSample: the export has no sample marker; an order whose every line has an original price of
 *   0 is a free sample sent to a creator (a discount, even 100%, leaves the original price), so
 *   it is one. sampleCreator = null (the file does not say which creator asked for it).
 * - shippingFee = Shipping Fee After Discount; originalShippingFee = Original Shipping Fee, or when
 *   absent shippingFee + both shipping discounts (as the API mapping); shipping discounts =
 *   Shipping Fee Seller / Platform Discount; tax = Taxes; totalAmount = Order Amount. Retail
 *   Delivery Fee is checked for agreement but has no field of its own (it is in Order Amount).
 * - Lines: lineId = `{orderId}-{skuId}` (a second row of the same SKU in one order gets `-2`, `-3`
 *   in file order); productId = Product ID when the file has it, else the SKU ID (the export has
 *   no product id); sellerSku = Seller SKU; productName = Product Name; skuName = Variation;
 *   quantity = Quantity (≥ 1); originalPrice = SKU Subtotal Before Discount; sellerDiscount /
 *   platformDiscount = SKU Seller / Platform Discount; salePrice = SKU Subtotal After Discount.
 *   cancelled = the order is CANCELLED, or the row's Cancelation/Return Type is "Cancel".
 * - Cancellation (when the order is CANCELLED or has a cancelled line): cancelId =
 *   `{orderId}-cancel`, cancelType = "CANCEL", status CANCELLATION_REQUEST_COMPLETE, role = Cancel
 *   By, reason = Cancel Reason, create/update time = Cancelled Time (else the order's update
 *   time), refundTotal = Order Refund Amount (blank → 0), lineIds = the cancelled lines.
 */
import {
  CancellationSchema, FULFILLMENT_TYPES, OrderLineSchema, OrderSchema, orderStatusFromTimes,
  type Cancellation, type Order, type OrderLine, type OrderStatus,
} from '../core/records';
import { showValue } from '../core/errors';
import { col, norm, req, sig, type KindSpec } from './headers';
import { ImportError } from './import-error';
import { validate, type Imported, type RowReader, type SheetReader } from './sheet';

const time = { time: true } as const;

export const ORDER_EXPORT_SPEC: KindSpec = {
  kind: 'orders', label: 'the US order export (OrderSKUList)', keyColumn: 'orderId',
  cols: [
    col('orderId', 'Order ID', sig),
    col('status', 'Order Status', req),
    col('cancelType', 'Cancelation/Return Type', {
      absent: 'a line cancelled on its own (its order goes on) is not seen as cancelled; lines of a cancelled order still are' }),
    col('skuId', 'SKU ID', sig),
    col('productId', 'Product ID'),
    col('sellerSku', 'Seller SKU'),
    col('productName', 'Product Name'),
    col('variation', 'Variation'),
    col('quantity', 'Quantity', sig),
    col('subtotalBefore', 'SKU Subtotal Before Discount', req),
    col('platformDiscount', 'SKU Platform Discount', { absent: 'platform discounts on lines are read as 0' }),
    col('sellerDiscount', 'SKU Seller Discount', { absent: 'seller discounts on lines are read as 0' }),
    col('subtotalAfter', 'SKU Subtotal After Discount', req),
    col('shippingFee', 'Shipping Fee After Discount', req),
    col('originalShippingFee', 'Original Shipping Fee'),
    col('shippingSellerDiscount', 'Shipping Fee Seller Discount', { absent: 'seller shipping discounts are read as 0' }),
    col('shippingPlatformDiscount', 'Shipping Fee Platform Discount', { absent: 'platform shipping discounts are read as 0' }),
    col('retailDeliveryFee', 'Retail Delivery Fee'),
    col('taxes', 'Taxes', { absent: 'taxes collected on orders are read as 0' }),
    col('orderAmount', 'Order Amount', req),
    col('orderRefund', 'Order Refund Amount', { absent: 'refunds of cancelled orders are read as 0' }),
    col('createdTime', 'Created Time', { ...req, ...time }),
    col('paidTime', 'Paid Time', { ...req, ...time }),
    col('rtsTime', 'RTS Time', time),
    col('shippedTime', 'Shipped Time', time),
    col('deliveredTime', 'Delivered Time', { ...time, absent: 'orders have no delivery time' }),
    col('cancelledTime', 'Cancelled Time', { ...time, absent: 'cancellations are dated by the order\'s last time in the file' }),
    col('cancelBy', 'Cancel By'),
    col('cancelReason', 'Cancel Reason'),
    col('fulfillmentType', 'Fulfillment Type', { absent: 'every order is read as fulfilled by the seller' }),
    col('buyer', 'Buyer Username', {
      absent: 'no new-buyer or repeat-buyer figures for these orders: each order counts as its own buyer' }),
  ],
};

/** Order export "Order Status" (normalized) → core status. */
const ORDER_STATUS: Record<string, OrderStatus> = {
  unpaid: 'UNPAID', onhold: 'ON_HOLD', awaitingshipment: 'AWAITING_SHIPMENT', toship: 'AWAITING_SHIPMENT',
  partiallyshipping: 'PARTIALLY_SHIPPING', awaitingcollection: 'AWAITING_COLLECTION', readytoship: 'AWAITING_COLLECTION',
  shipped: 'IN_TRANSIT', intransit: 'IN_TRANSIT', delivered: 'DELIVERED', completed: 'COMPLETED',
  cancelled: 'CANCELLED', canceled: 'CANCELLED',
};

/** Order-level columns that repeat on every SKU row of an order and must agree. */
const ORDER_LEVEL = [
  'status', 'buyer', 'shippingFee', 'originalShippingFee', 'shippingSellerDiscount', 'shippingPlatformDiscount', 'retailDeliveryFee',
  'taxes', 'orderAmount', 'orderRefund', 'createdTime', 'paidTime', 'rtsTime', 'shippedTime', 'deliveredTime', 'cancelledTime',
  'cancelBy', 'cancelReason', 'fulfillmentType',
] as const;
const ORDER_LEVEL_AMOUNTS = new Set<string>(['shippingFee', 'originalShippingFee', 'shippingSellerDiscount', 'shippingPlatformDiscount', 'retailDeliveryFee', 'taxes', 'orderAmount', 'orderRefund']);
const ORDER_LEVEL_TIMES = new Set<string>(['createdTime', 'paidTime', 'rtsTime', 'shippedTime', 'deliveredTime', 'cancelledTime']);

type Entry = { first: RowReader; values: Map<string, number | string | null>; lines: OrderLine[] };

export function importOrders(readers: SheetReader[]): Imported {
  const orders: Order[] = [];
  const lines: OrderLine[] = [];
  const cancellations: Cancellation[] = [];
  const byId = new Map<string, Entry>();
  const orderIds: string[] = [];
  let rows = 0;
  for (const sheet of readers) {
    const currency = sheet.shop.currency;
    for (const { cells, rowNo } of sheet.dataRows()) {
      rows++;
      const r = sheet.row(cells, rowNo);
      const orderId = r.required('orderId', 'an order ID');
      // Parse every order-level value of this row, then compare with the order's first row.
      const values = new Map<string, number | string | null>();
      for (const key of ORDER_LEVEL) {
        // Paid Time is required as a column; a blank cell is an unpaid order.
        if (ORDER_LEVEL_AMOUNTS.has(key)) values.set(key, r.amount(key, key === 'orderAmount' || key === 'shippingFee'));
        else if (ORDER_LEVEL_TIMES.has(key)) values.set(key, r.time(key, key === 'createdTime'));
        else values.set(key, r.text(key));
      }
      let entry = byId.get(orderId);
      if (!entry) {
        entry = { first: r, values, lines: [] };
        byId.set(orderId, entry);
        orderIds.push(orderId);
      } else {
        for (const key of ORDER_LEVEL) {
          if (entry.values.get(key) !== values.get(key)) {
            const column = sheet.header(key);
            const a = entry.first;
            const where = a.sheet === sheet ? `rows ${a.rowNo} and ${rowNo}` : `row ${a.rowNo} of sheet "${a.sheet.sheetName}" and row ${rowNo}`;
            throw new ImportError(
              `File "${sheet.file}", sheet "${sheet.sheetName}", ${where} (order ${orderId}), column "${column}": an order-level value repeats on every SKU row of the order and must agree, found ${showValue(a.text(key))} on row ${a.rowNo} and ${showValue(r.text(key))} on row ${rowNo}.`,
              { file: sheet.file, sheet: sheet.sheetName, row: rowNo, column },
            );
          }
        }
      }
      const skuId = r.required('skuId', 'a SKU ID');
      const base = `${orderId}-${skuId}`;
      const n = entry.lines.filter((l) => l.skuId === skuId).length;
      const cancelType = norm(r.text('cancelType'));
      const line = validate(OrderLineSchema, {
        lineId: n === 0 ? base : `${base}-${n + 1}`,
        orderId,
        skuId,
        productId: r.text('productId') || skuId,
        sellerSku: r.text('sellerSku'),
        productName: r.text('productName'),
        skuName: r.text('variation'),
        currency,
        quantity: r.count('quantity', 1),
        originalPrice: r.nonNegative('subtotalBefore', r.amount('subtotalBefore', true)),
        sellerDiscount: r.nonNegative('sellerDiscount', r.amount('sellerDiscount')),
        platformDiscount: r.nonNegative('platformDiscount', r.amount('platformDiscount')),
        salePrice: r.nonNegative('subtotalAfter', r.amount('subtotalAfter', true)),
        // Completed below once the order's status is known (a cancelled order cancels every line).
        cancelled: cancelType === 'cancel' || cancelType === 'cancellation',
      } satisfies OrderLine, r, 'order line');
      entry.lines.push(line);
      lines.push(line);
    }
  }
  const times: number[] = [];
  const unknownStatus = new Map<string, { orders: string[]; rows: number[] }>();
  let noBuyer = 0;
  for (const orderId of orderIds) {
    const e = byId.get(orderId)!;
    const r = e.first;
    const v = (k: string) => e.values.get(k);
    const num = (k: string) => v(k) as number;
    const tm = (k: string) => v(k) as number | null;
    const createTime = num('createdTime');
    const present = [...ORDER_LEVEL_TIMES].map(tm).filter((x): x is number => x !== null);
    const updateTime = Math.max(...present);
    const statusText = v('status') as string;
    let status = ORDER_STATUS[norm(statusText)];
    const statusSent = status ? undefined : statusText === '' ? '(none)' : statusText;
    if (!status) {
      status = orderStatusFromTimes({
        cancelled: tm('cancelledTime') !== null || (e.lines.length > 0 && e.lines.every((l) => l.cancelled)),
        paid: tm('paidTime') !== null, delivered: tm('deliveredTime') !== null, shipped: tm('shippedTime') !== null,
      });
      const u = unknownStatus.get(statusText) ?? { orders: [], rows: [] };
      u.orders.push(orderId);
      u.rows.push(r.rowNo);
      unknownStatus.set(statusText, u);
    }
    if (status === 'CANCELLED') for (const l of e.lines) l.cancelled = true;
    const ft = norm(v('fulfillmentType') as string);
    const fulfillmentType = ft.includes('dilayani') || ft.includes('tokopedia') ? FULFILLMENT_TYPES[2]
      : ft.includes('tiktok') || ft === 'fbt' ? FULFILLMENT_TYPES[1] : FULFILLMENT_TYPES[0];
    const shippingFee = r.nonNegative('shippingFee', num('shippingFee'));
    const shipSeller = r.nonNegative('shippingSellerDiscount', num('shippingSellerDiscount'));
    const shipPlatform = r.nonNegative('shippingPlatformDiscount', num('shippingPlatformDiscount'));
    const buyer = v('buyer') as string;
    if (!buyer) noBuyer++;
    const order = validate(OrderSchema, {
      orderId,
      buyerId: buyer || `order:${orderId}`,
      status,
      ...(statusSent !== undefined ? { statusSent } : {}),
      currency: r.sheet.shop.currency,
      createTime,
      updateTime,
      paidTime: tm('paidTime'),
      cancelTime: tm('cancelledTime'),
      deliveryTime: tm('deliveredTime'),
      fulfillmentType,
      isSample: e.lines.length > 0 && e.lines.every((l) => l.originalPrice === 0),
      sampleCreator: null,
      originalShippingFee: r.sheet.has('originalShippingFee') ? r.nonNegative('originalShippingFee', num('originalShippingFee')) : shippingFee + shipSeller + shipPlatform,
      shippingSellerDiscount: shipSeller,
      shippingPlatformDiscount: shipPlatform,
      shippingFee,
      tax: r.nonNegative('taxes', num('taxes')),
      totalAmount: r.nonNegative('orderAmount', num('orderAmount')),
    } satisfies Order, r, 'order');
    orders.push(order);
    times.push(createTime);
    const cancelledLines = e.lines.filter((l) => l.cancelled);
    if (status === 'CANCELLED' || cancelledLines.length > 0) {
      const t = tm('cancelledTime') ?? updateTime;
      cancellations.push(validate(CancellationSchema, {
        cancelId: `${orderId}-cancel`,
        orderId,
        cancelType: 'CANCEL',
        status: 'CANCELLATION_REQUEST_COMPLETE',
        role: v('cancelBy') as string,
        reason: v('cancelReason') as string,
        currency: r.sheet.shop.currency,
        createTime: t,
        updateTime: t,
        refundTotal: r.nonNegative('orderRefund', num('orderRefund')),
        lineIds: cancelledLines.map((l) => l.lineId),
      } satisfies Cancellation, r, 'cancellation'));
    }
  }
  const file = readers[0]?.file ?? '';
  const notes: string[] = [];
  for (const [text, u] of unknownStatus) {
    const n = u.orders.length;
    const what = text === '' ? 'no order status' : `the order status "${text}", which this add-on does not know`;
    notes.push(`${n} order${n === 1 ? '' : 's'} of ${file} ${n === 1 ? 'has' : 'have'} ${what} (first: order ${u.orders[0]}, row ${u.rows[0]}): kept, with the status the order's own columns show (cancelled with a Cancelled Time, unpaid without a Paid Time, else delivered, in transit or awaiting shipment by its times).`);
  }
  // An absent column has its own note (see ColSpec.absent); blank cells of a present one are counted here.
  if (noBuyer > 0 && readers.every((s) => s.has('buyer'))) {
    notes.push(`${noBuyer} order${noBuyer === 1 ? '' : 's'} of ${file} ${noBuyer === 1 ? 'has' : 'have'} no Buyer Username: no new-buyer or repeat-buyer figures for ${noBuyer === 1 ? 'it' : 'them'} (each counts as its own buyer).`);
  }
  return { rows, times, data: { orders, lines, cancellations }, notes };
}

