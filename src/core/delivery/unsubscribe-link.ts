// The https one-click unsubscribe URL of one message: the public base URL
// (the shop's links.unsubscribe_base_url when set, else PUBLIC_BASE_URL) plus
// the signed unsubscribe path. The same URL goes into the List-Unsubscribe
// header and the template's footer link. Pure (Web Crypto via the signer).
import { type TokenSigner, trackingPaths } from '../tracking/tokens.ts';

export type UnsubscribeUrl = (messageId: string) => Promise<string>;

export function unsubscribeUrls(signer: TokenSigner, baseUrl: string): UnsubscribeUrl {
  const base = baseUrl.replace(/\/+$/, '');
  return async (messageId) =>
    `${base}${trackingPaths.unsubscribe(await signer.sign({ purpose: 'unsubscribe', messageId }))}`;
}
