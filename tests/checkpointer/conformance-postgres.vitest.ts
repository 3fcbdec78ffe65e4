/**
 * The official LangGraph checkpointer conformance suite (as conformance.vitest.ts runs it for
 * BunSqliteSaver), against BunPostgresSaver on the PostgreSQL this machine runs.
 */
import { deltaChannelHistoryTests, validate, type CheckpointSaverTestInitializer } from '@langchain/langgraph-checkpoint-validation';
import { BunPostgresSaver } from '../../db/checkpointer/postgres-saver.ts';
import { createTestSchema, type TestSchema } from '../support/services.ts';

const schemas = new Map<BunPostgresSaver, TestSchema>();

const initializer: CheckpointSaverTestInitializer<BunPostgresSaver> = {
  // Not named after an official saver: the suite skips its channel-delta test for those.
  checkpointerName: 'countersign-bun-postgres-saver',
  // A fresh schema per checkpointer: list() tests count every checkpoint in the tables.
  async createCheckpointer() {
    const schema = await createTestSchema();
    const saver = await BunPostgresSaver.open({ url: schema.url, schema: schema.schema, maxConnections: 2 });
    schemas.set(saver, schema);
    return saver;
  },
  async destroyCheckpointer(saver) {
    await saver.close();
    await schemas.get(saver)?.drop();
    schemas.delete(saver);
  },
  async afterAll() {
    for (const [saver, schema] of schemas) {
      await saver.close();
      await schema.drop();
    }
  },
};

validate(initializer);
deltaChannelHistoryTests(initializer);
