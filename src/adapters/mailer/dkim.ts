// DKIM signing for the Node transports, with nodemailer's own signer. The
// signed header list is ours: nodemailer's default leaves out
// List-Unsubscribe-Post, and RFC 8058 asks that both unsubscribe headers be
// signed, or a receiver may ignore one-click. Signing happens once, before a
// transport sees the message, so SMTP and the .eml folder carry the same
// signature, and the SMTP transport can tell when the signed bytes have gone
// out (see smtp.ts). Never logs the key.
import DKIM from 'nodemailer/lib/dkim';

export const signedHeaderFields = [
  'From',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'To',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'List-ID',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
].join(':');

export interface DkimConfig {
  domainName: string;
  keySelector: string;
  /** PEM; a literal "\n" is read as a newline, as env files often carry keys on one line. */
  privateKey: string;
}

export type MessageSigner = (raw: string) => Promise<string>;

export function createDkimSigner(config: DkimConfig): MessageSigner {
  const dkim = new DKIM({
    domainName: config.domainName,
    keySelector: config.keySelector,
    privateKey: config.privateKey.replaceAll('\\n', '\n'),
    headerFieldNames: signedHeaderFields,
  });
  return (raw) =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const output = dkim.sign(raw);
      output.on('data', (chunk: Buffer) => chunks.push(chunk));
      output.on('error', reject);
      output.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    });
}
