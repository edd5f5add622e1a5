import { Global, Module } from '@nestjs/common';
import { Db } from './db.js';

/** The SQL access shared by the feature repositories, on DatabaseModule's pool (closed with its DataSource). */
@Global()
@Module({ providers: [Db], exports: [Db] })
export class PersistenceModule {}
