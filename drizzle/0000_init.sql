CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_uq` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE TABLE `cart_items` (
	`cart_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`product_id` text,
	`title` text,
	`quantity` integer NOT NULL,
	`unit_price_minor` integer NOT NULL,
	PRIMARY KEY(`cart_id`, `line_no`)
);
--> statement-breakpoint
CREATE INDEX `cart_items_product_idx` ON `cart_items` (`product_id`);--> statement-breakpoint
CREATE TABLE `carts` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text,
	`email` text,
	`status` text NOT NULL,
	`currency` text NOT NULL,
	`value_minor` integer NOT NULL,
	`recovery_url` text,
	`last_activity_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `carts_open_by_activity_idx` ON `carts` (`last_activity_at`) WHERE "carts"."status" = 'open';--> statement-breakpoint
CREATE INDEX `carts_customer_idx` ON `carts` (`customer_id`);--> statement-breakpoint
CREATE TABLE `coupons` (
	`code` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`message_id` text,
	`customer_id` text,
	`kind` text NOT NULL,
	`value` integer NOT NULL,
	`currency` text,
	`min_subtotal_minor` integer,
	`expires_at` integer,
	`uses_allowed` integer DEFAULT 1 NOT NULL,
	`uses` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `coupons_campaign_idx` ON `coupons` (`campaign_id`);--> statement-breakpoint
CREATE INDEX `coupons_message_idx` ON `coupons` (`message_id`);--> statement-breakpoint
CREATE TABLE `redemptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`coupon_code` text NOT NULL,
	`order_id` text NOT NULL,
	`currency` text NOT NULL,
	`order_total_minor` integer NOT NULL,
	`discount_minor` integer NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `redemptions_order_uq` ON `redemptions` (`order_id`);--> statement-breakpoint
CREATE INDEX `redemptions_coupon_idx` ON `redemptions` (`coupon_code`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text,
	`first_name` text,
	`last_name` text,
	`locale` text,
	`timezone` text,
	`country` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`marketing_consent` integer DEFAULT false NOT NULL,
	`consent_updated_at` integer,
	`suppressed_at` integer,
	`suppression_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `customers_email_idx` ON `customers` (`email`);--> statement-breakpoint
CREATE TABLE `suppressions` (
	`email_hash` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tracking_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	`link_index` integer,
	`is_proxy` integer DEFAULT false NOT NULL,
	`detail` text,
	`user_agent` text,
	`ip` text
);
--> statement-breakpoint
CREATE INDEX `tracking_events_message_idx` ON `tracking_events` (`message_id`,`kind`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`dedupe_key` text NOT NULL,
	`campaign_id` text NOT NULL,
	`step` integer DEFAULT 0 NOT NULL,
	`customer_id` text,
	`email` text,
	`trigger_kind` text NOT NULL,
	`trigger_ref` text NOT NULL,
	`status` text NOT NULL,
	`coupon_code` text,
	`due_at` integer NOT NULL,
	`lease_until` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`provider_message_id` text,
	`sent_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_dedupe_key_uq` ON `messages` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `messages_due_idx` ON `messages` (`due_at`) WHERE "messages"."status" = 'scheduled';--> statement-breakpoint
CREATE INDEX `messages_customer_idx` ON `messages` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_campaign_idx` ON `messages` (`campaign_id`,`status`);--> statement-breakpoint
CREATE TABLE `order_items` (
	`order_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`product_id` text,
	`title` text,
	`quantity` integer NOT NULL,
	`unit_price_minor` integer NOT NULL,
	PRIMARY KEY(`order_id`, `line_no`)
);
--> statement-breakpoint
CREATE INDEX `order_items_product_idx` ON `order_items` (`product_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`placed_at` integer NOT NULL,
	`status` text NOT NULL,
	`currency` text NOT NULL,
	`total_minor` integer NOT NULL,
	`discount_codes` text DEFAULT '[]' NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `orders_purchases_by_customer_idx` ON `orders` (`customer_id`,`placed_at`) WHERE "orders"."status" = 'paid';--> statement-breakpoint
CREATE INDEX `orders_placed_at_idx` ON `orders` (`placed_at`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`url` text,
	`image_url` text,
	`category` text,
	`currency` text NOT NULL,
	`price_minor` integer NOT NULL,
	`stock_quantity` integer,
	`in_stock` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `products_category_idx` ON `products` (`category`);--> statement-breakpoint
CREATE TABLE `restocks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `restocks_product_idx` ON `restocks` (`product_id`,`at`);--> statement-breakpoint
CREATE TABLE `waitlist_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`customer_id` text,
	`email` text NOT NULL,
	`created_at` integer NOT NULL,
	`notified_at` integer
);
--> statement-breakpoint
CREATE INDEX `waitlist_pending_by_product_idx` ON `waitlist_entries` (`product_id`,`created_at`) WHERE "waitlist_entries"."notified_at" is null;