/**
 * What the sidebar shows about the add-on. Returned through google.script.run, so it must stay
 * JSON-serializable: plain objects, strings, numbers, booleans (no Date, no class instances).
 */

/** Replaced by package.json's version at build time (esbuild `define` in build.mjs). */
declare const __ADDON_VERSION__: string;

export interface AddonStatus {
  addon: string;
  version: string;
  /** Whether a TikTok Shop is authorized; always false until the connection flow exists. */
  connected: boolean;
}

export function addonStatus(): AddonStatus {
  return {
    addon: 'TikTok Shop Profit',
    // Unbundled (a unit test importing this module) there is no build-time version.
    version: typeof __ADDON_VERSION__ === 'string' ? __ADDON_VERSION__ : 'dev',
    connected: false,
  };
}
