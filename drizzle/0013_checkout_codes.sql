CREATE TABLE `checkout_codes` (
	`code` text NOT NULL,
	`platform` text NOT NULL,
	`state` text NOT NULL,
	`tries` integer DEFAULT 0 NOT NULL,
	`synced_at` integer,
	`error` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`code`, `platform`)
);
--> statement-breakpoint
CREATE TABLE `checkout_discounts` (
	`platform` text NOT NULL,
	`campaign_id` text NOT NULL,
	`step` integer NOT NULL,
	`currency` text NOT NULL,
	`terms` text NOT NULL,
	`discount_id` text NOT NULL,
	`ends_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `campaign_id`, `step`, `currency`, `terms`)
);
--> statement-breakpoint
CREATE INDEX `checkout_discounts_discount_idx` ON `checkout_discounts` (`platform`,`discount_id`);