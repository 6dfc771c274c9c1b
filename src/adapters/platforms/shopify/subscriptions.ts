// What a merchant pastes to subscribe Rekindle to the topics it handles
// (topics.ts): the app configuration file's [webhooks] section, and for a
// shop-specific subscription the GraphQL Admin mutation per topic. Shapes from
// Shopify's docs: "Manage webhook subscriptions"
// (https://shopify.dev/docs/apps/build/webhooks/subscribe) and the
// webhookSubscriptionCreate mutation with WebhookSubscriptionInput { uri,
// format } (API 2025-04 and later; earlier versions name the field
// callbackUrl). The privacy topics are compliance topics: the configuration
// file or the app's dashboard only, never the GraphQL API.
import { subscribedTopics } from './topics.ts';

export const complianceTopics: readonly string[] = [
  'customers/data_request',
  'customers/redact',
  'shop/redact',
];

/** The topics an ordinary subscription takes: every handled topic but the compliance ones. */
export function ordinaryTopics(): string[] {
  return subscribedTopics.filter((topic) => !complianceTopics.includes(topic));
}

/** orders/create -> ORDERS_CREATE, the WebhookSubscriptionTopic enum's spelling. */
export function topicEnum(topic: string): string {
  return topic.replace(/[/.]/g, '_').toUpperCase();
}

export function webhookUri(publicBaseUrl: string): string {
  return new URL('/webhooks/shopify', publicBaseUrl).toString();
}

export function appConfigToml(uri: string, apiVersion: string): string {
  const list = (topics: readonly string[]) => topics.map((topic) => `"${topic}"`).join(', ');
  return [
    '[webhooks]',
    `api_version = "${apiVersion}"`,
    '',
    '  [[webhooks.subscriptions]]',
    `  topics = [ ${list(ordinaryTopics())} ]`,
    `  uri = "${uri}"`,
    '',
    '  [[webhooks.subscriptions]]',
    `  compliance_topics = [ ${list(complianceTopics)} ]`,
    `  uri = "${uri}"`,
    '',
  ].join('\n');
}

export function subscriptionMutation(topic: string, uri: string): string {
  return `mutation { webhookSubscriptionCreate(topic: ${topicEnum(topic)}, webhookSubscription: { uri: "${uri}", format: JSON }) { webhookSubscription { id } userErrors { field message } } }`;
}
