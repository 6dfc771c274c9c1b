DROP INDEX `coupons_message_idx`;--> statement-breakpoint
CREATE UNIQUE INDEX `coupons_message_uq` ON `coupons` (`message_id`);--> statement-breakpoint
ALTER TABLE `messages` ADD `offer_currency` text;