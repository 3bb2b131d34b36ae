/**
 * Token paging (reference §4): call with no page_token, then with each `next_page_token`
 * until it is the empty string. An absent or null next_page_token is read as "" (the last
 * page): TikTok's JSON omits empty fields in places. A token seen before means the server is
 * looping; we stop with PagingLoopError instead of fetching forever.
 */
import { DataError } from '../core/errors';
import { PagingLoopError } from './errors';

export interface Page<T> {
  items: T[];
  /** "" on the last page. */
  nextPageToken: string;
}

export interface PagingOptions {
  /** Resume from a checkpointed token (undefined: the first page). */
  startToken?: string;
  /** Stop after this many pages (a bounded chunk of a long sync); the returned token resumes. */
  maxPages?: number;
}

export interface PagingResult {
  pages: number;
  /** "" when exhausted; otherwise the token to resume from (maxPages reached). */
  nextPageToken: string;
}

/**
 * Pages through an endpoint, handing each page to `onPage` (write it and checkpoint the token
 * there, so a killed execution resumes without losing or duplicating a page).
 */
export function forEachPage<T>(
  endpoint: string,
  fetchPage: (pageToken: string | undefined) => Page<T>,
  onPage: (items: T[], nextPageToken: string) => void,
  options: PagingOptions = {},
): PagingResult {
  const seen = new Set<string>();
  let token = options.startToken;
  if (token !== undefined) seen.add(token);
  let pages = 0;
  for (;;) {
    const page = fetchPage(token);
    pages++;
    onPage(page.items, page.nextPageToken);
    const next = page.nextPageToken;
    if (next === '') return { pages, nextPageToken: '' };
    if (seen.has(next)) throw new PagingLoopError(endpoint, next, pages);
    seen.add(next);
    token = next;
    if (options.maxPages !== undefined && pages >= options.maxPages) return { pages, nextPageToken: next };
  }
}

/** Every item of every page, in order. */
export function collectPages<T>(endpoint: string, fetchPage: (pageToken: string | undefined) => Page<T>): T[] {
  const all: T[] = [];
  forEachPage(endpoint, fetchPage, (items) => {
    for (const it of items) all.push(it);
  });
  return all;
}

/** Reads `next_page_token` from a response's data: a string, or absent/null = "". */
export function nextPageTokenOf(data: unknown, endpoint: string): string {
  const v = data !== null && typeof data === 'object' ? (data as Record<string, unknown>).next_page_token : undefined;
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new DataError({ record: `response (${endpoint})`, field: 'next_page_token', expected: 'a text', got: v });
  return v;
}

/** Reads an array field of a response's data (absent/null = empty page). */
export function listOf(data: unknown, field: string, endpoint: string): unknown[] {
  const v = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[field] : undefined;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new DataError({ record: `response (${endpoint})`, field, expected: 'a list', got: v });
  return v;
}
