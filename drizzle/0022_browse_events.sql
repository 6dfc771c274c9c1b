CREATE TABLE `browse_events` (
	`customer_id` text NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `at`, `kind`, `ref`)
);
--> statement-breakpoint
CREATE INDEX `browse_events_at_idx` ON `browse_events` (`at`);