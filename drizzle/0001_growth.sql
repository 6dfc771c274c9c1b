DROP INDEX `order_items_product_idx`;--> statement-breakpoint
DROP INDEX `orders_placed_at_idx`;--> statement-breakpoint
ALTER TABLE `customers` ADD `erased_at` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `cancel_reason` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `links` text;--> statement-breakpoint
CREATE INDEX `messages_trigger_idx` ON `messages` (`campaign_id`,`trigger_ref`);