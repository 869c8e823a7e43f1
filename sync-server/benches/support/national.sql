CREATE FUNCTION pg_temp.h(n bigint, salt bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS
 'SELECT hashint8extended(n, salt) & 9223372036854775807';
CREATE UNLOGGED TABLE bench_regions AS
SELECT i, name, prefix, (sum(weight) OVER (ORDER BY i) - weight)::int AS below, weight
FROM (VALUES (0,'Uusimaa',1720,'00'),(1,'Varsinais-Suomi',484,'20'),(2,'Satakunta',214,'28'),(3,'Kanta-Häme',170,'13'),
 (4,'Pirkanmaa',530,'33'),(5,'Päijät-Häme',205,'15'),(6,'Kymenlaakso',162,'45'),(7,'Etelä-Karjala',126,'53'),
 (8,'Etelä-Savo',131,'50'),(9,'Pohjois-Savo',248,'70'),(10,'Pohjois-Karjala',163,'80'),(11,'Keski-Suomi',275,'40'),
 (12,'Etelä-Pohjanmaa',191,'60'),(13,'Pohjanmaa',177,'65'),(14,'Keski-Pohjanmaa',68,'67'),(15,'Pohjois-Pohjanmaa',415,'90'),
 (16,'Kainuu',71,'87'),(17,'Lappi',176,'96'),(18,'Ahvenanmaa',30,'22')) AS t(i, name, weight, prefix);
INSERT INTO regions (id, name) SELECT i + 1, name || ' (demo)' FROM bench_regions;
INSERT INTO distributors (id, region_id, name)
SELECT r.i * 8 + d.j, r.i + 1, d.name || ', ' || r.name FROM bench_regions r,
 unnest(ARRAY['Sosiaalitoimi','Setlementti ry','Seurakunta','Mielenterveysseura','Työllisyyspalvelut',
   'Maahanmuuttajapalvelut','Nuorisopalvelut','Vanhuspalvelut']) WITH ORDINALITY AS d(name, j);
INSERT INTO venues (id, region_id, name)
SELECT r.i * 6 + v.j, r.i + 1, v.name || ', ' || r.name FROM bench_regions r,
 unnest(ARRAY['Uimahalli','Kaupunginteatteri','Kansalaisopisto','Taidemuseo','Kaupunginorkesteri','Tiedekeskus'])
 WITH ORDINALITY AS v(name, j);
-- Seven offers a region: the third venue has courses and concerts.
INSERT INTO offers (id, venue_id, name, kind)
SELECT r.i * 7 + o.j, r.i * 6 + o.v, o.name, o.kind FROM bench_regions r,
 (VALUES (1,1,'Uinti','ticket'),(2,2,'Näytökset','ticket'),(3,3,'Kurssit','course_place'),(4,3,'Konsertit','ticket'),
  (5,4,'Näyttelyt','ticket'),(6,5,'Konsertit','ticket'),(7,6,'Näyttelyt','ticket')) AS o(j, v, name, kind);
INSERT INTO devices (id, venue_id, label, secret_hash, enrolled_at)
SELECT id, id, 'Demo door phone', '\x'::bytea, now() FROM venues;
SELECT setval(pg_get_serial_sequence('regions', 'id'), 100);
SELECT setval(pg_get_serial_sequence('distributors', 'id'), 1000);
SELECT setval(pg_get_serial_sequence('venues', 'id'), 1000);
SELECT setval(pg_get_serial_sequence('offers', 'id'), 1000);
SELECT setval(pg_get_serial_sequence('devices', 'id'), 1000);
-- The cards: issued over 540 days, oldest first; every 16th a community card, every 40th
-- revoked after two months; regions by population, distributors fewer and fewer.
CREATE UNLOGGED TABLE bench_cards AS
SELECT k, id, region, issued, (issued + interval '12 months')::date AS valid_until,
  CASE WHEN k % 40 = 7 THEN issued + 60 END AS revoked_on, k % 16 = 15 AS community,
  coalesce(nullif(least(floor(ln(1 - (pg_temp.h(k, 2) % 1000000) / 1000000.0) / ln(0.55)), 8), 8), 0)::int AS distributor
FROM (SELECT k, id, ('{today}'::date - 539 + (k * 540 / {cards})::int) AS issued,
   (SELECT i FROM bench_regions WHERE pg_temp.h(k, 1) % 5556 >= below ORDER BY below DESC LIMIT 1) AS region
 FROM bench_ids) t;
CREATE INDEX ON bench_cards (k);
CREATE INDEX ON bench_cards (valid_until, k);
CREATE INDEX ON bench_cards (issued, k);
-- Background data of the personal cards, as the demo draws it.
CREATE UNLOGGED TABLE bench_backgrounds AS
SELECT k, extract(year FROM issued)::int - 16 - (pg_temp.h(k, 3) % 64)::int AS birth_year,
  CASE WHEN pg_temp.h(k, 4) % 100 < 55 THEN 'female' WHEN pg_temp.h(k, 4) % 100 < 95 THEN 'male'
       WHEN pg_temp.h(k, 4) % 100 < 98 THEN 'other' ELSE 'not_said' END AS gender,
  (ARRAY['finnish','swedish','russian','arabic','sami'])[1 + least(greatest(pg_temp.h(k, 5) % 20 - 15, 0), 4)] AS tongue,
  (ARRAY['single_parent','unemployed','student','pensioner','long_term_ill','in_debt'])[1 + pg_temp.h(k, 6) % 6] AS situation,
  r.prefix || (ARRAY['100','200','300','400','460'])[1 + pg_temp.h(k, 7) % 5] AS postal,
  CASE WHEN pg_temp.h(k, 6) % 6 = 0 THEN 1 + pg_temp.h(k, 8) % 3 ELSE pg_temp.h(k, 8) % 2 END::int AS children,
  (pg_temp.h(k, 9) % 10 = 0)::int AS grandchildren
FROM bench_cards c JOIN bench_regions r ON r.i = c.region WHERE NOT c.community;
CREATE INDEX ON bench_backgrounds (k);
INSERT INTO cards (id, kind, region_id, distributor_id, issued_on, valid_until, status, revoked_reason, revoked_on,
  minors, birth_year, gender, mother_tongue, postal_code, minor_children, minor_grandchildren, change_seq)
SELECT c.id, CASE WHEN c.community THEN 'community' ELSE 'personal' END, c.region + 1, c.region * 8 + c.distributor + 1,
  c.issued, c.valid_until, CASE WHEN c.revoked_on IS NULL THEN 'active' ELSE 'revoked' END,
  CASE WHEN c.revoked_on IS NOT NULL THEN 'lost' END, c.revoked_on, coalesce(b.children + b.grandchildren, 0),
  b.birth_year, b.gender, b.tongue, b.postal, b.children, b.grandchildren, c.k + 1
FROM bench_cards c LEFT JOIN bench_backgrounds b ON b.k = c.k ORDER BY c.k;
INSERT INTO card_life_situations (card_id, situation)
SELECT c.id, b.situation FROM bench_cards c JOIN bench_backgrounds b ON b.k = c.k ORDER BY c.id;
UPDATE register_clock SET n = {cards};
-- Each day's share of the uses (more on weekends, fewer in summer; the shares add up to the
-- total exactly) and the run of cards valid that day.
CREATE UNLOGGED TABLE bench_days AS
WITH d AS (
  SELECT day::date AS day, (CASE WHEN extract(isodow FROM day) >= 6 THEN 1.6 ELSE 1.0 END)
    * (CASE WHEN extract(month FROM day) BETWEEN 6 AND 8 THEN 0.7 ELSE 1.0 END) AS w
  FROM generate_series('{today}'::date - 365, '{today}'::date - 1, interval '1 day') day),
