ALTER TABLE `chats` ADD `system_prompt` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `custom_instructions` text DEFAULT '' NOT NULL;