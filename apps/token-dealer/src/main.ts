import 'reflect-metadata';
import { loadConfig } from '@runnerly/config';
import { startOperatorListener } from '@runnerly/platform';
import { createApp } from './app.js';
import { TokenDealerConfigSchema } from './config.js';

const config = loadConfig(TokenDealerConfigSchema);
const app = await createApp(config);
await app.listen(config.TOKEN_DEALER_PORT, config.HOST);
await startOperatorListener(app, { port: config.TOKEN_DEALER_OPERATOR_PORT, host: config.OPERATOR_HOST });
