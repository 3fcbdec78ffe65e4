CREATE TABLE `mcp_server_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`server_id` text NOT NULL,
	`user_id` text,
	`level` text NOT NULL,
	`logger` text,
	`data` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`server_id`) REFERENCES `mcp_servers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `mcp_server_logs_server` ON `mcp_server_logs` (`server_id`,`id`);--> statement-breakpoint
ALTER TABLE `mcp_servers` ADD `log_level` text DEFAULT 'warning' NOT NULL;