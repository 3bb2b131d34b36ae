/**
 * Order status: where the orders of the last 30 days stand, the returns still open and what
 * they may cost in refunds, and why orders were cancelled.
 */
import { REFUNDED_RETURN_STATUSES, type Return } from '../records';
import { formatAmount } from '../money';
import { dayKey, daysBetween } from '../time';
import { baseDefinitions, inRange, share, type Column, type DayRange, type ReportInput, type ReportTable, type Row } from './table';

export interface OrderStatusReport {
  byStatus: ReportTable;
  openReturns: ReportTable;
  cancellations: ReportTable;
}

/** Return states that end a return: refunded, rejected or withdrawn. Every other one is open. */
const CLOSED_RETURN_STATUSES: readonly Return['status'][] = [
  ...REFUNDED_RETURN_STATUSES, 'REFUND_OR_RETURN_REQUEST_REJECT', 'RETURN_OR_REFUND_REQUEST_CANCEL', 'REJECT_RECEIVE_PACKAGE',
];

export function isOpenReturn(r: Return): boolean {
  return !CLOSED_RETURN_STATUSES.includes(r.status);
}

/** What an open return would refund if granted: product (original − seller discount) plus shipping. */
export function refundAtRisk(r: Return): number {
  let total = r.refundShipping;
  for (const l of r.lines) total += l.refundedOriginal - l.refundedSellerDiscount;
  return total;
}

export function orderStatusReport(input: ReportInput, range: DayRange): OrderStatusReport {
  const { data, margins, settings } = input;
  const orders = margins.orders.filter((o) => !o.isSample && inRange(o.day, range));
  const defs = (notes: string[]) => ({ ...baseDefinitions(input, 'accrual', orders), notes });

  const byStatus = new Map<string, { orders: number; gmv: number; netRevenue: number }>();
  for (const o of orders) {
    const s = byStatus.get(o.status) ?? { orders: 0, gmv: 0, netRevenue: 0 };
    s.orders += 1;
    s.gmv += o.grossSales;
    s.netRevenue += o.netRevenue;
    byStatus.set(o.status, s);
  }
  const statusRows: Row[] = [...byStatus]
    .sort((a, b) => b[1].orders - a[1].orders || (a[0] < b[0] ? -1 : 1))
    .map(([status, s]) => ({ status, orders: s.orders, orderShare: share(s.orders, orders.length), gmv: s.gmv, netRevenue: s.netRevenue }));

  const today = dayKey(margins.asOf, settings.timezone);
  const open = data.returns.filter(isOpenReturn).sort((a, b) => refundAtRisk(b) - refundAtRisk(a) || a.createTime - b.createTime);
  const returnRows: Row[] = open.map((r) => ({
    returnId: r.returnId, orderId: r.orderId, returnType: r.returnType, status: r.status,
    created: dayKey(r.createTime, settings.timezone), daysOpen: daysBetween(dayKey(r.createTime, settings.timezone), today),
    units: r.lines.reduce((n, l) => n + l.quantity, 0), refundAtRisk: refundAtRisk(r),
  }));

  const reasons = new Map<string, { reason: string; role: string; count: number; refund: number }>();
  for (const c of data.cancellations) {
    if (!inRange(dayKey(c.createTime, settings.timezone), range)) continue;
    const key = JSON.stringify([c.reason, c.role]);
    const g = reasons.get(key) ?? { reason: c.reason, role: c.role, count: 0, refund: 0 };
    g.count += 1;
    g.refund += c.refundTotal;
    reasons.set(key, g);
  }
  const cancelled = [...reasons.values()].reduce((n, g) => n + g.count, 0);
  const cancelRows: Row[] = [...reasons.values()]
    .sort((a, b) => b.count - a.count || b.refund - a.refund || (a.reason < b.reason ? -1 : 1))
    .map((g) => ({ reason: g.reason || '(no reason given)', role: g.role, cancellations: g.count, share: share(g.count, cancelled), refundTotal: g.refund }));

  const window = `Orders created ${range.from} to ${range.to} (${range.label}).`;
  const statusColumns: Column[] = [
    { key: 'status', label: 'Status', format: 'text', note: 'The order’s status on TikTok Shop at the last refresh.' },
    { key: 'orders', label: 'Orders', format: 'integer', note: 'Paid orders created in the window, samples not.' },
    { key: 'orderShare', label: 'Share of orders', format: 'percent' },
    { key: 'gmv', label: 'GMV', format: 'money', note: 'Σ original price of their lines, before any discount.' },
    { key: 'netRevenue', label: 'Net revenue', format: 'money', note: 'After seller discounts and refunds, plus shipping the customer paid (0 for cancelled orders).' },
  ];
  const returnColumns: Column[] = [
    { key: 'returnId', label: 'Return ID', format: 'text' },
    { key: 'orderId', label: 'Order ID', format: 'text' },
    { key: 'returnType', label: 'Type', format: 'text', note: 'Refund only, or return and refund.' },
    { key: 'status', label: 'Status', format: 'text' },
    { key: 'created', label: 'Requested', format: 'day' },
    { key: 'daysOpen', label: 'Days open', format: 'integer' },
    { key: 'units', label: 'Units', format: 'integer' },
    { key: 'refundAtRisk', label: 'Refund it may cost', format: 'money', note: 'Refunded product amount net of its seller discount, plus refunded shipping, if the return is granted.' },
  ];
  const cancelColumns: Column[] = [
    { key: 'reason', label: 'Reason', format: 'text', note: 'As TikTok Shop states it.' },
    { key: 'role', label: 'Requested by', format: 'text' },
    { key: 'cancellations', label: 'Cancellations', format: 'integer' },
    { key: 'share', label: 'Share', format: 'percent' },
    { key: 'refundTotal', label: 'Refunded', format: 'money' },
  ];
  const atRisk = returnRows.reduce((n, r) => n + (r.refundAtRisk as number), 0);
  return {
    byStatus: { id: 'order_status', title: 'Orders and GMV by status', definitions: defs([window]), columns: statusColumns, rows: statusRows },
    openReturns: {
      id: 'open_returns', title: 'Open returns and the refunds they may cost', columns: returnColumns, rows: returnRows,
      definitions: defs([`Every return not yet refunded, rejected or withdrawn, whatever its age: ${returnRows.length} open, ${formatAmount(atRisk, settings.currency)} ${settings.currency} of refunds at risk. Largest first.`]),
    },
    cancellations: {
      id: 'cancellations_by_reason', title: 'Cancellations by reason', columns: cancelColumns, rows: cancelRows,
      definitions: defs([`Cancellation requests created ${range.from} to ${range.to}, any outcome.`]),
    },
  };
}
