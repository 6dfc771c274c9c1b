// rekindle serve: the long-running Node process: the HTTP API plus the
// scheduled sweeps. Refuses to start when the campaign files are invalid.
import { startNodeServer } from '../entry/node-server.ts';
import { CampaignSetError } from '../services/campaigns/campaign-registry.ts';
import type { Command } from './io.ts';

export const serveCommand: Command = async (_argv, io) => {
  let server: Awaited<ReturnType<typeof startNodeServer>>;
  try {
    server = await startNodeServer(io.config, { log: (line) => io.stderr.write(`${line}\n`) });
  } catch (error) {
    if (!(error instanceof CampaignSetError)) throw error;
    io.stderr.write(
      `rekindle: not starting: ${error.message}\nfix the files (rekindle validate) and start again\n`,
    );
    return 1;
  }
  io.stderr.write(`rekindle listening on http://${io.config.HOST}:${server.port}\n`);
  for (const job of server.scheduler?.list() ?? [])
    io.stderr.write(`  ${job.name} at "${job.cron}" UTC, next ${job.next?.toISOString() ?? 'never'}\n`);
  await server.closed;
  return 0;
};
