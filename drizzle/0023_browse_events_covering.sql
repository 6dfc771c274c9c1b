DROP INDEX `browse_events_at_idx`;--> statement-breakpoint
CREATE INDEX `browse_events_at_idx` ON `browse_events` (`at`,`kind`,`customer_id`);