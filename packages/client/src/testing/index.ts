/**
 * `@openrun/client/testing`: helpers for the test suite of a mini-program codebase.
 */
export { installGlobals, uninstallGlobals } from './install-globals.js';
export type { InstalledGlobals, InstallGlobalsOptions } from './install-globals.js';
