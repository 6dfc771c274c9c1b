CREATE TABLE `outgoing_event_subscriptions` (
	`endpoint` text NOT NULL,
	`event_type` text NOT NULL,
	`since` integer NOT NULL,
	PRIMARY KEY(`endpoint`, `event_type`)
);
--> statement-breakpoint
CREATE TABLE `outgoing_events` (
	`event_id` text NOT NULL,
	`endpoint` text NOT NULL,
	`type` text NOT NULL,
	`data` text NOT NULL,
	`customer_id` text,
	`message_id` text,
	`occurred_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`last_attempt_at` integer,
	`delivered_at` integer,
	`failed_at` integer,
	`last_error` text,
	PRIMARY KEY(`event_id`, `endpoint`)
);
--> statement-breakpoint
CREATE INDEX `outgoing_events_due_idx` ON `outgoing_events` (`next_attempt_at`) WHERE "outgoing_events"."delivered_at" IS NULL AND "outgoing_events"."failed_at" IS NULL;--> statement-breakpoint
CREATE INDEX `outgoing_events_created_idx` ON `outgoing_events` (`created_at`);--> statement-breakpoint
CREATE INDEX `outgoing_events_customer_idx` ON `outgoing_events` (`customer_id`);