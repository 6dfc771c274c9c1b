CREATE TABLE `platform_versions` (
	`platform` text NOT NULL,
	`resource` text NOT NULL,
	`resource_id` text NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`platform`, `resource`, `resource_id`)
);
--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`platform` text NOT NULL,
	`delivery_id` text NOT NULL,
	`topic` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `delivery_id`)
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_received_idx` ON `webhook_deliveries` (`received_at`);--> statement-breakpoint
CREATE TABLE `webhook_unknown_topics` (
	`platform` text NOT NULL,
	`topic` text NOT NULL,
	`count` integer NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `topic`)
);
--> statement-breakpoint
CREATE TABLE `shopify_checkout_tokens` (
	`token` text PRIMARY KEY NOT NULL,
	`cart_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `shopify_checkout_tokens_cart_idx` ON `shopify_checkout_tokens` (`cart_id`);--> statement-breakpoint
CREATE TABLE `shopify_inventory_items` (
	`inventory_item_id` text NOT NULL,
	`variant_id` text NOT NULL,
	PRIMARY KEY(`inventory_item_id`, `variant_id`)
);
--> statement-breakpoint
CREATE INDEX `shopify_inventory_items_variant_idx` ON `shopify_inventory_items` (`variant_id`);--> statement-breakpoint
CREATE TABLE `shopify_inventory_levels` (
	`inventory_item_id` text NOT NULL,
	`location_id` text NOT NULL,
	`available` integer NOT NULL,
	PRIMARY KEY(`inventory_item_id`, `location_id`)
);
