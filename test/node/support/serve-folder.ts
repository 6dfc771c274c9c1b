// `rekindle serve` in a test: a temp folder with a copy of the shipped
// campaigns and a libSQL file, a config on a free port, and the server started
// from it closed (and the folder removed) after each test.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { type NodeConfig, parseNodeEnv } from '../../../src/config/env.ts';
import { type RunningServer, startNodeServer } from '../../../src/entry/node-server.ts';

export interface ServeFolder {
  /** The test's folder (campaigns/, rekindle.db). */
  readonly dir: string;
  /** The config of a server on this folder, with `extra` variables. */
  config(extra?: Record<string, string>): NodeConfig;
  /** Starts it without schedules or logs, unless `options` say otherwise; closed after the test. */
  start(config: NodeConfig, options?: Parameters<typeof startNodeServer>[1]): Promise<RunningServer>;
}

export function serveFolder(prefix: string): ServeFolder {
  let dir = '';
  let server: RunningServer | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    await cp('campaigns', join(dir, 'campaigns'), { recursive: true });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    config: (extra = {}) =>
      parseNodeEnv({
        DATABASE_URL: `file:${join(dir, 'rekindle.db')}`,
        PORT: '0',
        CAMPAIGNS_DIR: join(dir, 'campaigns'),
        EMAILS_DIR: 'emails',
        ...extra,
      }),
    async start(config, options = { log: () => {}, schedule: false }) {
      server = await startNodeServer(config, options);
      return server;
    },
  };
}
