/**
 * Typed TikTok API errors. Every one carries the TikTok `code`, TikTok's own `message`, the
 * `request_id` (what TikTok support asks for) and the endpoint ("GET /order/202507/orders";
 * never the host or the query: token calls carry the app secret in the query).
 *
 * Error messages say what to do, for the person reading the sidebar.
 */

export const CODE = {
  OK: 0,
  INVALID_SIGN: 106001,
  ACCESS_TOKEN_EXPIRED: 105002,
  MISSING_SCOPE: 105005,
  SHOP_CIPHER_MISSING: 106013,
  INVALID_ACCESS_TOKEN: 101000,
  BAD_REQUEST_IDENTITY: 36009004,
  IP_NOT_ALLOWED: 36009033,
  TOO_MANY_REQUESTS: 36009002,
  INTERNAL_ERROR: 36009003,
  AUTH_RECORD_NOT_FOUND: 36004005,
  REFRESH_TOKEN_EXPIRED: 36004001,
} as const;

export interface ApiErrorInit {
  /** TikTok's `code`; null when there was no TikTok envelope (transport failure, HTML error page). */
  code: number | null;
  apiMessage: string;
  requestId: string;
  endpoint: string;
  httpStatus: number | null;
  /** Our explanation; defaults to TikTok's message. */
  explanation?: string;
}

export class TikTokApiError extends Error {
  readonly code: number | null;
  readonly apiMessage: string;
  readonly requestId: string;
  readonly endpoint: string;
  readonly httpStatus: number | null;
  constructor(init: ApiErrorInit) {
    const details = [
      init.code !== null ? `code ${init.code}` : null,
      init.httpStatus !== null ? `HTTP ${init.httpStatus}` : null,
      init.requestId ? `request_id ${init.requestId}` : null,
    ].filter((x) => x !== null).join(', ');
    const why = init.explanation ?? (init.apiMessage || 'TikTok returned an error');
    super(`${init.endpoint}: ${why}${details ? ` (${details})` : ''}`);
    this.name = 'TikTokApiError';
    this.code = init.code;
    this.apiMessage = init.apiMessage;
    this.requestId = init.requestId;
    this.endpoint = init.endpoint;
    this.httpStatus = init.httpStatus;
  }
}

/** 106001: the signature did not match. Never retried. */
export class InvalidSignatureError extends TikTokApiError {
  constructor(init: ApiErrorInit) {
    super({ ...init, explanation: 'TikTok rejected the request signature (invalid sign). Check that the app secret saved in the add-on matches the app key in TikTok Partner Center' });
    this.name = 'InvalidSignatureError';
  }
}

/** 105005: the app lacks a scope. Never retried: the seller must grant it and re-authorize. */
export class MissingScopeError extends TikTokApiError {
  readonly scope: string | null;
  constructor(init: ApiErrorInit, scope: string | null) {
    const what = scope ? `the "${scope}" scope` : 'the scope this API needs';
    super({ ...init, explanation: `the app is not allowed to call this API: add ${what} to the app in TikTok Partner Center, then re-authorize the shop (TikTok said: ${init.apiMessage || 'missing scope'})` });
    this.name = 'MissingScopeError';
    this.scope = scope;
  }
}

/** 36009004 caused by the timestamp: this computer's clock is off. */
export class ClockSkewError extends TikTokApiError {
  /** Our clock minus TikTok's (from its Date header), seconds; null when unknown. */
  readonly skewSeconds: number | null;
  constructor(init: ApiErrorInit, skewSeconds: number | null) {
    const how = skewSeconds === null
      ? 'the request timestamp is outside the window TikTok accepts (at most 5 minutes behind and 30 seconds ahead of its clock)'
      : `this computer's clock is ${Math.abs(skewSeconds)} s ${skewSeconds > 0 ? 'ahead of' : 'behind'} TikTok's (TikTok accepts at most 5 minutes behind and 30 seconds ahead)`;
    super({ ...init, explanation: `clock skew: ${how}; correct the system clock and try again (TikTok said: ${init.apiMessage || 'invalid request'})` });
    this.name = 'ClockSkewError';
    this.skewSeconds = skewSeconds;
  }
}

/** The shop must be connected again (no token, refresh token expired or revoked: 36004001/36004005). */
export class ReauthorizationRequiredError extends TikTokApiError {
  constructor(init: ApiErrorInit) {
    super({ ...init, explanation: `${init.explanation ?? init.apiMessage}. Reconnect the shop: open the sidebar and authorize the add-on again` });
    this.name = 'ReauthorizationRequiredError';
  }
}

/** The request could not be completed (transport failure, 429 or 5xx) within the retry bounds. */
export class RetryExhaustedError extends TikTokApiError {
  readonly attempts: number;
  readonly last: TikTokApiError;
  constructor(last: TikTokApiError, attempts: number, reason: string) {
    super({
      code: last.code, apiMessage: last.apiMessage, requestId: last.requestId, endpoint: last.endpoint, httpStatus: last.httpStatus,
      explanation: `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'} (${reason}); last error: ${last.apiMessage}. Try again later`,
    });
    this.name = 'RetryExhaustedError';
    this.attempts = attempts;
    this.last = last;
  }
}

/** Paging returned a page token it had already returned: the loop is stopped. */
export class PagingLoopError extends Error {
  constructor(readonly endpoint: string, readonly pageToken: string, readonly pages: number) {
    super(`${endpoint}: TikTok returned page token ${JSON.stringify(pageToken.length > 40 ? pageToken.slice(0, 37) + '...' : pageToken)} a second time after ${pages} pages; stopped to avoid an endless loop. Try again; if it repeats, narrow the time window`);
    this.name = 'PagingLoopError';
  }
}
