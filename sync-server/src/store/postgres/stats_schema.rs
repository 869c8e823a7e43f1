//! The schema behind national-scale statistics (migration 3): a calendar year's figures kept
//! per card and summed per cell, so that a year of the whole country is read from a few
//! thousand rows instead of counted from ten million uses.
//!
//! Writes on upload stay small: a trigger only notes which card's year changed
//! (`stats_dirty`, no index, no row another upload could lock). A task folds the noted cards
//! in soon after (`stats_fold`, `stats_task`): it recounts each one's year from the redemptions
//! and moves its contribution between the summed rows, so the sums are exact whatever order
//! uses, corrections, deletions and register changes came in. A statistics request adds the
//! still-noted cards' change itself (`stats_sums`). Card counts per distributor
//! and day are kept by a trigger on `cards` (the register changes far less often than uses).
//!
//! A later migration ([`MONTHS_MIGRATION`]) adds each card-year's uses by venue and month,
//! summed per region, distributor, venue and month, so that a region's or a distributor's
//! year has its months and venues without a pass over the uses.

/// Migration 3, appended to `migrations::MIGRATIONS`.
pub const MIGRATION: &str = r#"
    -- Cards whose counted uses in a year may have changed; year NULL: every year of the card.
    CREATE TABLE stats_dirty (
        card_id text COLLATE "C" NOT NULL,
        year integer
    );
    -- Each registered card's counted uses in a calendar year (when any), with the keys its
    -- contribution was added under; the age band is the card holder's in that year.
    CREATE TABLE card_year_uses (
        card_id text COLLATE "C" NOT NULL,
        year integer NOT NULL,
        uses bigint NOT NULL,
        adults bigint NOT NULL,
        children bigint NOT NULL,
        course_places bigint NOT NULL,
        community_uses bigint NOT NULL,
        community_adults bigint NOT NULL,
        community_children bigint NOT NULL,
        region_id bigint NOT NULL,
        distributor_id bigint NOT NULL,
        age_band text,
        gender text NOT NULL,
        mother_tongue text NOT NULL,
        postal_code text NOT NULL,
        situations text NOT NULL,
        PRIMARY KEY (card_id, year)
    );
    -- Cards used in a year by their uses that year (6: six or more), and the sums of
    -- `card_year_uses` over them.
    CREATE TABLE stats_frequency (
        year integer NOT NULL,
        region_id bigint NOT NULL,
        distributor_id bigint NOT NULL,
        uses_band smallint NOT NULL,
        cards bigint NOT NULL,
        uses bigint NOT NULL,
        adults bigint NOT NULL,
        children bigint NOT NULL,
        course_places bigint NOT NULL,
        community_uses bigint NOT NULL,
        community_adults bigint NOT NULL,
        community_children bigint NOT NULL,
        PRIMARY KEY (year, region_id, distributor_id, uses_band)
    );
    -- The cross-tab's cells of a year: cards with background data used that year and their
    -- uses, by region and background ('' for a value not given; `situations` comma-separated).
    CREATE TABLE stats_cells (
        year integer NOT NULL,
        region_id bigint NOT NULL,
        age_band text NOT NULL,
        gender text NOT NULL,
        mother_tongue text NOT NULL,
        postal_code text NOT NULL,
        situations text NOT NULL,
        cards bigint NOT NULL,
        uses bigint NOT NULL,
        PRIMARY KEY (year, region_id, age_band, gender, mother_tongue, postal_code, situations)
    );
    -- The register's cards by distributor, day issued and last valid day.
    CREATE TABLE card_counts (
        region_id bigint NOT NULL,
        distributor_id bigint NOT NULL,
        issued_on date NOT NULL,
        valid_until date NOT NULL,
        cards bigint NOT NULL,
        PRIMARY KEY (region_id, distributor_id, issued_on, valid_until)
    );
    INSERT INTO card_counts
    SELECT region_id, distributor_id, issued_on, valid_until, count(*) FROM cards GROUP BY 1, 2, 3, 4;
    INSERT INTO stats_dirty
    SELECT DISTINCT card_id, extract(year FROM scanned_on)::integer FROM redemptions
    WHERE undoes IS NULL AND undone_by IS NULL;

    CREATE FUNCTION stats_uses_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO stats_dirty SELECT DISTINCT card_id, extract(year FROM scanned_on)::integer
            FROM new_rows WHERE undoes IS NULL AND undone_by IS NULL;
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO stats_dirty SELECT DISTINCT card_id, extract(year FROM scanned_on)::integer
            FROM old_rows WHERE undoes IS NULL AND undone_by IS NULL;
        ELSE
            INSERT INTO stats_dirty SELECT DISTINCT n.card_id, extract(year FROM n.scanned_on)::integer
            FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (o.undoes IS NULL AND o.undone_by IS NULL) <> (n.undoes IS NULL AND n.undone_by IS NULL)
               OR o.card_id <> n.card_id OR o.scanned_on <> n.scanned_on;
        END IF;
        RETURN NULL;
    END $f$;
    CREATE TRIGGER stats_uses_inserted AFTER INSERT ON redemptions REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stats_uses_changed();
    CREATE TRIGGER stats_uses_updated AFTER UPDATE ON redemptions
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stats_uses_changed();
    CREATE TRIGGER stats_uses_deleted AFTER DELETE ON redemptions REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stats_uses_changed();

    -- One branch an operation: a statement naming a transition table the trigger lacks fails.
    CREATE FUNCTION stats_cards_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO card_counts
            SELECT region_id, distributor_id, issued_on, valid_until, count(*) FROM new_rows
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (region_id, distributor_id, issued_on, valid_until)
            DO UPDATE SET cards = card_counts.cards + excluded.cards;
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO card_counts
            SELECT region_id, distributor_id, issued_on, valid_until, -count(*) FROM old_rows
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (region_id, distributor_id, issued_on, valid_until)
            DO UPDATE SET cards = card_counts.cards + excluded.cards;
        ELSE
            INSERT INTO card_counts
            SELECT k.region_id, k.distributor_id, k.issued_on, k.valid_until, sum(k.n) FROM (
                SELECT o.region_id, o.distributor_id, o.issued_on, o.valid_until, -1 AS n
                FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE (n.region_id, n.distributor_id, n.issued_on, n.valid_until)
                    <> (o.region_id, o.distributor_id, o.issued_on, o.valid_until)
                UNION ALL
                SELECT n.region_id, n.distributor_id, n.issued_on, n.valid_until, 1
                FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE (n.region_id, n.distributor_id, n.issued_on, n.valid_until)
                    <> (o.region_id, o.distributor_id, o.issued_on, o.valid_until)) k
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (region_id, distributor_id, issued_on, valid_until)
            DO UPDATE SET cards = card_counts.cards + excluded.cards;
            INSERT INTO stats_dirty SELECT n.id, NULL FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.region_id, n.distributor_id, n.birth_year, n.gender, n.mother_tongue, n.postal_code)
                IS DISTINCT FROM (o.region_id, o.distributor_id, o.birth_year, o.gender, o.mother_tongue, o.postal_code)
              AND EXISTS (SELECT 1 FROM card_year_uses u WHERE u.card_id = n.id);
        END IF;
        RETURN NULL;
    END $f$;
    CREATE TRIGGER stats_cards_inserted AFTER INSERT ON cards REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stats_cards_changed();
    CREATE TRIGGER stats_cards_updated AFTER UPDATE ON cards
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stats_cards_changed();
    CREATE TRIGGER stats_cards_deleted AFTER DELETE ON cards REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stats_cards_changed();

    CREATE FUNCTION stats_situations_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO stats_dirty SELECT DISTINCT n.card_id, NULL::integer FROM new_rows n
            WHERE EXISTS (SELECT 1 FROM card_year_uses u WHERE u.card_id = n.card_id);
        ELSE
            INSERT INTO stats_dirty SELECT DISTINCT o.card_id, NULL::integer FROM old_rows o
            WHERE EXISTS (SELECT 1 FROM card_year_uses u WHERE u.card_id = o.card_id);
        END IF;
        RETURN NULL;
    END $f$;
    CREATE TRIGGER stats_situations_inserted AFTER INSERT ON card_life_situations
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_situations_changed();
    CREATE TRIGGER stats_situations_updated AFTER UPDATE ON card_life_situations
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_situations_changed();
    CREATE TRIGGER stats_situations_deleted AFTER DELETE ON card_life_situations
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_situations_changed();
"#;

