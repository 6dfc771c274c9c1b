CREATE TABLE `woocommerce_sync_positions` (
	`resource` text PRIMARY KEY NOT NULL,
	`next_page` integer,
	`run_since` integer,
	`run_started_at` integer,
	`completed_from` integer,
	`updated_at` integer NOT NULL
);
