/**
 * The official LangGraph checkpointer conformance suite, run in full against BunSqliteSaver.
 * `deltaChannelHistoryTests` is opt-in upstream (not part of `validate`); LangGraph's own savers
 * run it too, and it guards the DeltaChannel replay that message history can rely on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deltaChannelHistoryTests, validate, type CheckpointSaverTestInitializer } from '@langchain/langgraph-checkpoint-validation';
import { BunSqliteSaver } from '../../db/checkpointer/bun-sqlite-saver.ts';

let dir = '';
let created = 0;

const initializer: CheckpointSaverTestInitializer<BunSqliteSaver> = {
  // Not named after an official saver: the suite skips its channel-delta test for those.
  checkpointerName: 'countersign-bun-sqlite-saver',
  beforeAll() {
    dir = mkdtempSync(join(tmpdir(), 'countersign-checkpointer-'));
  },
  afterAll() {
    rmSync(dir, { recursive: true, force: true });
  },
  // A fresh file per checkpointer: list() tests count every checkpoint in the database.
  createCheckpointer() {
    created += 1;
    return new BunSqliteSaver(join(dir, `conformance-${created}.sqlite`));
  },
  destroyCheckpointer(checkpointer) {
    checkpointer.close();
  },
};

validate(initializer);
deltaChannelHistoryTests(initializer);