/// Appended to `migrations::MIGRATIONS` after migration 3: the months and venues of the year sums.
/// The kept card-years lack them, so every card-year is noted to be folded in again.
pub const MONTHS_MIGRATION: &str = r#"
    -- A card-year's uses by venue and month: key venue * 16 + month, with its counts.
    ALTER TABLE card_year_uses
        ADD COLUMN venue_months bigint[] NOT NULL DEFAULT '{}',
        ADD COLUMN month_uses bigint[] NOT NULL DEFAULT '{}',
        ADD COLUMN month_adults bigint[] NOT NULL DEFAULT '{}',
        ADD COLUMN month_children bigint[] NOT NULL DEFAULT '{}';
    CREATE TABLE stats_venue_months (
        year integer NOT NULL,
        region_id bigint NOT NULL,
        distributor_id bigint NOT NULL,
        venue_id bigint NOT NULL,
        month smallint NOT NULL,
        uses bigint NOT NULL,
        adults bigint NOT NULL,
        children bigint NOT NULL,
        PRIMARY KEY (year, region_id, distributor_id, venue_id, month)
    );
    TRUNCATE card_year_uses, stats_frequency, stats_cells, stats_dirty;
    INSERT INTO stats_dirty
    SELECT DISTINCT card_id, extract(year FROM scanned_on)::integer FROM redemptions
    WHERE undoes IS NULL AND undone_by IS NULL;
"#;
