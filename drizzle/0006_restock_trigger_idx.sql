DROP INDEX `messages_trigger_idx`;--> statement-breakpoint
CREATE INDEX `messages_trigger_idx` ON `messages` (`campaign_id`,`trigger_ref`) WHERE "messages"."trigger_kind" = 'back_in_stock';