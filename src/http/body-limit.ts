// The request body size limit for /v1. Hono's bodyLimit reads the body as a
// web stream to count it, which on Node turns @hono/node-server's lightweight
// request into a full undici Request with a ReadableStream: in the api
// benchmark that was a fifth of a coupon check's CPU time. A body with a
// Content-Length (and no Transfer-Encoding) is judged by that header instead:
// the HTTP parser on Node, and the runtime on Workers, deliver exactly that
// many bytes, never more. Chunked bodies, which declare no length, are still
// counted as they stream.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../core/errors.ts';

export function limitBodySize(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => new AppError(413, 'payload_too_large', `the body exceeds ${maxBytes} bytes`);
  const counting = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && /^\d+$/.test(declared) && c.req.header('transfer-encoding') === undefined) {
      if (Number(declared) > maxBytes) throw tooLarge();
      return next();
    }
    return counting(c, next);
  };
}
