CREATE TABLE `identity_tokens` (
	`user_id` text PRIMARY KEY NOT NULL,
	`tokens` text NOT NULL,
	`expires_at` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `mcp_authorisations` (
	`user_id` text NOT NULL,
	`server_id` text NOT NULL,
	`issuer` text NOT NULL,
	`tokens` text NOT NULL,
	`scope` text,
	`expires_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`user_id`, `server_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`server_id`) REFERENCES `mcp_servers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mcp_authorisations_server` ON `mcp_authorisations` (`server_id`);--> statement-breakpoint
CREATE TABLE `mcp_oauth_clients` (
	`server_id` text NOT NULL,
	`issuer` text NOT NULL,
	`client` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`server_id`, `issuer`),
	FOREIGN KEY (`server_id`) REFERENCES `mcp_servers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `mcp_oauth_flows` (
	`state` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`server_id` text NOT NULL,
	`flow` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`server_id`) REFERENCES `mcp_servers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mcp_oauth_flows_created` ON `mcp_oauth_flows` (`created_at`);--> statement-breakpoint
ALTER TABLE `mcp_servers` ADD `auth_mode` text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE `mcp_servers` ADD `oauth_client_id` text;--> statement-breakpoint
ALTER TABLE `mcp_servers` ADD `oauth_client_secret` text;--> statement-breakpoint
ALTER TABLE `mcp_servers` ADD `oauth_scopes` text;--> statement-breakpoint
ALTER TABLE `mcp_servers` ADD `oauth_issuer` text;--> statement-breakpoint
-- Entries that already send a secret header were using a static secret before auth modes existed.
UPDATE `mcp_servers` SET `auth_mode` = 'static' WHERE `secret_headers` <> '{}';
