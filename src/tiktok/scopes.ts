/**
 * Scopes (reference §2): which scope each endpoint needs, from the one table in versions.ts.
 * request.ts already names the scope in a 105005 MissingScopeError via endpointOfPath; this
 * module answers the same question before calling (e.g. from the token's granted_scopes, to
 * tell the seller up front which scope to add in Partner Center).
 */
import { ENDPOINTS, endpointOfPath, type EndpointName } from './versions';

/** The scope an endpoint needs. */
export function scopeOf(name: EndpointName): string {
  return ENDPOINTS[name].scope;
}

/** The scope of a concrete path ("/finance/202309/statements"), or null when not in the table. */
export function scopeOfPath(path: string): string | null {
  return endpointOfPath(path)?.endpoint.scope ?? null;
}

/** Every scope the add-on uses, in table order, without repeats. */
export function requiredScopes(names: readonly EndpointName[] = Object.keys(ENDPOINTS) as EndpointName[]): string[] {
  return Array.from(new Set(names.map(scopeOf)));
}

/** For each scope not in `granted`, the endpoints that need it (empty: everything granted). */
export function missingScopes(granted: readonly string[], names: readonly EndpointName[] = Object.keys(ENDPOINTS) as EndpointName[]): { scope: string; endpoints: EndpointName[] }[] {
  const have = new Set(granted);
  const out = new Map<string, EndpointName[]>();
  for (const n of names) {
    const s = scopeOf(n);
    if (have.has(s)) continue;
    const list = out.get(s) ?? [];
    list.push(n);
    out.set(s, list);
  }
  return Array.from(out, ([scope, endpoints]) => ({ scope, endpoints }));
}
