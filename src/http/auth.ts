// Bearer-key authentication with scopes. The resolved key is put on the
// request context so handlers can tell who called (rate limits, audit). Keys
// are looked up through the app's key cache (key-cache.ts): a revoked key
// stops working within apiKeyCacheTtlMs.
import type { MiddlewareHandler } from 'hono';
import { type ApiScope, scopeAllows } from '../core/api-keys.ts';
import { AppError } from '../core/errors.ts';
import type { AppEnv } from './app-env.ts';
import { activeKey } from './key-cache.ts';

export function requireScope(scope: ApiScope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new AppError(401, 'unauthorized', 'send an API key as "Authorization: Bearer <key>"');
    }
    const key = await activeKey(c.get('deps'), match[1]!);
    if (!key) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new AppError(401, 'unauthorized', 'the API key is unknown or revoked');
    }
    if (!scopeAllows(key.scopes, scope)) {
      throw new AppError(403, 'forbidden', `this API key lacks the '${scope}' scope`);
    }
    c.set('apiKey', key);
    await next();
  };
}
