/**
 * `@openrun/client/testing`: helpers for the test suite of a mini-program codebase.
 */
export { installGlobals, OVERLAID_APIS, uninstallGlobals } from './install-globals.js';
export type { InstalledGlobals, InstallGlobalsOptions } from './install-globals.js';
