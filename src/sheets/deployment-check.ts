/**
 * "Check this deployment": what only a real Apps Script deployment can settle, checked against
 * the real services, each with what passed and what to do, in plain words. The local runtime
 * follows Google's rules as far as they are documented; these are the points it cannot prove
 * (docs/limits.md, docs/deploy.md):
 * - UrlFetchApp sends the Content-Type on a GET without a payload (TikTok answers 36009004 without it);
 * - Apps Script's V8 has the time zones (Intl) the shop calendar needs;
 * - the OAuth callback: a state token can be made, and the redirect URI TikTok must know;
 * - a time-driven trigger can be created (the schedule) — not in a test deployment;
 * - the spreadsheet's time zone against the shop's.
 * Pure over a small set of deps: addon.ts passes the real services.
 */
import { dayKey, startOfDay } from '../core/time';
import { TikTokApiError } from '../tiktok/errors';

export type CheckStatus = 'passed' | 'failed' | 'warning' | 'not checked';

export interface DeploymentCheck {
  check: string;
  status: CheckStatus;
  /** What was seen. */
  detail: string;
  /** What to do ('' when nothing). */
  todo: string;
}

export interface DeploymentDeps {
  /** A GET to TikTok's API with the stored token (Get Authorized Shops); null when no shop is connected. */
  tiktokGet: (() => void) | null;
  /** ScriptApp.newStateToken()…createToken() for the OAuth callback. */
  newStateToken(): string;
  /** The redirect URI to register with TikTok: https://script.google.com/macros/d/{script id}/usercallback. */
  redirectUri(): string;
  /** Creates the schedule's time-driven trigger and deletes it at once. */
  createAndDeleteTrigger(): void;
  spreadsheetTimeZone(): string;
  /** The shop's time zone (the Settings tab); null when no shop is connected yet. */
  shopTimeZone(): string | null;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function contentTypeOnGet(deps: DeploymentDeps): DeploymentCheck {
  const check = 'Content-Type on a GET request to TikTok';
  if (!deps.tiktokGet) return { check, status: 'not checked', detail: 'No TikTok shop is connected in this workbook.', todo: 'Connect a shop in the sidebar, then run the check again.' };
  try {
    deps.tiktokGet();
    return { check, status: 'passed', detail: 'TikTok accepted a GET request (the list of authorized shops): UrlFetchApp sends the Content-Type header on it.', todo: '' };
  } catch (e) {
    if (e instanceof TikTokApiError && e.code === 36009004 && /content.?type/i.test(e.apiMessage)) {
      return {
        check, status: 'failed', detail: `TikTok refused the GET request for its Content-Type: ${e.message}`,
        todo: 'UrlFetchApp does not send the contentType option on a GET without a payload here: refresh cannot work. Report this to the add-on\'s developers with the message above.',
      };
    }
    return { check, status: 'not checked', detail: `The request failed for another reason: ${messageOf(e)}`, todo: 'Reconnect the shop in the sidebar (Connect), then run the check again.' };
  }
}

/** Known answers: the start of a shop day and the day of an instant, across DST changes. */
const TZ_CASES: { tz: string; day: string; start: number }[] = [
  { tz: 'America/Los_Angeles', day: '2026-03-08', start: 1772956800 }, // the day DST starts: midnight is still PST (UTC−8)
  { tz: 'America/Los_Angeles', day: '2026-11-01', start: 1793516400 }, // the day DST ends: midnight is PDT (UTC−7)
  { tz: 'Europe/London', day: '2026-07-01', start: 1782860400 }, // BST (UTC+1)
  { tz: 'Asia/Jakarta', day: '2026-01-15', start: 1768410000 }, // WIB (UTC+7)
  { tz: 'Asia/Manila', day: '2026-01-15', start: 1768406400 }, // UTC+8
];

function intlTimeZones(): DeploymentCheck {
  const check = 'Time zones (Intl) in Apps Script';
  const wrong: string[] = [];
  for (const c of TZ_CASES) {
    try {
      const start = startOfDay(c.day, c.tz);
      const back = dayKey(c.start, c.tz);
      if (start !== c.start || back !== c.day) wrong.push(`${c.tz} ${c.day}: day starts at ${start}, expected ${c.start}`);
    } catch (e) {
      wrong.push(`${c.tz}: ${messageOf(e)}`);
    }
  }
  if (wrong.length === 0) return { check, status: 'passed', detail: `Shop days come out right in ${TZ_CASES.length} cases across time zones and daylight-saving changes.`, todo: '' };
  return {
    check, status: 'failed', detail: `Shop days come out wrong: ${wrong.join('; ')}.`,
    todo: 'Days, weeks and months on the report tabs would be wrong: report this to the add-on\'s developers with the message above.',
  };
}

function oauthCallback(deps: DeploymentDeps): DeploymentCheck {
  const check = 'The TikTok authorization callback';
  try {
    const token = deps.newStateToken();
    if (typeof token !== 'string' || token.length < 10) throw new Error(`the state token is ${JSON.stringify(token)}`);
    return {
      check, status: 'passed', detail: `A state token for the callback was made. TikTok sends the seller back to ${deps.redirectUri()}.`,
      todo: 'In TikTok Partner Center, the app\'s redirect URL must be exactly that address (it changes with each script project).',
    };
  } catch (e) {
    return { check, status: 'failed', detail: `No state token could be made: ${messageOf(e)}`, todo: 'Authorize the add-on again (Extensions > TikTok Shop Profit), then run the check again.' };
  }
}

function trigger(deps: DeploymentDeps): DeploymentCheck {
  const check = 'Scheduled refresh (a time-driven trigger)';
  try {
    deps.createAndDeleteTrigger();
    return { check, status: 'passed', detail: 'An hourly trigger was created and deleted again.', todo: '' };
  } catch (e) {
    return {
      check, status: 'failed', detail: `No trigger could be created: ${messageOf(e)}`,
      todo: 'A test deployment cannot create triggers (Google\'s rule): the schedule works once the add-on is installed from a versioned deployment. Elsewhere, delete triggers you no longer need (20 per user per script).',
    };
  }
}

function timeZones(deps: DeploymentDeps): DeploymentCheck {
  const check = "The spreadsheet's time zone and the shop's";
  const sheet = deps.spreadsheetTimeZone();
  const shop = deps.shopTimeZone();
  if (shop === null) return { check, status: 'not checked', detail: `The spreadsheet is set to ${sheet}; no shop is connected yet.`, todo: 'Connect a shop, then run the check again.' };
  if (sheet === shop) return { check, status: 'passed', detail: `Both are ${shop}.`, todo: '' };
  return {
    check, status: 'warning', detail: `The spreadsheet is set to ${sheet}, the shop's days are in ${shop}.`,
    todo: `Dates you type (COGS "Effective from", fixed costs) are read in the spreadsheet's zone and the daily schedule runs at its hours. Set File > Settings > Time zone to ${shop} unless you mean otherwise.`,
  };
}

/** Runs every check; one failing never stops the others. */
export function checkDeployment(deps: DeploymentDeps): DeploymentCheck[] {
  const guard = (check: string, f: () => DeploymentCheck): DeploymentCheck => {
    try {
      return f();
    } catch (e) {
      return { check, status: 'failed', detail: messageOf(e), todo: 'Report this to the add-on\'s developers with the message above.' };
    }
  };
  return [
    guard('Content-Type on a GET request to TikTok', () => contentTypeOnGet(deps)),
    guard('Time zones (Intl) in Apps Script', () => intlTimeZones()),
    guard('The TikTok authorization callback', () => oauthCallback(deps)),
    guard('Scheduled refresh (a time-driven trigger)', () => trigger(deps)),
    guard("The spreadsheet's time zone and the shop's", () => timeZones(deps)),
  ];
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const MARK: Record<CheckStatus, string> = { passed: '✓ Passed', failed: '✗ Failed', warning: '! Check', 'not checked': '– Not checked' };

/** The checks as the dialog shows them. */
export function deploymentCheckHtml(checks: readonly DeploymentCheck[]): string {
  const items = checks.map((c) => `<li><b>${MARK[c.status]}: ${escape(c.check)}</b><br>${escape(c.detail)}${c.todo ? `<br><i>${escape(c.todo)}</i>` : ''}</li>`).join('');
  return `<div style="font-family:Arial,sans-serif;font-size:13px;line-height:1.5"><ul style="padding-left:18px">${items}</ul></div>`;
}
