/**
 * What the runs of a chat tell every instance over the control channel: the run may be on any
 * of them, and so may the decision waiting for it to let go.
 */
import { z } from 'zod';
import { controlTopic } from '../cluster/control-channel.ts';

const aChat = z.object({ chatId: z.string() });

/** Stop the chat's run wherever it runs (the person pressed Stop). */
export const stopRun = controlTopic('stop-run', aChat);

/** The chat is deleted: stop its run, forget it. */
export const chatDeleted = controlTopic('chat-deleted', aChat);

/** The run holding the chat let go of it (or handed it to a decision): decisions waiting on another instance may go. */
export const runReleased = controlTopic('run-released', aChat);
