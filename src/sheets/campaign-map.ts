/**
 * The Campaign map tab: what each ad campaign promotes, and how it is paid. Refresh adds a row
 * for each campaign it meets for the first time, filled from what the Marketing API says (GMV Max
 * item ids, the Spark ad's creator, which report the spend came from); after that the row is the
 * seller's: refresh never changes it. Read at every rebuild, so an edit counts at once.
 *
 * Columns: Advertiser ID | Campaign ID | Campaign name | Paid from | Product IDs | Creator
 * - Paid from: "ad account" (card / balance: always a cost) or "shop GMV" (deducted from the
 *   settlements: counted from the statements, core/ad-spend.ts); blank = as the report says.
 * - Product IDs: TikTok Shop product ids, comma-separated (by-product allocation); blank = none.
 * - Creator: the creator's handle (their linked ad support on the Creators tab); blank = none.
 */
import type { CampaignMapEntry } from '../core/ad-spend';
import { escapeCell, type SheetGateway, type TabData } from './table';
import { normalizeHeader } from './tabs';

export const CAMPAIGN_MAP_TAB = 'Campaign map';
export const CAMPAIGN_MAP_HEADERS = ['Advertiser ID', 'Campaign ID', 'Campaign name', 'Paid from', 'Product IDs', 'Creator'] as const;
const PAID_FROM: Record<string, CampaignMapEntry['fundingSource']> = { 'ad account': 'AD_ACCOUNT', 'shop gmv': 'GMV_PAYMENT' };
const PAID_FROM_TEXT = { AD_ACCOUNT: 'ad account', GMV_PAYMENT: 'shop GMV' } as const;

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function text(v: unknown, row: number, column: string): string {
  if (blank(v)) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  throw new Error(`${CAMPAIGN_MAP_TAB} tab, row ${row}, ${column}: expected a text (an id typed as a number has lost digits: format the column as plain text and type it again), got ${String(v)}`);
}

/** The tab's rows (none when the tab does not exist yet). Errors name the row and column. */
export function readCampaignMap(gateway: SheetGateway): CampaignMapEntry[] {
  let data: TabData;
  try {
    data = gateway.read(CAMPAIGN_MAP_TAB);
  } catch (e) {
    // No tab yet (no ads account was ever connected): no map. Any other failure is reported.
    if (e instanceof Error && /tab does not exist/.test(e.message)) return [];
    throw e;
  }
  if (data.headers.length === 0 && data.rows.length === 0) return [];
  const col = (h: string) => data.headers.findIndex((x) => normalizeHeader(String(x)) === normalizeHeader(h));
  const at = CAMPAIGN_MAP_HEADERS.map(col);
  const missing = CAMPAIGN_MAP_HEADERS.filter((_, i) => at[i] < 0);
  if (missing.length > 0) throw new Error(`The ${CAMPAIGN_MAP_TAB} tab has lost its column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}: restore the header row (${CAMPAIGN_MAP_HEADERS.join(' | ')}).`);
  const out: CampaignMapEntry[] = [];
  const seen = new Map<string, number>();
  data.rows.forEach((r, i) => {
    const row = i + 2;
    if (r.every(blank)) return;
    const [adv, camp, name, paid, products, creator] = at.map((k) => r[k]);
    const advertiserId = text(adv, row, 'Advertiser ID');
    const campaignId = text(camp, row, 'Campaign ID');
    if (!advertiserId || !campaignId) throw new Error(`${CAMPAIGN_MAP_TAB} tab, row ${row}: expected an Advertiser ID and a Campaign ID (or clear the row)`);
    const key = `${advertiserId}/${campaignId}`;
    if (seen.has(key)) throw new Error(`${CAMPAIGN_MAP_TAB} tab, row ${row}: campaign ${campaignId} of ad account ${advertiserId} is already in row ${seen.get(key)}; keep one row per campaign`);
    seen.set(key, row);
    const paidText = text(paid, row, 'Paid from').toLowerCase();
    if (paidText !== '' && !(paidText in PAID_FROM)) throw new Error(`${CAMPAIGN_MAP_TAB} tab, row ${row}, Paid from: expected "ad account" or "shop GMV" (or blank), got "${paidText}"`);
    const productText = text(products, row, 'Product IDs');
    out.push({
      advertiserId, campaignId, campaignName: text(name, row, 'Campaign name'),
      fundingSource: paidText === '' ? null : PAID_FROM[paidText],
      productIds: productText === '' ? [] : productText.split(',').map((s) => s.trim()).filter(Boolean),
      creatorUsername: text(creator, row, 'Creator') || null,
    });
  });
  return out;
}

/**
 * Adds rows for campaigns not on the tab yet (one write, only when there is something new);
 * the seller's rows are written back exactly as read. Returns the number of rows added.
 */
export function addCampaigns(gateway: SheetGateway, entries: readonly CampaignMapEntry[]): number {
  gateway.ensureTab(CAMPAIGN_MAP_TAB, CAMPAIGN_MAP_HEADERS);
  const existing = readCampaignMap(gateway);
  const have = new Set(existing.map((e) => `${e.advertiserId}/${e.campaignId}`));
  const fresh = entries.filter((e) => !have.has(`${e.advertiserId}/${e.campaignId}`));
  if (fresh.length === 0) return 0;
  const data = gateway.read(CAMPAIGN_MAP_TAB);
  const width = data.headers.length;
  const col = (h: string) => data.headers.findIndex((x) => normalizeHeader(String(x)) === normalizeHeader(h));
  const rows = data.rows.filter((r) => !r.every(blank)).map((r) => r.map(escapeCell));
  for (const e of fresh) {
    const row: unknown[] = new Array(width).fill('');
    const set = (h: string, v: string) => { row[col(h)] = escapeCell(v); };
    set('Advertiser ID', e.advertiserId);
    set('Campaign ID', e.campaignId);
    set('Campaign name', e.campaignName);
    set('Paid from', e.fundingSource ? PAID_FROM_TEXT[e.fundingSource] : '');
    set('Product IDs', e.productIds.join(', '));
    set('Creator', e.creatorUsername ?? '');
    rows.push(row);
  }
  gateway.write(CAMPAIGN_MAP_TAB, { headers: data.headers.map((h) => String(escapeCell(h))), rows, sameHeaders: true });
  return fresh.length;
}
