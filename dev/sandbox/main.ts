/**
 * `npm run sandbox`: starts the local TikTok Shop sandbox with the demo app and a default seed,
 * on a ticking clock, and prints how to use it.
 *   npm run sandbox -- [--seed 1] [--port 8787] [--days 60] [--orders-per-day 200] [--currency JPY] [--frozen] [--log]
 */
import { startSandbox, type SandboxOptions } from './server';

function parse(argv: string[]): SandboxOptions {
  const o: SandboxOptions = { ticking: true, shop: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const n = () => {
      const x = Number(argv[++i]);
      if (!Number.isFinite(x)) throw new Error(`${a} needs a number`);
      return x;
    };
    switch (a) {
      case '--seed': o.seed = n(); break;
      case '--port': o.port = n(); break;
      case '--days': o.shop!.days = n(); break;
      case '--orders-per-day': o.shop!.ordersPerDay = n(); break;
      case '--currency': o.shop!.currency = argv[++i]; break;
      case '--start-time': o.startTime = n(); break;
      case '--frozen': o.ticking = false; break;
      case '--log': o.log = true; break;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  return o;
}

async function main(): Promise<void> {
  const sb = await startSandbox(parse(process.argv.slice(2)));
  const code = sb.authorize();
  const lines = [
    `TikTok Shop sandbox listening on ${sb.url}`,
    `  Partner API base:   ${sb.url}            (e.g. GET /authorization/202309/shops)`,
    `  Auth host base:     ${sb.url}            (GET /api/v2/token/get, /api/v2/token/refresh)`,
    `  app_key:            ${sb.appKey}`,
    `  app_secret:         ${sb.appSecret}`,
    `  shop:               ${sb.shop.name} (id ${sb.shop.id}, cipher ${sb.shop.cipher})`,
    `  sandbox clock:      ${sb.clock.now()} (${new Date(sb.clock.now() * 1000).toISOString()})`,
    '',
    `An auth code for the demo seller (single use, 30 minutes): ${code}`,
    `More codes:  curl '${sb.url}/sandbox/authorize?app_key=${sb.appKey}&state=xyz'`,
    `             (add &redirect_uri=... to be redirected with ?code=…&state=…)`,
    `Tokens:      curl '${sb.url}/api/v2/token/get?app_key=${sb.appKey}&app_secret=${sb.appSecret}&auth_code=<code>&grant_type=authorized_code'`,
    `Marketing API base: ${sb.url}            (GET /open_api/v1.3/report/integrated/get/, /open_api/v1.3/gmv_max/report/get/)`,
    `  Access-Token:       ${sb.advertiserToken}`,
    ...sb.advertisers().map((a) => `  advertiser_id:      ${a.advertiserId} (timezone ${a.timezone}, ${a.currency})`),
    `Scopes:      all granted; POST /sandbox/scopes {"scopes":[...]} to withdraw some (105005)`,
    `Control:     GET /sandbox/state · POST /sandbox/clock {"advance":86400} · POST /sandbox/faults {"errorShare":0.2}`,
    `             POST /sandbox/faults/reset · POST /sandbox/tokens/expire`,
    'Ctrl-C to stop.',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const stop = () => { void sb.close().then(() => process.exit(0)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