c AS (SELECT day, w, sum(w) OVER (ORDER BY day) AS cum, sum(w) OVER () AS total FROM d)
SELECT day, round({uses} * (cum - w) / total)::bigint AS first_use,
  round({uses} * cum / total)::bigint - round({uses} * (cum - w) / total)::bigint AS share,
  (SELECT k FROM bench_cards WHERE valid_until >= day ORDER BY valid_until, k LIMIT 1) AS lo,
  (SELECT k + 1 FROM bench_cards WHERE issued <= day ORDER BY issued DESC, k DESC LIMIT 1) AS hi
FROM c;
-- The uses: a card valid that day (one in eight a regular, who comes more often; a card
-- revoked by then gives its turn to the next), a venue of its region (the first three times
-- as busy), an offer of the venue (a community card takes no course place).
CREATE UNLOGGED TABLE bench_uses AS
SELECT u, day, CASE WHEN c.revoked_on <= day THEN CASE WHEN c.k + 1 < hi THEN c.k + 1 ELSE c.k - 1 END ELSE c.k END AS k
FROM (SELECT d.day, d.hi, d.first_use + s AS u,
   CASE WHEN pg_temp.h(d.first_use + s, 11) % 2 = 0 AND (pick / 8) * 8 >= d.lo THEN (pick / 8) * 8 ELSE pick END AS pick
 FROM bench_days d, generate_series(0, d.share - 1) s,
   LATERAL (SELECT d.lo + pg_temp.h(d.first_use + s, 10) % (d.hi - d.lo) AS pick) p) t
