//! The SQLite schema as ordered migrations; `PRAGMA user_version` counts those applied.

use rusqlite::Connection;

/// Fills `card_numbers` and `use_facts` from the redemptions after rowid `$after`: what an
/// upload writes for each (`stats_facts::Facts`), row for row. Migration 6 carries the
/// existing rows over with it, the register.json import the rows it has just inserted.
macro_rules! use_facts_backfill {
    ($after:literal) => {
        concat!(
            "
    INSERT INTO card_numbers (id) SELECT card_id FROM redemptions WHERE rowid > ",
            $after,
            " ORDER BY rowid ON CONFLICT (id) DO NOTHING;
    INSERT INTO use_facts (day, redemption, card, facts)
    SELECT unixepoch(r.scanned_on) / 86400, r.rowid, n.n,
        r.venue_id * 262144 + r.community * 131072 + (r.offer = 'course_place') * 65536 + r.adults * 256 + r.children
    FROM redemptions r JOIN card_numbers n ON n.id = r.card_id WHERE r.rowid > ",
            $after,
            " ORDER BY 1, 2;
    "
        )
    };
}

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
    // 6: statistics from compact integer rows. Each card that has been used gets a small number
    // (`card_numbers`), and each use one row of `use_facts` in day order: the day, the card's
    // number and the use packed in one integer (`stats_facts`). An upload writes both beside
    // each redemption it inserts; the rows stored before are carried over here. The covering
    // index of migration 5 is no longer read; a plain index on the day stays for the export.
    concat!(
        "
    CREATE TABLE card_numbers (
        n INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE
    );
    CREATE TABLE use_facts (
        day INTEGER NOT NULL,
        redemption INTEGER NOT NULL,
        card INTEGER NOT NULL,
        facts INTEGER NOT NULL,
        PRIMARY KEY (day, redemption)
    ) WITHOUT ROWID;
    DROP INDEX redemptions_for_stats;
    CREATE INDEX redemptions_by_day ON redemptions(scanned_on);
    ",
        use_facts_backfill!("0")
    ),
    // 7: uses to check and the holders' refresh secrets. A redemption stored is looked for by
    // the hour of its scan and its card (`flags::Flagger`): keyed by the hour first, an upload's
    // entries land in a few index pages, where an index by card would dirty a page for nearly
    // every item. Each pair of one card's uses by two devices within the window is one row,
    // with both sides kept as they were, read per venue. A refresh secret's hash per card (no
    // foreign key: it must not hold up a card's deletion).
    "
    CREATE INDEX redemptions_by_hour_card ON redemptions(substr(scanned_at, 1, 13), card_id);
    CREATE TABLE flagged_uses (
        id INTEGER PRIMARY KEY,
        card_id TEXT NOT NULL,
        first_id BLOB NOT NULL,
        first_at TEXT NOT NULL,
        first_venue INTEGER NOT NULL,
        first_device INTEGER NOT NULL,
        first_offer TEXT NOT NULL,
        first_offer_id INTEGER,
        second_id BLOB NOT NULL,
        second_at TEXT NOT NULL,
        second_venue INTEGER NOT NULL,
        second_device INTEGER NOT NULL,
        second_offer TEXT NOT NULL,
        second_offer_id INTEGER,
        flagged_at TEXT NOT NULL,
        UNIQUE (first_id, second_id)
    );
    CREATE INDEX flagged_uses_by_first_venue ON flagged_uses(first_venue, first_at);
    CREATE INDEX flagged_uses_by_second_venue ON flagged_uses(second_venue, second_at);
    CREATE TABLE refresh_secrets (
        card_id TEXT PRIMARY KEY,
        secret_hash BLOB NOT NULL,
        created_at TEXT NOT NULL
    ) WITHOUT ROWID;
    ",
    // 8 (or later): the key chain. Each key's endorsement by the key that was active when it was
    // made (none for the first), and a retirement: from when scanners refuse its credentials,
    // signed by the key that was active then. Signatures are 128 hex digits.
    "
    ALTER TABLE signing_keys ADD COLUMN endorsed_by INTEGER;
    ALTER TABLE signing_keys ADD COLUMN endorsement TEXT;
    ALTER TABLE signing_keys ADD COLUMN retired_from TEXT;
    ALTER TABLE signing_keys ADD COLUMN retired_by INTEGER;
    ALTER TABLE signing_keys ADD COLUMN retirement TEXT;
    ",
    // 9 (or later): retention. Before a year's uses are purged, the store's statistics answers
    // for each whole month and the year, for every scope, are kept as JSON (`archive`); the
    // one row of `retention` says where the purged range ends (its first kept day).
    "
    CREATE TABLE statistics_archive (
        scope TEXT NOT NULL,
        period_from TEXT NOT NULL,
        period_to TEXT NOT NULL,
        figures TEXT NOT NULL,
        answer TEXT NOT NULL,
        PRIMARY KEY (scope, period_from, period_to, figures)
    ) WITHOUT ROWID;
    CREATE TABLE retention (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        purged_before TEXT NOT NULL
    );
    ",
    // 10: an upload's own lookups from compact integer rows. Every registered card is numbered
    // when it is made (a trigger; the door's upload then only reads the number), and each use's
    // hour, card number, device and time go into `scan_hours` for finding uses to check
    // (`flag_check`), instead of an index over the redemptions' texts.
    "
    INSERT INTO card_numbers (id) SELECT id FROM cards ORDER BY id ON CONFLICT (id) DO NOTHING;
    CREATE TRIGGER cards_numbered AFTER INSERT ON cards
    BEGIN
        INSERT INTO card_numbers (id) VALUES (NEW.id) ON CONFLICT (id) DO NOTHING;
    END;
    DROP INDEX redemptions_by_hour_card;
    CREATE TABLE scan_hours (
        hour INTEGER NOT NULL,
        card INTEGER NOT NULL,
        redemption INTEGER NOT NULL,
        device INTEGER NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (hour, card, redemption)
    ) WITHOUT ROWID;
    INSERT INTO scan_hours (hour, card, redemption, device, at)
    SELECT unixepoch(r.scanned_at) / 3600, n.n, r.rowid, r.device_id, unixepoch(r.scanned_at)
    FROM redemptions r JOIN card_numbers n ON n.id = r.card_id ORDER BY 1, 2, 3;
    ",
    // 11: the projector (`projector`). An upload stores only the redemption; one step at a time
    // writes what is derived from the new rows (use_facts, scan_hours, uses to check, the
    // console's counters) in large sorted chunks, and `projection` says which rows it has
    // done. The rows stored before are derived already. The console's counters replace the
    // indexes over the redemptions, which each upload had to keep; a period's redemptions
    // are found through use_facts. A correction (the door's undo) names the redemption it
    // takes back in `undoes`, at most one per redemption; a use taken back and its correction
    // keep their use_facts row (for the export and the purge) marked `undone`.
    "
    ALTER TABLE redemptions ADD COLUMN undoes BLOB;
    CREATE UNIQUE INDEX redemptions_undone ON redemptions(undoes) WHERE undoes IS NOT NULL;
    ALTER TABLE use_facts ADD COLUMN undone INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE projection (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        through INTEGER NOT NULL,
        flag_window_minutes INTEGER NOT NULL
    );
    INSERT INTO projection (id, through, flag_window_minutes) SELECT 1, coalesce(max(rowid), 0), 60 FROM redemptions;
    CREATE TABLE device_uses (
        device_id INTEGER PRIMARY KEY,
        last_sync TEXT NOT NULL,
        uses INTEGER NOT NULL
    );
    INSERT INTO device_uses (device_id, last_sync, uses)
    SELECT device_id, max(received_at), count(*) FROM redemptions GROUP BY device_id;
    CREATE TABLE venue_day_uses (
        venue_id INTEGER NOT NULL,
        day INTEGER NOT NULL,
        offer_id INTEGER NOT NULL,
        offer TEXT NOT NULL,
        uses INTEGER NOT NULL,
        adults INTEGER NOT NULL,
        children INTEGER NOT NULL,
        course_places INTEGER NOT NULL,
        community_uses INTEGER NOT NULL,
        PRIMARY KEY (venue_id, day, offer_id, offer)
    ) WITHOUT ROWID;
    INSERT INTO venue_day_uses
    SELECT venue_id, unixepoch(scanned_on) / 86400, coalesce(offer_id, 0), offer, count(*), sum(adults),
        sum(children), sum(offer = 'course_place'), sum(community)
    FROM redemptions GROUP BY 1, 2, 3, 4;
    CREATE INDEX flagged_uses_by_second ON flagged_uses(second_id);
    DROP INDEX redemptions_by_day;
    DROP INDEX redemptions_by_device;
    DROP INDEX redemptions_by_venue_day;
    ",
    // 12 (or later): a redemption keeps its card's number (`card_numbers`), which the upload
    // reads with the card, so that the projector need not look each one up by the card's ID.
    // Registered cards keep their numbers for good; rows without one (corrections, rows stored
    // before) are looked up as before.
    "
    ALTER TABLE redemptions ADD COLUMN card_number INTEGER;
    ",
    // 13 (or later): the keys clients send card registrations with (`card_requests`).
    super::card_requests::MIGRATION,
    // 14 (or later): a calendar year's statistics from kept sums (`stats_schema`).
    super::stats_schema::MIGRATION,
    // 15 (or later): counted uses the daily purge deleted (`stats_schema`).
    super::stats_schema::PURGED_MIGRATION,
];

/// The backfill for the rows after the rowid `?1`: the projector's rows are checked against it.
#[cfg(test)]
pub const USE_FACTS_AFTER: &str = use_facts_backfill!("?1");

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
