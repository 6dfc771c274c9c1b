CREATE TABLE `shopify_sync_cursors` (
	`resource` text PRIMARY KEY NOT NULL,
	`after` text NOT NULL,
	`pages` integer NOT NULL,
	`records` integer NOT NULL,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
