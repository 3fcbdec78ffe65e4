CREATE TABLE `message_search` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_id` text NOT NULL,
	`owner_id` text NOT NULL,
	`message_id` text NOT NULL,
	`role` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `message_search_chat_message` ON `message_search` (`chat_id`,`message_id`);--> statement-breakpoint
CREATE INDEX `message_search_owner` ON `message_search` (`owner_id`);--> statement-breakpoint
ALTER TABLE `chats` ADD `pinned_at` integer;--> statement-breakpoint
ALTER TABLE `chats` ADD `archived_at` integer;--> statement-breakpoint
ALTER TABLE `chats` ADD `waiting_approval` text;--> statement-breakpoint
-- Full-text index over message_search.text (FTS5, external content keyed by seq), kept in step by the triggers below; drizzle-kit does not know virtual tables.
CREATE VIRTUAL TABLE `message_search_fts` USING fts5(`text`, content='message_search', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');--> statement-breakpoint
CREATE TRIGGER `message_search_ai` AFTER INSERT ON `message_search` BEGIN
  INSERT INTO `message_search_fts`(rowid, `text`) VALUES (new.`seq`, new.`text`);
END;--> statement-breakpoint
CREATE TRIGGER `message_search_ad` AFTER DELETE ON `message_search` BEGIN
  INSERT INTO `message_search_fts`(`message_search_fts`, rowid, `text`) VALUES ('delete', old.`seq`, old.`text`);
END;--> statement-breakpoint
CREATE TRIGGER `message_search_au` AFTER UPDATE OF `text` ON `message_search` BEGIN
  INSERT INTO `message_search_fts`(`message_search_fts`, rowid, `text`) VALUES ('delete', old.`seq`, old.`text`);
  INSERT INTO `message_search_fts`(rowid, `text`) VALUES (new.`seq`, new.`text`);
END;
