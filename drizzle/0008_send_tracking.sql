ALTER TABLE `messages` ADD `claims` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `send_started_at` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `resent_at` integer;