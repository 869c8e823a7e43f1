//! The schema of a calendar year's statistics kept as sums (`stats_fold`, read by `stats_year`),
//! as migrations 14 and 15 of `migrations::MIGRATIONS`.

/// Migration 14: the sums, kept by `stats_fold` after the projector from `stats_fold.through`
/// on, and built from use_facts when `built` is 0 (here, and when far behind). A card whose
/// year is counted and whose register entry changes is noted for the fold in
/// `stats_dirty_cards`. The cards per year issued and valid are counted by triggers (the
/// register changes seldom).
pub const MIGRATION: &str = "
    CREATE TABLE stats_fold (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        through INTEGER NOT NULL,
        built INTEGER NOT NULL,
        version INTEGER NOT NULL
    );
    INSERT INTO stats_fold (id, through, built, version) VALUES (1, 0, 0, 0);
    CREATE TABLE stats_card_years (
        card INTEGER NOT NULL,
        year INTEGER NOT NULL,
        region INTEGER,
        distributor INTEGER,
        cell TEXT,
        uses BLOB NOT NULL,
        PRIMARY KEY (card, year)
    ) WITHOUT ROWID;
    CREATE TABLE stats_sums (
        year INTEGER NOT NULL,
        region INTEGER NOT NULL,
        distributor INTEGER NOT NULL,
        key TEXT NOT NULL,
        a INTEGER NOT NULL, b INTEGER NOT NULL, c INTEGER NOT NULL, d INTEGER NOT NULL,
        e INTEGER NOT NULL, f INTEGER NOT NULL, g INTEGER NOT NULL, h INTEGER NOT NULL,
        PRIMARY KEY (year, region, distributor, key)
    ) WITHOUT ROWID;
    CREATE TABLE stats_cells (
        year INTEGER NOT NULL,
        region INTEGER NOT NULL,
        distributor INTEGER NOT NULL,
        cell TEXT NOT NULL,
        cards INTEGER NOT NULL,
        uses INTEGER NOT NULL,
        PRIMARY KEY (year, region, distributor, cell)
    ) WITHOUT ROWID;
    CREATE TABLE stats_dirty_cards (id TEXT NOT NULL);
    -- The register's cards by region, distributor, year issued and last year valid: a
    -- calendar year's cards registered and valid without reading every card.
    CREATE TABLE stats_card_counts (
        region INTEGER NOT NULL,
        distributor INTEGER NOT NULL,
        issued INTEGER NOT NULL,
        valid_until INTEGER NOT NULL,
        cards INTEGER NOT NULL,
        PRIMARY KEY (region, distributor, issued, valid_until)
    ) WITHOUT ROWID;
    INSERT INTO stats_card_counts (region, distributor, issued, valid_until, cards)
    SELECT region_id, distributor_id, CAST(substr(issued_on, 1, 4) AS INTEGER),
        CAST(substr(valid_until, 1, 4) AS INTEGER), count(*)
    FROM cards GROUP BY 1, 2, 3, 4;
    CREATE TRIGGER stats_card_counted AFTER INSERT ON cards
    BEGIN
        INSERT INTO stats_card_counts (region, distributor, issued, valid_until, cards)
        VALUES (NEW.region_id, NEW.distributor_id, CAST(substr(NEW.issued_on, 1, 4) AS INTEGER),
            CAST(substr(NEW.valid_until, 1, 4) AS INTEGER), 1)
        ON CONFLICT (region, distributor, issued, valid_until) DO UPDATE SET cards = cards + 1;
    END;
    CREATE TRIGGER stats_card_recounted
    AFTER UPDATE OF region_id, distributor_id, issued_on, valid_until ON cards
    WHEN (OLD.region_id, OLD.distributor_id, OLD.issued_on, OLD.valid_until)
        IS NOT (NEW.region_id, NEW.distributor_id, NEW.issued_on, NEW.valid_until)
    BEGIN
        UPDATE stats_card_counts SET cards = cards - 1
        WHERE region = OLD.region_id AND distributor = OLD.distributor_id
            AND issued = CAST(substr(OLD.issued_on, 1, 4) AS INTEGER)
            AND valid_until = CAST(substr(OLD.valid_until, 1, 4) AS INTEGER);
        INSERT INTO stats_card_counts (region, distributor, issued, valid_until, cards)
        VALUES (NEW.region_id, NEW.distributor_id, CAST(substr(NEW.issued_on, 1, 4) AS INTEGER),
            CAST(substr(NEW.valid_until, 1, 4) AS INTEGER), 1)
        ON CONFLICT (region, distributor, issued, valid_until) DO UPDATE SET cards = cards + 1;
    END;
    CREATE TRIGGER stats_card_uncounted AFTER DELETE ON cards
    BEGIN
        UPDATE stats_card_counts SET cards = cards - 1
        WHERE region = OLD.region_id AND distributor = OLD.distributor_id
            AND issued = CAST(substr(OLD.issued_on, 1, 4) AS INTEGER)
            AND valid_until = CAST(substr(OLD.valid_until, 1, 4) AS INTEGER);
    END;
    CREATE TRIGGER stats_card_registered AFTER INSERT ON cards
    WHEN EXISTS (SELECT 1 FROM stats_card_years y WHERE y.card = (SELECT n FROM card_numbers WHERE id = NEW.id))
    BEGIN
        INSERT INTO stats_dirty_cards (id) VALUES (NEW.id);
    END;
    CREATE TRIGGER stats_card_changed
    AFTER UPDATE OF region_id, distributor_id, birth_year, gender, mother_tongue, postal_code ON cards
    WHEN (OLD.region_id, OLD.distributor_id, OLD.birth_year, OLD.gender, OLD.mother_tongue, OLD.postal_code)
        IS NOT (NEW.region_id, NEW.distributor_id, NEW.birth_year, NEW.gender, NEW.mother_tongue, NEW.postal_code)
    AND EXISTS (SELECT 1 FROM stats_card_years y WHERE y.card = (SELECT n FROM card_numbers WHERE id = NEW.id))
    BEGIN
        INSERT INTO stats_dirty_cards (id) VALUES (NEW.id);
    END;
    CREATE TRIGGER stats_situation_added AFTER INSERT ON card_life_situations
    WHEN EXISTS (SELECT 1 FROM stats_card_years y WHERE y.card = (SELECT n FROM card_numbers WHERE id = NEW.card_id))
    BEGIN
        INSERT INTO stats_dirty_cards (id) VALUES (NEW.card_id);
    END;
    CREATE TRIGGER stats_situation_removed AFTER DELETE ON card_life_situations
    WHEN EXISTS (SELECT 1 FROM stats_card_years y WHERE y.card = (SELECT n FROM card_numbers WHERE id = OLD.card_id))
    BEGIN
        INSERT INTO stats_dirty_cards (id) VALUES (OLD.card_id);
    END;
";

/// Migration 15: counted uses the daily purge deleted, for the fold to take off their card's
/// year (instead of building the sums afresh after every purge).
pub const PURGED_MIGRATION: &str = "
    CREATE TABLE stats_purged (card INTEGER NOT NULL, day INTEGER NOT NULL, redemption INTEGER NOT NULL);
";
