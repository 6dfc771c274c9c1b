// rekindle serve: the long-running Node process (HTTP API; schedules join later).
import { startNodeServer } from '../entry/node-server.ts';
import type { Command } from './io.ts';

export const serveCommand: Command = async (_argv, io) => {
  const server = await startNodeServer(io.config);
  io.stderr.write(`rekindle listening on http://${io.config.HOST}:${server.port}\n`);
  await server.closed;
  return 0;
};
