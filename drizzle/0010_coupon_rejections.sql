CREATE TABLE `coupon_rejections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` text NOT NULL,
	`code` text NOT NULL,
	`reason` text NOT NULL,
	`campaign_id` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `coupon_rejections_order_code_uq` ON `coupon_rejections` (`order_id`,`code`);--> statement-breakpoint
CREATE INDEX `coupon_rejections_campaign_idx` ON `coupon_rejections` (`campaign_id`);