import { startAddonSession } from '../../dev/addon/session';
import { AppsScriptGateway } from '../../src/sheets/gateway-appsscript';
import { readTab } from '../../src/sheets/table';
import { DATA_TABS } from '../../src/sheets/tabs';
async function main() {
  const t0 = Date.now();
  const s = await startAddonSession({ seed: 3, shop: { days: 20, ordersPerDay: 30 } });
  try {
    console.log('started', Date.now() - t0, 'sb.now', s.sb.now, new Date(s.sb.now*1000).toISOString());
    s.install();
    console.log(await s.connect());
    await s.enterSellerInputs();
    const steps = s.refreshToDone();
    console.log('refresh', Date.now() - t0, JSON.stringify(steps));
    const gw = new AppsScriptGateway(s.rt.spreadsheet as any);
    for (const d of DATA_TABS) { const r = readTab(gw, d as any); console.log(d.tab, r.records.length, r.invalid.length); }
    console.log(s.rt.spreadsheet.getSheets().map((x: any) => x.getName()));
    console.log('props doc', JSON.stringify(s.rt.properties.document).slice(0, 500));
    console.log('clock', s.clock.nowMs()/1000, await s.sb.clockNow());
    const steps2 = s.refreshToDone();
    console.log('refresh2', Date.now() - t0, JSON.stringify(steps2));
  } finally { await s.close(); }
}
main();
