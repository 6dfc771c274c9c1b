// rekindle shopify webhooks: the subscriptions printed cover exactly the
// topics the route handles, compliance topics only where Shopify takes them.
import { describe, expect, it } from 'vitest';
import { shopifyTopics } from '../../../../src/adapters/platforms/shopify/topics.ts';
import { UsageError } from '../../../../src/cli/io.ts';
import { shopifyCommand } from '../../../../src/cli/shopify.ts';
import { captureCli } from '../../support/cli.ts';

async function run(...args: string[]) {
  const { io, out, err } = captureCli({}, Date.parse('2026-12-01T00:00:00Z'));
  const code = await shopifyCommand(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('rekindle shopify webhooks', () => {
  it('subscribes every handled topic once, to the webhook route, with the privacy topics as compliance topics', async () => {
    const { code, stdout } = await run('webhooks', '--url', 'https://rk.example/', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.uri).toBe('https://rk.example/webhooks/shopify');
    expect([...out.topics, ...out.compliance_topics].sort()).toEqual(Object.keys(shopifyTopics).sort());
    expect(out.compliance_topics).toEqual(['customers/data_request', 'customers/redact', 'shop/redact']);
    expect(out.toml).toContain(
      'compliance_topics = [ "customers/data_request", "customers/redact", "shop/redact" ]',
    );
    expect(out.toml).toContain('api_version = "2026-10"');
    // One mutation per ordinary topic, in the enum's spelling; none for a compliance topic.
    expect(out.mutations).toHaveLength(out.topics.length);
    expect(out.mutations).toContain(
      'mutation { webhookSubscriptionCreate(topic: CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE, webhookSubscription: { uri: "https://rk.example/webhooks/shopify", format: JSON }) { webhookSubscription { id } userErrors { field message } } }',
    );
    expect(out.mutations.join('\n')).not.toMatch(/CUSTOMERS_REDACT|SHOP_REDACT|DATA_REQUEST/);
  });

  it('warns about a base that is not https, and refuses a bad action or version', async () => {
    const local = await run('webhooks');
    expect(local.stderr).toMatch(/is not an https URL; Shopify delivers webhooks only to https/);
    expect(local.stdout).toContain('[[webhooks.subscriptions]]');
    await expect(run()).rejects.toThrow(UsageError);
    await expect(run('subscribe')).rejects.toThrow(/unknown action 'subscribe' \(known: webhooks, sync\)/);
    await expect(run('webhooks', '--only', 'orders')).rejects.toThrow(/--only is for shopify sync/);
    await expect(run('webhooks', '--api-version', 'latest')).rejects.toThrow(/--api-version must be/);
  });
});
