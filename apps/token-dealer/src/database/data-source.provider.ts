import { getDataSourceToken } from '@nestjs/typeorm';

/** The DataSource DatabaseModule opened (migrations applied), under a token of our own. */
export const TOKEN_DEALER_DATA_SOURCE = Symbol('TokenDealerDataSource');

export const dataSourceProvider = { provide: TOKEN_DEALER_DATA_SOURCE, useExisting: getDataSourceToken() };
