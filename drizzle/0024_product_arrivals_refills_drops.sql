CREATE TABLE `price_drops` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` text NOT NULL,
	`currency` text NOT NULL,
	`from_minor` integer NOT NULL,
	`to_minor` integer NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `price_drops_at_idx` ON `price_drops` (`at`);--> statement-breakpoint
CREATE INDEX `price_drops_product_idx` ON `price_drops` (`product_id`,`at`);--> statement-breakpoint
ALTER TABLE `products` ADD `replenish_days` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `first_in_stock_at` integer;--> statement-breakpoint
CREATE INDEX `products_first_in_stock_idx` ON `products` (`first_in_stock_at`);--> statement-breakpoint
-- Products in stock before this migration are not new arrivals.
UPDATE `products` SET `first_in_stock_at` = 0 WHERE `in_stock` = 1;
