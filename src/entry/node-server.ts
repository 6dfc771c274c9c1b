// Wires the Node home: libSQL store (migrated on start), the Hono app, and
// @hono/node-server. Used by `rekindle serve` and by src/entry/node.ts.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { NodeConfig } from '../config/env.ts';
import { migrateLibsql, openLibsqlStore } from '../db/libsql.ts';
import { createApp } from '../http/create-app.ts';

export interface RunningServer {
  port: number;
  /** Stops accepting connections and closes the database. */
  close(): Promise<void>;
  /** Settles once the server has closed, by close() or a signal. */
  closed: Promise<void>;
}

export async function startNodeServer(config: NodeConfig): Promise<RunningServer> {
  const store = await openLibsqlStore({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
  await migrateLibsql(store);
  const app = createApp({ store, now: Date.now });
  let server: ReturnType<typeof serve> | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info: AddressInfo) =>
      resolve(info.port),
    );
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((done) => server?.close(() => done())).then(() => store.close());
    return closing;
  };
  const closed = new Promise<void>((resolve) => {
    const onSignal = () => void close().then(resolve);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    void new Promise<void>((wait) => server?.once('close', wait)).then(resolve);
  });
  return { port, close, closed };
}
