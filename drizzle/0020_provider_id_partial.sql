DROP INDEX `messages_provider_id_idx`;--> statement-breakpoint
CREATE INDEX `messages_provider_id_idx` ON `messages` (`provider_message_id`) WHERE "messages"."provider_message_id" IS NOT NULL;