// GET /dashboard and /dashboard/campaigns/:id: the server-rendered results
// pages. A browser signs in once at /dashboard/login with an API key holding
// the `reports` scope and gets an HttpOnly session cookie (see
// pages/dashboard/session.ts); scripts and tools may send the key as a bearer
// instead. Pages are read-only and never show customer data. Each shows a
// date range (from/to, as the report API takes them; the last 30 days by
// default).
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { type ApiScope, scopeAllows } from '../../core/api-keys.ts';
import { AppError } from '../../core/errors.ts';
import { defaultRangeDays, lastDays, reportTimeZone } from '../../core/reports/range.ts';
import { formatInstant } from '../../core/time.ts';
import { findActiveKeyById, type SessionKey } from '../../db/repositories/api-key-sessions.ts';
import { findActiveKey } from '../../db/repositories/api-keys.ts';
import { type AppDeps, type AppEnv, campaignSetOf } from '../app-env.ts';
import { requireScope } from '../auth.ts';
import { campaignPage, type RangeView } from '../pages/dashboard/campaign-page.ts';
import { campaignsPage } from '../pages/dashboard/campaigns-page.ts';
import { layout, type Page, pageHeaders } from '../pages/dashboard/layout.ts';
import { loginPage } from '../pages/dashboard/login-page.ts';
import { rangeQuery } from '../pages/dashboard/range-form.ts';
import {
  readSession,
  sessionCookie,
  sessionTtlMs,
  sessionValid,
  signSession,
} from '../pages/dashboard/session.ts';
import { campaignReports, oneCampaignReport, rangeOf } from './reports.ts';

export function dashboardRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(pageHeaders)) c.res.headers.set(name, value);
  });

  app.get('/login', (c) => c.html(loginPage(null)));

  app.post(
    '/login',
    bodyLimit({
      maxSize: 4096,
      onError: (c) => c.html(loginPage('That was too long to be an API key.'), 413),
    }),
    async (c) => {
      // The form parser throws on a body it cannot read (a bad multipart
      // boundary, say); that is the sender's mistake, not a 500.
      const form = await c.req.parseBody().catch(() => undefined);
      if (!form) return c.html(loginPage('That sign-in form could not be read. Try again.'), 400);
      const secret = typeof form.key === 'string' ? form.key.trim() : '';
      const key = secret ? await findActiveKey(c.var.deps.store, secret) : undefined;
      if (!key) return c.html(loginPage('That API key is unknown or revoked.'), 401);
      if (!scopeAllows(key.scopes, 'reports')) {
        return c.html(loginPage("That API key lacks the 'reports' scope."), 403);
      }
      const stored = await findActiveKeyById(c.var.deps.store, key.id);
      if (!stored) return c.html(loginPage('That API key is unknown or revoked.'), 401);
      const expiresAt = c.var.deps.now() + sessionTtlMs;
      setCookie(c, sessionCookie, await signSession(stored.id, stored.hash, expiresAt), {
        httpOnly: true,
        secure: new URL(c.req.url).protocol === 'https:',
        sameSite: 'Lax',
        path: '/',
        maxAge: Math.floor(sessionTtlMs / 1000),
      });
      return c.redirect('/dashboard', 303);
    },
  );

  app.post('/logout', (c) => {
    deleteCookie(c, sessionCookie, { path: '/' });
    return c.redirect('/dashboard/login', 303);
  });

  app.get('/', requireDashboardAccess(), async (c) => {
    const deps = c.var.deps;
    const view = rangeView(deps, c.req.query());
    if ('error' in view) return c.html(badRangePage(view.error), 400);
    const reports = await campaignReports(deps, view.range);
    const timeZone = reportTimeZone(campaignSetOf(deps));
    return c.html(campaignsPage(reports, formatInstant(deps.now()), { ...view, timeZone }));
  });

  app.get('/campaigns/:id', requireDashboardAccess(), async (c) => {
    const deps = c.var.deps;
    const id = c.req.param('id');
    const view = rangeView(deps, c.req.query());
    if ('error' in view) return c.html(badRangePage(view.error), 400);
    try {
      const report = await oneCampaignReport(deps, id, view.range);
      const set = campaignSetOf(deps);
      const fileSteps = set?.campaigns.find((campaign) => campaign.id === id)?.steps.map((s) => s.index);
      const steps = fileSteps ?? report.steps.map((s) => s.step);
      return c.html(campaignPage(report, formatInstant(deps.now()), steps, view));
    } catch (error) {
      if (error instanceof AppError && error.status === 404) return c.html(notFoundPage(id), 404);
      throw error;
    }
  });
  return app;
}

