/**
 * Schemas shared by the runtime API routes.
 */
import { Type } from 'typebox';

/** `{appid}` path parameter. */
export const AppParams = Type.Object({ appid: Type.String({ minLength: 1, maxLength: 64 }) });

/** An empty success body. */
export const EmptyReply = Type.Object({});

/** `{authSetting}` body and reply. */
export const AuthSettingBody = Type.Object({
  authSetting: Type.Record(Type.String({ maxLength: 64 }), Type.Boolean()),
});
