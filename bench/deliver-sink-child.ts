// The deliver benchmark's SMTP sink, in its own process so its work does not
// share the sender's event loop: a plain smtp-server on loopback that accepts
// everything and counts it. Prints "port N" on start; answers "count" on
// stdin with "count N".
import { createInterface } from 'node:readline';
import { SMTPServer } from 'smtp-server';

let accepted = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  maxClients: 100,
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      accepted++;
      callback(null, `Ok: queued as B${accepted}`);
    });
  },
});
// A sender that goes away mid-transaction resets its socket; smtp-server
// re-emits that as 'error', which must not end the sink.
server.on('error', () => {});
server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  process.stdout.write(`port ${typeof address === 'object' && address ? address.port : 0}\n`);
});
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'count') process.stdout.write(`count ${accepted}\n`);
  if (line.trim() === 'reset') accepted = 0;
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
