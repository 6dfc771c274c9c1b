CREATE TABLE `sweep_decisions` (
	`run` text NOT NULL,
	`campaign_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`email` text,
	`instance` text,
	`verdict` text NOT NULL,
	`currency` text,
	`zone` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sweep_decisions_taken_idx` ON `sweep_decisions` (`run`,`customer_id`);--> statement-breakpoint
ALTER TABLE `customers` ADD `key_hash` integer;--> statement-breakpoint
ALTER TABLE `customers` ADD `email_hash` text;--> statement-breakpoint
CREATE INDEX `customers_unhashed_idx` ON `customers` (`id`) WHERE key_hash IS NULL OR (email_hash IS NULL AND email IS NOT NULL);--> statement-breakpoint
ALTER TABLE `sweep_cursors` ADD `after` text;