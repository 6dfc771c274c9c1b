// Node entry for `npm run dev`: parse the environment once and serve.
import { parseNodeEnv } from '../config/env.ts';
import { startNodeServer } from './node-server.ts';

const config = parseNodeEnv(process.env);
const server = await startNodeServer(config);
console.error(`rekindle listening on http://${config.HOST}:${server.port}`);
