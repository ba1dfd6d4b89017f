// What the page needs only after its first generation, fetched on first use: what js/browser.js
// builds on the module's calls (fleets, the expiry report, the file checks, the device's code)
// and, apart, the zip writer and reader, and the REST calls of "Send to Tempus" with the check of
// the page's connect-src (www/csp.js; the policy's sources are written into the page at build).
// The single-file page, which may connect nowhere, has no Send panel and does not hold the REST
// code at all: OFFLINE is set per build (webpack.config.js). The lists name what the panels take, so a bundle keeps only those.
/* global OFFLINE */
export const later = () => import(/* webpackExports: ["generateMany", "parseNames", "patternNames", "toManifestCsv", "toThingsBoardCsv", "parseCsv", "csvValue", "checkExpiry", "checkDeviceFiles", "deviceFiles"] */ '../js/browser.js');
export const zipping = () => import('./zip.js');
export const policy = () => import('./csp.js');
export const rest = () => (OFFLINE
  ? Promise.reject(new Error('This page connects nowhere: use the served page or tempus-certgen provision'))
  : import(/* webpackExports: ["provisionDevice", "provisionMany", "checkBaseUrl"] */ '../js/browser.js'));
