/**
 * Every TikTok Shop endpoint the add-on calls, in ONE table: path template, version, scope,
 * and page-size limits. A version bump or a deprecation (reference §5, §11) is a one-line change.
 *
 * `{version}` in a path is replaced by the entry's version; other `{name}` segments by the
 * caller's parameters (percent-encoded).
 *
 * Page sizes: the documented range where the reference gives one; where it does not
 * (statement transactions, payments, withdrawals, unsettled, analytics), 1–100 is assumed
 * and marked `assumed: true` so the sandbox and live tests can confirm it.
 */

export interface PageSizeLimit {
  min: number;
  max: number;
  /** True when the reference does not state the range. */
  assumed?: boolean;
}

export interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  version: string;
  /** The scope the app must be granted (named in the 105005 error). */
  scope: string;
  pageSize?: PageSizeLimit;
}

const ORDER = 'seller.order.info';
const FINANCE = 'seller.finance.info';
const RETURNS = 'seller.return_refund.basic';
const PRODUCT = 'seller.product.basic';
const AFFILIATE = 'seller.affiliate_collaboration.read';
const ANALYTICS = 'data.shop_analytics.public.read';
const AUTH_INFO = 'seller.authorization.info';
const P100: PageSizeLimit = { min: 1, max: 100 };
const P100_ASSUMED: PageSizeLimit = { min: 1, max: 100, assumed: true };

export const ENDPOINTS = {
  authorizedShops: { method: 'GET', path: '/authorization/{version}/shops', version: '202309', scope: AUTH_INFO },
  ordersSearch: { method: 'POST', path: '/order/{version}/orders/search', version: '202309', scope: ORDER, pageSize: P100 },
  orderDetail: { method: 'GET', path: '/order/{version}/orders', version: '202507', scope: ORDER },
  statements: { method: 'GET', path: '/finance/{version}/statements', version: '202309', scope: FINANCE, pageSize: P100 },
  statementTransactions: {
    method: 'GET', path: '/finance/{version}/statements/{statement_id}/statement_transactions', version: '202501', scope: FINANCE, pageSize: P100_ASSUMED,
  },
  orderStatementTransactions: {
    method: 'GET', path: '/finance/{version}/orders/{order_id}/statement_transactions', version: '202501', scope: FINANCE,
  },
  unsettledOrders: { method: 'GET', path: '/finance/{version}/orders/unsettled', version: '202507', scope: FINANCE, pageSize: P100_ASSUMED },
  payments: { method: 'GET', path: '/finance/{version}/payments', version: '202309', scope: FINANCE, pageSize: P100_ASSUMED },
  withdrawals: { method: 'GET', path: '/finance/{version}/withdrawals', version: '202309', scope: FINANCE, pageSize: P100_ASSUMED },
  returnsSearch: { method: 'POST', path: '/return_refund/{version}/returns/search', version: '202309', scope: RETURNS, pageSize: { min: 10, max: 50 } },
  cancellationsSearch: { method: 'POST', path: '/return_refund/{version}/cancellations/search', version: '202309', scope: RETURNS, pageSize: { min: 1, max: 50 } },
  affiliateOrdersSearch: { method: 'POST', path: '/affiliate_seller/{version}/orders/search', version: '202410', scope: AFFILIATE, pageSize: P100 },
  productsSearch: { method: 'POST', path: '/product/{version}/products/search', version: '202502', scope: PRODUCT, pageSize: P100 },
  shopPerformance: { method: 'GET', path: '/analytics/{version}/shop/performance', version: '202405', scope: ANALYTICS },
  productPerformance: { method: 'GET', path: '/analytics/{version}/shop_products/performance', version: '202405', scope: ANALYTICS, pageSize: P100_ASSUMED },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;

/** Maximum ids per Get Order Detail call (reference §4). */
export const ORDER_DETAIL_MAX_IDS = 50;

/** The concrete path of an endpoint, e.g. pathOf('statementTransactions', {statement_id: '7'}). */
export function pathOf(name: EndpointName, params: Readonly<Record<string, string>> = {}): string {
  const ep: Endpoint = ENDPOINTS[name];
  return ep.path.replace(/\{(\w+)\}/g, (_, key: string) => {
    if (key === 'version') return ep.version;
    const v = params[key];
    if (v === undefined || v === '') throw new Error(`pathOf(${name}): missing path parameter "${key}"`);
    return encodeURIComponent(v);
  });
}

/** Checks a page size against the endpoint's documented range; returns it or throws with the range. */
export function checkPageSize(name: EndpointName, pageSize: number): number {
  const ep: Endpoint = ENDPOINTS[name];
  const lim = ep.pageSize;
  if (!lim) throw new Error(`${name} is not a paged endpoint`);
  if (!Number.isInteger(pageSize) || pageSize < lim.min || pageSize > lim.max) {
    throw new RangeError(`page_size for ${ep.method} ${ep.path.replace('{version}', ep.version)} must be a whole number from ${lim.min} to ${lim.max}, got ${pageSize}`);
  }
  return pageSize;
}

/** The largest allowed page size of a paged endpoint (what sync uses: fewest calls). */
export function maxPageSize(name: EndpointName): number {
  const ep: Endpoint = ENDPOINTS[name];
  if (!ep.pageSize) throw new Error(`${name} is not a paged endpoint`);
  return ep.pageSize.max;
}

/** Finds the table entry of a concrete path (to name the scope in a 105005 error). */
export function endpointOfPath(path: string): { name: EndpointName; endpoint: Endpoint } | undefined {
  for (const name of Object.keys(ENDPOINTS) as EndpointName[]) {
    const ep: Endpoint = ENDPOINTS[name];
    const re = new RegExp('^' + ep.path.replace('{version}', ep.version).replace(/\{\w+\}/g, '[^/]+') + '$');
    if (re.test(path)) return { name, endpoint: ep };
  }
  return undefined;
}

/** Paths that are not shop-scoped: never send shop_cipher to them (36009004 "Unexpected identifier"). */
export function isShopScoped(path: string): boolean {
  return !(path.startsWith('/authorization/') || path.startsWith('/seller/'));
}
