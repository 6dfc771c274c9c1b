// WooCommerce webhook deliveries for node tests: the published sample payloads
// (test/fixtures/woocommerce/), changed in code where a test needs it, sent to
// the real app the way WooCommerce sends them (WC_Webhook::deliver's headers,
// body signed with the webhook secret).

import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import type { AppDeps } from '../../../src/http/app-env.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { shopSettings } from './campaign-fixtures.ts';
import { openTempStore, type TempStore } from './temp-store.ts';

export const wooSecret = 'woo-test-webhook-secret';

const fixtures = join(import.meta.dirname, '../../fixtures/woocommerce');

export type WooPayload = Record<string, unknown>;

/** A fresh copy of a sample payload: order, customer, product or variation. */
export function wooFixture(name: 'order' | 'customer' | 'product' | 'variation'): WooPayload {
  return JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8')) as WooPayload;
}

/** The app with WooCommerce webhooks set up, priced in GBP by the shop settings. */
export function wooApp(deps: Pick<AppDeps, 'store' | 'now'> & Partial<AppDeps>) {
  return createApp({
    woocommerce: { webhookSecret: wooSecret },
    campaigns: { settings: shopSettings(), campaigns: [] },
    ...deps,
  });
}

let deliveries = 0;

export interface DeliveryOptions {
  /** Default: signed with wooSecret; null sends no signature. */
  signature?: string | null;
  /** The raw body, when not JSON.stringify(payload). */
  rawBody?: string;
}

/** Posts `payload` as WooCommerce delivers topic `topic`. */
export function deliver(
  app: ReturnType<typeof createApp>,
  topic: string,
  payload: unknown,
  options: DeliveryOptions = {},
): Promise<Response> {
  const body = options.rawBody ?? JSON.stringify(payload);
  const [resource, event] = topic.split('.');
  const signature = options.signature === undefined ? wooSignature(body) : (options.signature ?? undefined);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'WooCommerce/9.0.0 Hookshot (WordPress/6.5)',
    'x-wc-webhook-source': 'https://example.com/',
    'x-wc-webhook-topic': topic,
    'x-wc-webhook-resource': resource ?? '',
    'x-wc-webhook-event': event ?? '',
    'x-wc-webhook-id': '142',
    'x-wc-webhook-delivery-id': `delivery-${++deliveries}`,
  };
  if (signature !== undefined) headers['x-wc-webhook-signature'] = signature;
  return Promise.resolve(app.request('/webhooks/woocommerce', { method: 'POST', headers, body }));
}

/** The signature WooCommerce computes: base64 HMAC-SHA256 of the body (node:crypto, independent of the code under test). */
export function wooSignature(body: string, secret = wooSecret): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/** A WooCommerce GMT time (no offset) `seconds` after `base`. */
export function gmtPlus(base: string, seconds: number): string {
  return new Date(Date.parse(`${base}Z`) + seconds * 1000).toISOString().slice(0, 19);
}

type App = ReturnType<typeof createApp>;

export interface WooHarness {
  temp: TempStore;
  /** The app set up by wooApp, on the clock below. */
  app: App;
  /** The shop's clock, epoch ms; send() moves it on before each delivery. */
  clock: number;
  /** Delivers `payload` on `on` (default the app), expects 200 and gives the outcome. */
  send(topic: string, payload: unknown, on?: App): Promise<string>;
}

/** A fresh libSQL file and wooApp for each test of the file, the clock at `start`, moved `stepMs` a delivery. */
export function wooHarness(start: number, stepMs: number): WooHarness {
  const harness = {
    clock: start,
    async send(topic: string, payload: unknown, on?: App) {
      harness.clock += stepMs;
      const response = await deliver(on ?? harness.app, topic, payload);
      expect(response.status).toBe(200);
      return ((await response.json()) as { outcome: string }).outcome;
    },
  } as WooHarness;
  beforeEach(async () => {
    harness.temp = await openTempStore();
    harness.clock = start;
    harness.app = wooApp({ store: harness.temp.store, now: () => harness.clock });
  });
  afterEach(() => harness.temp.cleanup());
  return harness;
}

/** A sample with `changes`, modified `seconds` after the sample's own date_modified_gmt. */
export function wooChanged(
  name: 'order' | 'customer' | 'product' | 'variation',
  changes: WooPayload = {},
  seconds = 0,
): WooPayload {
  const sample = wooFixture(name);
  return { ...sample, date_modified_gmt: gmtPlus(sample.date_modified_gmt as string, seconds), ...changes };
}
