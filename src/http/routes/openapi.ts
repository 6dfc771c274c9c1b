// GET /v1/openapi.json: the OpenAPI 3.1 document for this API. Public (no API
// key), like any API description; it holds no data. Built once per isolate on
// first request, since it only depends on code.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { buildOpenApiDocument, type OpenApiDocument } from '../openapi/document.ts';

let cached: OpenApiDocument | undefined;

export function openApiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/openapi.json', (c) => {
    cached ??= buildOpenApiDocument();
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(cached);
  });
  return app;
}
