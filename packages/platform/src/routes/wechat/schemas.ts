/**
 * Schemas shared by the WeChat and QQ developer API routes.
 */
import { Type } from 'typebox';

/** A required query/body parameter: present and not empty. */
export const RequiredParam = Type.String({ minLength: 1, maxLength: 2048 });

/** An optional parameter whose absence the domain rule reports with its own errcode. */
export const OptionalParam = Type.Optional(Type.String({ maxLength: 2048 }));

/** The token endpoints' success body. */
export const AccessTokenReply = Type.Object({ access_token: Type.String(), expires_in: Type.Integer() });
