CREATE TABLE "model_usage" (
	"user_id" text NOT NULL,
	"model_id" text NOT NULL,
	"model_name" text NOT NULL,
	"day" text NOT NULL,
	"answers" integer DEFAULT 0 NOT NULL,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "model_usage_user_id_model_id_day_pk" PRIMARY KEY("user_id","model_id","day")
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"provider" text NOT NULL,
	"base_url" text,
	"model_id" text,
	"api_key" text,
	"token_scope" text,
	"context_window" integer,
	"accepts_images" boolean DEFAULT false NOT NULL,
	"tool_calls" boolean DEFAULT true NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"allowed_roles" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "models_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "chats" ADD COLUMN "model_id" text;--> statement-breakpoint
ALTER TABLE "model_usage" ADD CONSTRAINT "model_usage_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_usage_day" ON "model_usage" USING btree ("day");--> statement-breakpoint
ALTER TABLE "chats" ADD CONSTRAINT "chats_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE set null ON UPDATE no action;