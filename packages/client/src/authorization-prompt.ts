/**
 * The consent dialog as `connect()` sees it, for users whose `promptAnswer` is `ask`: what is asked, and who answers
 * (`onPrompt`; by default the in-page sheet in a browser, accept in Node).
 * @see PROTOCOL.md §4
 */
import type { RuntimePrompt } from '@openrun/core';
import { showAuthorizationSheet } from './authorization-sheet.js';

/** The dialog to answer: the scope, the mini program's name, whose dialog (WeChat / QQ) and the API that asked. */
export interface AuthorizationPrompt extends RuntimePrompt {
  /** The API whose call opened the dialog, e.g. `getWeRunData` or `authorize`. */
  api: string;
}

/** The user's answer in the dialog. */
export type AuthorizationAnswer = 'accept' | 'deny';

/** Plays the user in the dialog. */
export type PromptHandler = (prompt: AuthorizationPrompt) => AuthorizationAnswer | Promise<AuthorizationAnswer>;

/** The default handler: the in-page sheet where there is a document to show it in, else accept. */
export const defaultPromptHandler: PromptHandler = (prompt) =>
  typeof document !== 'undefined' && document.body ? showAuthorizationSheet(prompt) : 'accept';
