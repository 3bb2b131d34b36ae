/**
 * Entry point of a sandbox running in its own process (started by dev/sandbox/child.ts
 * `startSandboxChild`). The options come as JSON in argv[2]; the parent talks over the fork IPC
 * channel: this process sends {type: 'ready', info} once listening, then answers each
 * {id, op, arg} with {id, ok, result | error}. It closes the server and exits on `close`, and on
 * its own when the parent goes away (disconnect), so it is never left running.
 */
import { startSandbox, type Sandbox, type SandboxOptions } from './server';

type Op = 'now' | 'setClock' | 'advanceClock' | 'setFaults' | 'clearFaults' | 'expireAccessTokens' | 'authorize' | 'state' | 'revokeAdsTokens' | 'close';

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('child-main.ts must be started by startSandboxChild (fork with IPC)');
  const options = JSON.parse(process.argv[2] ?? '{}') as SandboxOptions;
  const sb: Sandbox = await startSandbox(options);
  let closing = false;
  const shutdown = async (code: number) => {
    if (closing) return;
    closing = true;
    await sb.close().catch(() => undefined);
    process.exit(code);
  };
  process.on('disconnect', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('message', (m: { id: number; op: Op; arg?: unknown }) => {
    const reply = (result: unknown) => send({ id: m.id, ok: true, result });
    try {
      switch (m.op) {
        case 'now': return void reply(sb.clock.now());
        case 'setClock': sb.clock.set(m.arg as number); return void reply(sb.clock.now());
        case 'advanceClock': sb.clock.advance(m.arg as number); return void reply(sb.clock.now());
        case 'setFaults': sb.faults.set(m.arg as object); return void reply(sb.faults.get());
        case 'clearFaults': sb.faults.clear(); return void reply(sb.faults.get());
        case 'expireAccessTokens': sb.faults.expireAccessTokens(); return void reply(null);
        case 'authorize': return void reply(sb.authorize());
        case 'state': { const s = sb.snapshot(); return void reply({ now: sb.clock.now(), asOf: s.asOf, orders: s.data.orders.length, statements: s.data.statements.length }); }
        case 'revokeAdsTokens': sb.revokeAdsTokens(); return void reply(null);
        case 'close': reply(null); return void shutdown(0);
        default: send({ id: m.id, ok: false, error: `unknown op ${String(m.op)}` });
      }
    } catch (e) {
      send({ id: m.id, ok: false, error: (e as Error).message });
    }
  });
  send({ type: 'ready', info: { url: sb.url, appKey: sb.appKey, appSecret: sb.appSecret, shop: sb.shop, now: sb.clock.now(), adsAppId: sb.adsAppId, adsSecret: sb.adsSecret } });
}

main().catch((e: unknown) => {
  process.stderr.write(`sandbox child: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
