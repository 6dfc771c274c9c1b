CREATE TABLE `sweep_cursors` (
	`job` text PRIMARY KEY NOT NULL,
	`campaign_id` text,
	`started_at` integer NOT NULL,
	`runs` integer DEFAULT 1 NOT NULL,
	`updated_at` integer NOT NULL
);
