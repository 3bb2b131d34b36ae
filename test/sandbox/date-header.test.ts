/**
 * The sandbox's Date header is its own clock: a frozen clock in 2025 must not answer with
 * today's date, or the client would take a bad parameter for clock skew.
 */
import { startSandbox, type Sandbox } from '../../dev/sandbox/server';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({});
});
afterAll(async () => {
  await sb.close();
});

test('responses carry the sandbox clock in their Date header, also after the clock moves', async () => {
  const first = await fetch(`${sb.url}/authorization/202309/shops`);
  expect(Date.parse(first.headers.get('date')!) / 1000).toBe(sb.clock.now());
  sb.clock.advance(86400 + 7);
  const second = await fetch(`${sb.url}/authorization/202309/shops`);
  expect(Date.parse(second.headers.get('date')!) / 1000).toBe(sb.clock.now());
});