JOIN bench_cards c ON c.k = t.pick;
CREATE TEMP TABLE bench_index_defs AS SELECT indexname, indexdef FROM pg_indexes
WHERE tablename = 'redemptions' AND indexname NOT IN (SELECT conname FROM pg_constraint);
DO $$ DECLARE i record; BEGIN
  FOR i IN SELECT indexname FROM bench_index_defs LOOP EXECUTE format('DROP INDEX %I', i.indexname); END LOOP;
END $$;
INSERT INTO redemptions (id, device_id, seq, card_id, venue_id, offer, offer_id, adults, children, group_cards,
  scanned_at, scanned_on, received_at, entry, verdict, community, late)
SELECT (lpad(to_hex((extract(epoch FROM at) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex(pg_temp.h(u, 17) % 4096), 3, '0')
    || '8' || lpad(to_hex(pg_temp.h(u, 18) % 4096), 3, '0') || lpad(to_hex(u), 12, '0'))::uuid,
  venue, u + 1, c.id, venue, CASE WHEN offer % 7 = 3 THEN 'course_place' ELSE 'ticket' END, offer,
  1 + coalesce(array_length(grp, 1), 0),
  CASE WHEN offer % 7 = 3 THEN 0 WHEN c.community THEN pg_temp.h(u, 15) % 3 ELSE pg_temp.h(u, 15) % (1 + coalesce(b.children + b.grandchildren, 0)) END,
  array_to_string(grp, ','), at, day, at + interval '2 hours',
  (ARRAY['qr','qr','barcode','typed'])[1 + pg_temp.h(u, 16) % 4], 'valid', c.community::int, 0
FROM (SELECT u.u, u.day, u.k, u.day + make_interval(mins => (540 + pg_temp.h(u.u, 12) % 720)::int) AS at,
   c.region * 6 + (ARRAY[1,1,1,2,3,4,5,6])[1 + pg_temp.h(u.u, 13) % 8] AS venue
 FROM bench_uses u JOIN bench_cards c ON c.k = u.k) x
JOIN bench_cards c ON c.k = x.k LEFT JOIN bench_backgrounds b ON b.k = x.k,
LATERAL (SELECT CASE WHEN x.venue % 6 = 3 AND NOT c.community AND pg_temp.h(u, 14) % 2 = 0 THEN c.region * 7 + 3
   ELSE c.region * 7 + (ARRAY[1,2,4,5,6,7])[1 + (x.venue - 1) % 6] END AS offer) o,
LATERAL (SELECT CASE WHEN c.community THEN ARRAY(SELECT p.id FROM generate_series(1, 1 + (pg_temp.h(u, 19) % 3)::int) g
   JOIN bench_cards p ON p.k = (pg_temp.h(u, 20) + g * 7919) % {cards} - CASE WHEN (pg_temp.h(u, 20) + g * 7919) % {cards} % 16 = 15 THEN 1 ELSE 0 END
   ORDER BY p.id) END AS grp) gr
ORDER BY x.day, x.u;
DO $$ DECLARE i record; BEGIN
  FOR i IN SELECT indexdef FROM bench_index_defs LOOP EXECUTE i.indexdef; END LOOP;
END $$;
-- The console's counters, as migrations::RECOUNT makes them.
INSERT INTO device_uses (device_id, last_sync, uses)
SELECT device_id, max(received_at), count(*) FROM redemptions GROUP BY device_id;
INSERT INTO venue_day_uses
SELECT venue_id, scanned_on, coalesce(offer_id, 0), offer, count(*), sum(adults), sum(children),
    count(*) FILTER (WHERE offer = 'course_place'), sum(community)
FROM redemptions GROUP BY 1, 2, 3, 4;
DROP TABLE bench_uses, bench_days, bench_backgrounds, bench_cards, bench_regions, bench_ids, bench_index_defs;
