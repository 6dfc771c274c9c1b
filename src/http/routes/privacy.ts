// Data-subject requests, behind the `privacy` scope: GET
// /v1/customers/:id/export returns everything stored about a customer;
// DELETE /v1/customers/:id erases their personal data, keeps anonymous counts
// and keeps the address suppressed as a hash. Both answer 404 for a customer
// never seen. Never logs the data it returns.
import { Hono } from 'hono';
import { AppError } from '../../core/errors.ts';
import { formatInstant } from '../../core/time.ts';
import { exportCustomer } from '../../db/repositories/privacy.ts';
import { eraseCustomer } from '../../services/privacy/erase-customer.ts';
import type { AppEnv } from '../app-env.ts';
import { requireScope } from '../auth.ts';

export function privacyRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/customers/:id/export', requireScope('privacy'), async (c) => {
    const data = await exportCustomer(c.var.deps.store, c.req.param('id'));
    if (!data) throw unknownCustomer();
    c.header('Cache-Control', 'no-store, private');
    return c.json({ exported_at: formatInstant(c.var.deps.now()), ...data });
  });

  app.delete('/customers/:id', requireScope('privacy'), async (c) => {
    const id = c.req.param('id');
    const erased = await eraseCustomer(c.var.deps, { customerId: id, now: c.var.deps.now() });
    if (!erased) throw unknownCustomer();
    return c.json({ id, erased: true, erased_at: formatInstant(erased.erasedAt) });
  });

  return app;
}

function unknownCustomer(): AppError {
  return new AppError(404, 'not_found', 'no customer with this id');
}
