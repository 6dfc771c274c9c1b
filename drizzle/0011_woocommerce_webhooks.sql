CREATE TABLE `webhook_resource_versions` (
	`platform` text NOT NULL,
	`resource` text NOT NULL,
	`resource_id` text NOT NULL,
	`version_at` integer NOT NULL,
	`digest` text NOT NULL,
	`delivery_id` text,
	`applied_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `resource`, `resource_id`)
);
