-- Queues a one-time data repair that migrateLibsql (src/db/libsql.ts) runs in
-- JS right after the SQL migrations, then deletes from this table: text that
-- SQLite's JSON functions stored as encoded lone surrogates (bytes ED A0..BF xx,
-- not UTF-8) is rewritten as U+FFFD. SQL alone cannot tell such bytes from
-- valid UTF-8, hence the JS step. On D1 nothing consumes the row: there a read
-- of those bytes yields U+FFFD instead of aborting, so nothing breaks.
CREATE TABLE IF NOT EXISTS `pending_repairs` (`name` text PRIMARY KEY NOT NULL);
--> statement-breakpoint
INSERT OR IGNORE INTO `pending_repairs` (`name`) VALUES ('text_encoded_surrogates');
