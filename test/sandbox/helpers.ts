/**
 * The tests' own small TikTok Shop request signer and caller (independent of src/tiktok and
 * of the sandbox's verifier), following reference §1 literally.
 */
import { createHmac } from 'node:crypto';
import type { Sandbox } from '../../dev/sandbox/server';

export function signRequest(secret: string, path: string, params: Record<string, string>, body = ''): string {
  const keys = Object.keys(params).filter((k) => k !== 'sign' && k !== 'access_token').sort();
  const s = secret + path + keys.map((k) => k + params[k]).join('') + body + secret;
  return createHmac('sha256', secret).update(s).digest('hex');
}

export interface Reply {
  status: number;
  json: { code: number; message: string; request_id: string; data: any };
}

export interface CallOptions {
  params?: Record<string, string>;
  body?: unknown;
  token?: string;
  cipher?: string | null;
  timestamp?: number;
  sign?: (s: string) => string;
}

export async function call(sb: Sandbox, method: 'GET' | 'POST', path: string, o: CallOptions = {}): Promise<Reply> {
  const params: Record<string, string> = { app_key: sb.appKey, timestamp: String(o.timestamp ?? sb.clock.now()), ...o.params };
  if (o.cipher) params.shop_cipher = o.cipher;
  const body = method === 'POST' ? JSON.stringify(o.body ?? {}) : '';
  const sign = signRequest(sb.appSecret, path, params, body);
  params.sign = o.sign ? o.sign(sign) : sign;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.token) headers['x-tts-access-token'] = o.token;
  const res = await fetch(`${sb.url}${path}?${new URLSearchParams(params).toString()}`, { method, headers, body: method === 'POST' ? body : undefined });
  return { status: res.status, json: await res.json() as Reply['json'] };
}

export async function getJson(url: string): Promise<Reply> {
  const res = await fetch(url);
  return { status: res.status, json: await res.json() as Reply['json'] };
}

export async function tokens(sb: Sandbox): Promise<{ access_token: string; refresh_token: string; access_token_expire_in: number; refresh_token_expire_in: number }> {
  const code = sb.authorize();
  const r = await getJson(`${sb.url}/api/v2/token/get?${new URLSearchParams({ app_key: sb.appKey, app_secret: sb.appSecret, auth_code: code, grant_type: 'authorized_code' })}`);
  if (r.json.code !== 0) throw new Error(`token/get: ${JSON.stringify(r.json)}`);
  return r.json.data;
}
