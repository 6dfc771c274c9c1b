// The `webhooks:` block of the settings file: the shop's endpoints that
// receive signed events (core/webhooks/events.ts), each with the events it
// wants and the name of the environment variable holding its signing secret
// (secrets never go in campaign files). Validation only checks what a file
// can say: the URL, the event names, the variable's name; whether the
// variable is set is the server's to say at start. Pure.
import { z } from 'zod';
import { endpointUrl, endpointUrlRule } from '../webhooks/endpoint-url.ts';
import { outgoingEventTypes, secretEnvPattern, secretEnvRule } from '../webhooks/events.ts';
import { expected, list, oneOf, pattern, strict } from './fields.ts';

export const maxWebhookEndpoints = 10;

function url() {
  const error = expected(endpointUrlRule);
  return z
    .string({ error })
    .refine((value) => endpointUrl(value) !== null, { error })
    .meta({ allowed: endpointUrlRule });
}

export const webhooksBlock = list(
  strict(
    {
      url: url().describe('Where the events are POSTed, as signed JSON.'),
      events: list(oneOf(outgoingEventTypes), `a list of ${outgoingEventTypes.join(', ')}`, {
        min: 1,
        max: outgoingEventTypes.length,
      })
        .default([...outgoingEventTypes])
        .describe('The events this endpoint receives.'),
      secret_env: pattern(secretEnvRule, secretEnvPattern).describe(
        'The environment variable that holds the signing secret (16+ characters). Unset, the server warns at start and sends this endpoint nothing until it is set.',
      ),
    },
    'a mapping with url and secret_env',
  ),
  'a list of endpoints like { url: https://shop.example/rekindle-events, secret_env: EVENTS_SIGNING_SECRET }',
  { max: maxWebhookEndpoints },
)
  .superRefine((endpoints, ctx) => {
    const seen = new Map<string, number>();
    endpoints.forEach((endpoint, i) => {
      const key = endpointUrl(endpoint.url);
      if (key === null) return;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: [i, 'url'],
          message: `must differ from webhooks[${first}].url: list each endpoint once, with all its events`,
        });
    });
  })
  .default([])
  .describe(
    "The shop's endpoints for events (message.sent, coupon.redeemed, customer.unsubscribed, customer.complained): signed, retried, each delivered at least once with a stable id.",
  );
