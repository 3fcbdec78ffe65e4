ALTER TABLE "chats" ADD COLUMN "system_prompt" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "custom_instructions" text DEFAULT '' NOT NULL;