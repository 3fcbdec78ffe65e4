CREATE TABLE "identity_tokens" (
	"user_id" text PRIMARY KEY NOT NULL,
	"tokens" text NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mcp_authorisations" (
	"user_id" text NOT NULL,
	"server_id" text NOT NULL,
	"issuer" text NOT NULL,
	"tokens" text NOT NULL,
	"scope" text,
	"expires_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mcp_authorisations_user_id_server_id_pk" PRIMARY KEY("user_id","server_id")
);
--> statement-breakpoint
CREATE TABLE "mcp_oauth_clients" (
	"server_id" text NOT NULL,
	"issuer" text NOT NULL,
	"client" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mcp_oauth_clients_server_id_issuer_pk" PRIMARY KEY("server_id","issuer")
);
--> statement-breakpoint
CREATE TABLE "mcp_oauth_flows" (
	"state" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"server_id" text NOT NULL,
	"flow" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mcp_servers" ADD COLUMN "auth_mode" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "mcp_servers" ADD COLUMN "oauth_client_id" text;--> statement-breakpoint
ALTER TABLE "mcp_servers" ADD COLUMN "oauth_client_secret" text;--> statement-breakpoint
ALTER TABLE "mcp_servers" ADD COLUMN "oauth_scopes" text;--> statement-breakpoint
ALTER TABLE "mcp_servers" ADD COLUMN "oauth_issuer" text;--> statement-breakpoint
ALTER TABLE "identity_tokens" ADD CONSTRAINT "identity_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mcp_authorisations" ADD CONSTRAINT "mcp_authorisations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mcp_authorisations" ADD CONSTRAINT "mcp_authorisations_server_id_mcp_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mcp_oauth_clients" ADD CONSTRAINT "mcp_oauth_clients_server_id_mcp_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mcp_oauth_flows" ADD CONSTRAINT "mcp_oauth_flows_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mcp_oauth_flows" ADD CONSTRAINT "mcp_oauth_flows_server_id_mcp_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mcp_authorisations_server" ON "mcp_authorisations" USING btree ("server_id");--> statement-breakpoint
CREATE INDEX "mcp_oauth_flows_created" ON "mcp_oauth_flows" USING btree ("created_at");--> statement-breakpoint
-- Entries that already send a secret header were using a static secret before auth modes existed.
UPDATE "mcp_servers" SET "auth_mode" = 'static' WHERE "secret_headers" <> '{}'::jsonb;