/**
 * Lets a request through with a bearer API key or a valid session cookie, both
 * needing the `reports` scope. A browser without either is sent to the sign-in
 * page. Exported so the email preview route can accept dashboard sessions too.
 */
export function requireDashboardAccess(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const key = match ? await findActiveKey(c.var.deps.store, match[1]!) : undefined;
      if (!key) return c.html(messagePage('Not signed in', 'The API key is unknown or revoked.'), 401);
      if (!scopeAllows(key.scopes, 'reports')) return forbidden(c);
      c.set('apiKey', key);
      return next();
    }
    const key = await sessionKey(c);
    if (!key) {
      if (getCookie(c, sessionCookie) !== undefined) deleteCookie(c, sessionCookie, { path: '/' });
      return c.redirect('/dashboard/login', 303);
    }
    if (!scopeAllows(key.scopes, 'reports')) return forbidden(c);
    c.set('apiKey', { id: key.id, name: key.name, scopes: key.scopes });
    return next();
  };
}

/**
 * For JSON routes the dashboard embeds (the email preview iframe): a bearer
 * key is checked as requireScope does; without one, a valid dashboard session
 * with the scope is enough. Errors stay JSON (401/403), never a redirect.
 */
export function requireScopeOrSession(scope: ApiScope): MiddlewareHandler<AppEnv> {
  const bearer = requireScope(scope);
  return async (c, next) => {
    if (c.req.header('authorization') !== undefined) return bearer(c, next);
    const key = await sessionKey(c);
    if (!key) {
      throw new AppError(
        401,
        'unauthorized',
        'send an API key as "Authorization: Bearer <key>" or sign in at /dashboard/login',
      );
    }
    if (!scopeAllows(key.scopes, scope))
      throw new AppError(403, 'forbidden', `this API key lacks the '${scope}' scope`);
    c.set('apiKey', { id: key.id, name: key.name, scopes: key.scopes });
    await next();
  };
}

/** The key behind a valid session cookie: signed by it, unexpired, key not revoked. */
async function sessionKey(c: Context<AppEnv>): Promise<SessionKey | undefined> {
  const claim = readSession(getCookie(c, sessionCookie));
  const key = claim ? await findActiveKeyById(c.var.deps.store, claim.keyId) : undefined;
  if (!claim || !key || !(await sessionValid(claim, key.hash, c.var.deps.now()))) return undefined;
  return key;
}

function forbidden(c: Context<AppEnv>) {
  return c.html(messagePage('Not allowed', "This API key lacks the 'reports' scope."), 403);
}

function messagePage(title: string, text: string): Page {
  return layout(title, html`<h1>${title}</h1><p>${text}</p>`, { signedIn: false });
}

/**
 * The range a page shows: the last 30 days in the shop's time zone unless the
 * query names from, to or since (blank ones mean no bound: `?from=&to=` is all
 * time); a bad one is a message, not an error.
 */
function rangeView(deps: AppDeps, query: Record<string, string>): RangeView | { error: string } {
  if (!['from', 'to', 'since'].some((key) => key in query)) {
    const range = lastDays(deps.now(), defaultRangeDays, reportTimeZone(campaignSetOf(deps)));
    return { range, query: rangeQuery(range, true) };
  }
  try {
    const range = rangeOf(deps, query);
    return { range, query: rangeQuery(range, false) };
  } catch (error) {
    if (error instanceof AppError && error.status === 400) return { error: error.message };
    throw error;
  }
}

function badRangePage(reason: string): Page {
  return layout(
    'Bad date range',
    html`<h1>That date range cannot be shown</h1><p class="error" role="alert">${reason}</p><p><a href="/dashboard">Back to the last ${defaultRangeDays} days</a></p>`,
  );
}

function notFoundPage(id: string): Page {
  return layout(
    'Not found',
    html`<h1>No such campaign</h1><p>There is no campaign <code>${id}</code> in the campaign files or the outbox.</p><p><a href="/dashboard">All campaigns</a></p>`,
  );
}
