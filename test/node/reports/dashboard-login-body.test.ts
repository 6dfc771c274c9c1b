// POST /dashboard/login with a body the form parser cannot read (found by the
// fuzz run): a multipart body it refuses, or a JSON one, is the sign-in page
// again with a 400, never a 500; a readable form still signs in.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
let app: ReturnType<typeof createApp>;
let key: string;

beforeEach(async () => {
  temp = await openTempStore();
  app = createApp({ store: temp.store, now: () => Date.parse('2026-11-01T12:00:00Z') });
  key = (await createApiKey(temp.store, { name: 'analyst', scopes: ['reports'], now: 0 })).secret;
});
afterEach(() => temp.cleanup());

const login = (contentType: string, body: string) =>
  app.request('/dashboard/login', { method: 'POST', headers: { 'content-type': contentType }, body });

describe('POST /dashboard/login with an unreadable body', () => {
  it.each([
    ['multipart/form-data', 'key=abc'],
    ['multipart/form-data; boundary=zz', '--zz\r\nnot a part'],
  ])('%s answers the sign-in page with a 400', async (type, body) => {
    const response = await login(type, body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('could not be read');
  });

  it('a readable form still signs in', async () => {
    const response = await login('application/x-www-form-urlencoded', `key=${key}`);
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(/^rekindle_session=/);
  });
});
