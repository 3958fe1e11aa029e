/**
 * The consent dialog of a user whose `promptAnswer` is `ask`: when a runtime call answers PROMPT_REQUIRED, the
 * connection's prompt handler plays the dialog (the in-page sheet in a browser, `onPrompt` or accept in Node), the
 * answer goes to the platform (`POST …/prompt`, remembered as the grant), and an accepted call is sent again; a
 * refused one fails with `auth deny`, as a first refusal does on the phone. One dialog per scope at a time.
 * @see PROTOCOL.md §4
 */
import { authDenyErrMsg, failErrMsg } from '@openrun/core';
import type { AuthorizationPrompt, PromptHandler } from '../authorization-prompt.js';
import { ApiCallError, PromptRequiredError } from './api-call-error.js';
import type { RuntimeClient, RuntimeRequest } from './runtime-client.js';

/** Wraps a runtime client so PROMPT_REQUIRED replies are answered by `handler`. */
export function withPrompts(runtime: RuntimeClient, handler: PromptHandler): RuntimeClient {
  const open = new Map<string, Promise<'accept' | 'deny' | 'answered elsewhere'>>();

  const answer = (prompt: AuthorizationPrompt, request: RuntimeRequest): Promise<'accept' | 'deny' | 'answered elsewhere'> => {
    let pending = open.get(prompt.scope);
    if (!pending) {
      pending = (async () => {
        const choice: unknown = await handler(prompt);
        if (choice !== 'accept' && choice !== 'deny') {
          throw new ApiCallError(failErrMsg(request.api, `onPrompt must answer 'accept' or 'deny', got ${JSON.stringify(choice)}`));
        }
        const body = JSON.stringify({ scope: prompt.scope, answer: choice });
        try {
          await runtime.request({ api: request.api, method: 'POST', path: '/prompt', body, timeout: request.timeout });
          return choice;
        } catch (error) {
          // Answered meanwhile (another tab): the platform's remembered decision decides.
          if (error instanceof ApiCallError && error.errMsg.includes('OR_ERR_CONTROL_CONFLICT')) return 'answered elsewhere';
          throw error;
        }
      })().finally(() => open.delete(prompt.scope));
      open.set(prompt.scope, pending);
    }
    return pending;
  };

  return {
    async request(request) {
      try {
        return await runtime.request(request);
      } catch (error) {
        if (!(error instanceof PromptRequiredError)) throw error;
        // A refusal just given in the dialog is the first refusal (`auth deny`), not the remembered -12006 one.
        if ((await answer({ ...error.prompt, api: request.api }, request)) === 'deny') throw new ApiCallError(authDenyErrMsg(request.api));
      }
      return runtime.request(request);
    },
  };
}
