import { collectPages, forEachPage, nextPageTokenOf, listOf } from '../../src/tiktok/paging';
import { PagingLoopError } from '../../src/tiktok/errors';
import { DataError } from '../../src/core/errors';

function pager(pages: Record<string, { items: number[]; next: string }>) {
  const asked: (string | undefined)[] = [];
  const fetch = (t: string | undefined) => {
    asked.push(t);
    const p = pages[t ?? ''];
    return { items: p.items, nextPageToken: p.next };
  };
  return { fetch, asked };
}

describe('paging', () => {
  test('pages to exhaustion: first page without a token, stops on ""', () => {
    const { fetch, asked } = pager({ '': { items: [1, 2], next: 't1' }, t1: { items: [3], next: 't2' }, t2: { items: [], next: '' } });
    expect(collectPages('GET /x', fetch)).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, 't1', 't2']);
  });

  test('a repeated token is a loop, stopped with a clear error', () => {
    const { fetch } = pager({ '': { items: [1], next: 'a' }, a: { items: [2], next: 'b' }, b: { items: [3], next: 'a' } });
    expect(() => collectPages('POST /order/202309/orders/search', fetch)).toThrow(PagingLoopError);
    expect(() => collectPages('POST /order/202309/orders/search', fetch)).toThrow(/POST \/order\/202309\/orders\/search: TikTok returned page token "a" a second time after 3 pages/);
  });

  test('a page returning its own token is a loop', () => {
    const { fetch } = pager({ '': { items: [1], next: 'a' }, a: { items: [2], next: 'a' } });
    expect(() => collectPages('GET /x', fetch)).toThrow(PagingLoopError);
  });

  test('maxPages returns the resume token; startToken resumes', () => {
    const { fetch, asked } = pager({ '': { items: [1], next: 'a' }, a: { items: [2], next: 'b' }, b: { items: [3], next: '' } });
    const seen: [number[], string][] = [];
    const r1 = forEachPage('GET /x', fetch, (items, next) => seen.push([items, next]), { maxPages: 2 });
    expect(r1).toEqual({ pages: 2, nextPageToken: 'b' });
    const r2 = forEachPage('GET /x', fetch, (items, next) => seen.push([items, next]), { startToken: r1.nextPageToken });
    expect(r2).toEqual({ pages: 1, nextPageToken: '' });
    expect(seen).toEqual([[[1], 'a'], [[2], 'b'], [[3], '']]);
    expect(asked).toEqual([undefined, 'a', 'b']);
  });

  test('next_page_token: absent or null = last page; a non-string is a DataError', () => {
    expect(nextPageTokenOf({}, 'GET /x')).toBe('');
    expect(nextPageTokenOf({ next_page_token: null }, 'GET /x')).toBe('');
    expect(nextPageTokenOf({ next_page_token: 'abc' }, 'GET /x')).toBe('abc');
    expect(() => nextPageTokenOf({ next_page_token: 5 }, 'GET /x')).toThrow(DataError);
    expect(listOf({ orders: null }, 'orders', 'GET /x')).toEqual([]);
    expect(() => listOf({ orders: {} }, 'orders', 'GET /x')).toThrow(/field "orders" expected a list/);
  });
});
