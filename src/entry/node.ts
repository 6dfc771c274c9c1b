// Node entry for `npm run dev`: parse the environment once and serve; refuse
// to start, with the list of problems, when the campaign files are invalid.
import { parseNodeEnv } from '../config/env.ts';
import { CampaignSetError } from '../services/campaigns/campaign-registry.ts';
import { startNodeServer } from './node-server.ts';

const config = parseNodeEnv(process.env);
try {
  const server = await startNodeServer(config);
  console.error(`rekindle listening on http://${config.HOST}:${server.port}`);
} catch (error) {
  if (!(error instanceof CampaignSetError)) throw error;
  console.error(`rekindle: not starting: ${error.message}`);
  process.exitCode = 1;
}
