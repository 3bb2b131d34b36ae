import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, requireProgram } from '../../dev/tools/programs';

/**
 * The Chromium the sidebar tests drive: the one the test command's preparation found
 * (dev/tools/programs.ts). None: this throws at once with the line that says what to install,
 * so a suite calls it first, before it starts anything it would have to stop.
 */
export function sidebarChromium(): string {
  return requireProgram(CHROMIUM);
}

/** That Chromium, headless. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
}

/**
 * google.script.run as the sidebar page sees it: withSuccessHandler/withFailureHandler chains, then
 * any server function name; the call goes to Node (window.__gasRun, exposed by the test) and its
 * result comes back as JSON. Shared by the sidebar's browser tests.
 */
export const GAS_RUN_SHIM = `(() => {
  function runner(ok, fail) {
    return new Proxy({}, {
      get(_, prop) {
        if (prop === 'withSuccessHandler') return (f) => runner(f, fail);
        if (prop === 'withFailureHandler') return (f) => runner(ok, f);
        if (prop === 'withUserObject') return () => runner(ok, fail);
        if (typeof prop !== 'string' || prop === 'then') return undefined;
        return (...args) => {
          window.__gasRun(prop, JSON.stringify(args)).then((text) => {
            const r = JSON.parse(text);
            if (r.ok) { if (ok) ok(r.value); }
            else { const e = new Error(r.message); e.name = 'ScriptError'; if (fail) fail(e); }
          });
        };
      },
    });
  }
  window.google = { script: { run: runner(null, null), host: { close() {} } } };
})();`;
