//! The SQLite schema as ordered migrations; `PRAGMA user_version` counts those applied.

use rusqlite::Connection;

/// Each entry moves the schema one version on. Never edit an entry once released: add one.
const MIGRATIONS: &[&str] = &[
    // 1: the register.
    "
    CREATE TABLE regions (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE distributors (
        id INTEGER PRIMARY KEY,
        region_id INTEGER NOT NULL REFERENCES regions(id),
        name TEXT NOT NULL
    );
    CREATE TABLE venues (
        id INTEGER PRIMARY KEY,
        region_id INTEGER REFERENCES regions(id),
        name TEXT NOT NULL
    );
    CREATE TABLE offers (
        id INTEGER PRIMARY KEY,
        venue_id INTEGER NOT NULL REFERENCES venues(id),
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('ticket', 'course_place')),
        place_limit INTEGER
    );
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'distributor', 'venue')),
        scope_id INTEGER,
        label TEXT NOT NULL,
        secret_hash BLOB NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ')),
        revoked_at TEXT
    );
    CREATE TABLE cards (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('personal', 'community')),
        region_id INTEGER NOT NULL REFERENCES regions(id),
        distributor_id INTEGER NOT NULL REFERENCES distributors(id),
        issued_on TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
        revoked_reason TEXT,
        revoked_on TEXT,
        minors INTEGER NOT NULL,
        birth_year INTEGER,
        gender TEXT,
        mother_tongue TEXT,
        postal_code TEXT,
        minor_children INTEGER,
        minor_grandchildren INTEGER,
        change_seq INTEGER NOT NULL UNIQUE
    ) WITHOUT ROWID;
    CREATE INDEX cards_by_distributor ON cards(distributor_id);
    CREATE INDEX cards_by_region ON cards(region_id);
    CREATE TABLE card_life_situations (
        card_id TEXT NOT NULL REFERENCES cards(id),
        situation TEXT NOT NULL,
        PRIMARY KEY (card_id, situation)
    ) WITHOUT ROWID;
    CREATE TABLE activation_codes (
        code_hash BLOB PRIMARY KEY,
        card_id TEXT NOT NULL REFERENCES cards(id),
        expires_at TEXT NOT NULL,
        used_at TEXT
    );
    CREATE TABLE enrollment_codes (
        code_hash BLOB PRIMARY KEY,
        venue_id INTEGER NOT NULL REFERENCES venues(id),
        expires_at TEXT NOT NULL,
        used_at TEXT,
        device_id INTEGER
    );
    CREATE TABLE devices (
        id INTEGER PRIMARY KEY,
        venue_id INTEGER NOT NULL REFERENCES venues(id),
        label TEXT NOT NULL,
        secret_hash BLOB NOT NULL,
        enrolled_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE TABLE signing_keys (
        key_id INTEGER PRIMARY KEY,
        seed BLOB NOT NULL,
        active INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    -- Rows are kept in arrival order (the rowid), so an upload appends to the table even when
    -- devices send scans of the same days; only the small index on id takes random inserts.
    -- No index on card_id: statistics read a date range through redemptions_by_day.
    CREATE TABLE redemptions (
        id BLOB NOT NULL PRIMARY KEY,
        device_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        card_id TEXT NOT NULL,
        venue_id INTEGER NOT NULL,
        offer TEXT NOT NULL,
        offer_id INTEGER,
        adults INTEGER NOT NULL,
        children INTEGER NOT NULL,
        group_cards TEXT,
        scanned_at TEXT NOT NULL,
        scanned_on TEXT NOT NULL,
        received_at TEXT NOT NULL,
        entry TEXT NOT NULL,
        verdict TEXT NOT NULL,
        community INTEGER NOT NULL,
        late INTEGER NOT NULL,
        flags TEXT
    );
    CREATE INDEX redemptions_by_day ON redemptions(scanned_on);
    CREATE TABLE rejected_items (
        id INTEGER PRIMARY KEY,
        device_id INTEGER NOT NULL,
        redemption_id BLOB,
        body TEXT NOT NULL,
        reason TEXT NOT NULL,
        received_at TEXT NOT NULL,
        UNIQUE (device_id, body)
    );
    ",
    // 2: printed legacy IDs of the national register live beside Kaiku's own.
    "
    ALTER TABLE cards ADD COLUMN legacy_id INTEGER NOT NULL DEFAULT 0 CHECK (legacy_id IN (0, 1));
    ",
    // 3: staff sign-in. Usernames (stored lower case) with argon2id password hashes, one-time
    // invitations and sessions (both stored as SHA-256 of the secret), and failed sign-ins
    // counted per hashed key (account name or client address), so locks survive restarts.
    "
    ALTER TABLE users ADD COLUMN username TEXT;
    ALTER TABLE users ADD COLUMN password_hash TEXT;
    ALTER TABLE users ADD COLUMN password_set_at TEXT;
    CREATE UNIQUE INDEX users_by_username ON users(username) WHERE username IS NOT NULL;
    CREATE TABLE invitations (
        id INTEGER PRIMARY KEY,
        code_hash BLOB NOT NULL UNIQUE,
        user_id INTEGER NOT NULL REFERENCES users(id),
        created_by INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    );
    CREATE INDEX invitations_by_user ON invitations(user_id);
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        secret_hash BLOB NOT NULL,
        created_at TEXT NOT NULL,
        last_used_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        ended_at TEXT
    );
    CREATE INDEX sessions_by_user ON sessions(user_id);
    CREATE TABLE sign_in_failures (
        key BLOB PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_failure_at TEXT NOT NULL,
        blocked_until TEXT,
        locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1))
    ) WITHOUT ROWID;
    ",
    // 4: the staff console. Offers can be closed (kept, so their uses still count); a device's
    // last sync and count, and a venue's uses of a period, are read through indexes.
    "
    ALTER TABLE offers ADD COLUMN closed_at TEXT;
    CREATE INDEX offers_by_venue ON offers(venue_id);
    CREATE INDEX redemptions_by_device ON redemptions(device_id, received_at);
    CREATE INDEX redemptions_by_venue_day ON redemptions(venue_id, scanned_on);
    ",
    // 5: the statistics dashboard. A period's uses are read from one covering index, in day
    // order (it replaces redemptions_by_day, which it starts with), never from the table's
    // rows: the card, and a use's month, venue, kind and people packed in one number
    // (`stats_pass::PACKED`, the same expression); the cards' counts per distributor from
    // another, without reading the cards.
    "
    DROP INDEX redemptions_by_day;
    CREATE INDEX redemptions_for_stats ON redemptions(scanned_on, card_id, (((((CAST(substr(scanned_on, 1, 4) AS INTEGER) * 12 + CAST(substr(scanned_on, 6, 2) AS INTEGER) - 1) * 16777216 + venue_id) * 4 + community * 2 + (offer = 'course_place')) * 256 + adults) * 256 + children));
    CREATE INDEX cards_for_stats ON cards(region_id, distributor_id, issued_on, valid_until);
    CREATE INDEX cards_for_distributor_stats ON cards(distributor_id, issued_on, valid_until);
    ",
];

/// Migration 5, whose statistics index must hold `stats_pass::PACKED` word for word.
#[cfg(test)]
pub(super) fn statistics_index() -> &'static str {
    MIGRATIONS[4]
}

/// The schema version this code expects.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Applies the migrations the database has not seen, each in its own transaction.
pub fn apply(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(usize::try_from(current).unwrap_or(usize::MAX)) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
