-- Delivering the outbox: when each email was delivered (null until it
-- is) and how many times delivery was tried; and the stand-in mail
-- sender's record of what it sent, one row per outbox email (a
-- redelivery adds none).
ALTER TABLE outbox ADD COLUMN delivered_at TEXT;
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;

CREATE TABLE sent_email (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id INTEGER NOT NULL UNIQUE REFERENCES outbox (id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
