CREATE TABLE `questions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`chat_id` text NOT NULL,
	`tool_call_id` text NOT NULL,
	`question` text NOT NULL,
	`answer` text,
	`outcome` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`settled_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `questions_chat_open` ON `questions` (`chat_id`,`outcome`);--> statement-breakpoint
ALTER TABLE `chats` ADD `roots` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `mcp_servers` ADD `sampling_policy` text DEFAULT 'off' NOT NULL;--> statement-breakpoint
ALTER TABLE `mcp_servers` ADD `sampling_max_tokens` integer DEFAULT 1024 NOT NULL;--> statement-breakpoint
ALTER TABLE `mcp_servers` ADD `allowed_roots` text DEFAULT '[]' NOT NULL;