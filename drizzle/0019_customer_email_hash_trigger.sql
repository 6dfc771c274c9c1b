-- customers.email_hash is the hash of the address as it was when the sweep
-- filled it (src/db/sweeps/customer-hashes.ts). Whatever write changes the
-- address (an upsert, an erasure, a repair), the hash goes with it, so a
-- sweep never matches the suppressions table against an old address.
CREATE TRIGGER `customers_email_hash_reset` AFTER UPDATE OF `email` ON `customers`
WHEN OLD.`email` IS NOT NEW.`email` AND NEW.`email_hash` IS NOT NULL
BEGIN
  UPDATE `customers` SET `email_hash` = NULL WHERE `id` = NEW.`id`;
END;
