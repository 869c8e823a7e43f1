//! Malformed, oversize and compressed bodies, bad paths and bad queries: always a 4xx with a
//! JSON `{code, error}` body that says what is wrong, never a 5xx.

use std::io::Write as _;

use kaiku_core::ids::DistributorId;
use kaiku_core::wire::UploadResponse;
use kaiku_sync_server::store::Role;
use serde_json::{Value, json};

use crate::helpers::{Device, Reply, TestApp, date, item, noon, spawn_app, spawn_app_with};

const BATCH: &str = "/api/v1/redemptions/batch";
const CARDS: &str = "/api/v1/cards";
const JSON: Option<&str> = Some("application/json");

struct Scene {
    app: TestApp,
    device: Device,
    distributor: String,
    card: kaiku_core::CardId,
}

async fn scene_with(tweak: impl FnOnce(&mut kaiku_sync_server::Settings)) -> Scene {
    let app = spawn_app_with(tweak).await;
    let region = app.region("North").await;
    let d: DistributorId = app.distributor(region, "Social services").await;
    let venue = app.venue(Some(region), "Swimming hall").await;
    let device = app.device(venue).await;
    let distributor = app.user(Role::Distributor(d)).await.1;
    let card = app.personal_card(d, date(2026, 1, 10), 0).await.id;
    Scene { app, device, distributor, card }
}

async fn scene() -> Scene {
    scene_with(|_| {}).await
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).expect("compresses")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    // A stored (uncompressed) deflate stream in a gzip wrapper: valid gzip without a gzip crate.
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    for (i, chunk) in bytes.chunks(65_535).enumerate() {
        let last = (i + 1) * 65_535 >= bytes.len();
        out.push(u8::from(last));
        let len = u16::try_from(chunk.len()).expect("a short chunk");
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    if bytes.is_empty() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    out.write_all(&crc32(bytes).to_le_bytes()).expect("writes");
    out.write_all(&u32::try_from(bytes.len()).expect("small").to_le_bytes()).expect("writes");
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn batch_json(items: &[Value]) -> Vec<u8> {
    serde_json::to_vec(&json!({ "items": items })).expect("serialises")
}

#[tokio::test]
async fn a_malformed_upload_body_gets_a_400_that_says_what_shape_is_expected() {
    let s = scene().await;
    let token = Some(s.device.token.as_str());
    for (body, says) in [
        (&b"{\"items\": ["[..], "EOF while parsing"),
        (b"not json at all", "expected ident"),
        (b"[]", "invalid length 0"),
        (b"{}", "missing field `items`"),
        (b"{\"items\": {}}", "invalid type: map"),
        (b"{\"items\": [], \"device\": 1}", "unknown field `device`"),
        (b"", "EOF while parsing"),
        (b"\xff\xfe\x00", "expected value"),
    ] {
        let r = s.app.post_raw(BATCH, token, JSON, None, body.to_vec()).await;
        r.assert_error(400, "invalid_body", &["the body must be {\"items\": [...]}", says]);
    }
}

#[tokio::test]
async fn a_batch_over_the_item_limit_is_refused_whole_with_the_limit_named() {
    let s = scene().await;
    let max = s.app.settings.max_batch_items;
    let too_many: Vec<Value> = (0..=max).map(|_| json!({})).collect();
    let r = s.app.upload(&s.device, &too_many).await;
    r.assert_error(413, "too_large", &[&format!("{} items", max + 1), &format!("send at most {max}")]);
    assert_eq!(s.app.count("SELECT count(*) FROM rejected_items"), 0, "nothing of a refused batch is kept");

    let just_enough: Vec<Value> = (0..max).map(|_| json!({})).collect();
    let r = s.app.upload(&s.device, &just_enough).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json::<UploadResponse>().outcomes.len(), max);
}

#[tokio::test]
async fn the_item_limit_follows_the_setting() {
    let s = scene_with(|settings| settings.max_batch_items = 3).await;
    let day = noon(date(2026, 6, 14));
    let items: Vec<Value> = (0..4).map(|_| item(&s.device.ticket(s.card, day))).collect();
    s.app.upload(&s.device, &items).await.assert_error(413, "too_large", &["send at most 3"]);
    let outcomes = s.app.upload_ok(&s.device, &items[..3]).await;
    assert_eq!(outcomes.len(), 3);
}

#[tokio::test]
async fn a_body_over_the_byte_limit_is_refused_with_a_json_413() {
    let s = scene_with(|settings| settings.max_body_bytes = 4096).await;
    let day = noon(date(2026, 6, 14));
    let items: Vec<Value> = (0..30).map(|_| item(&s.device.ticket(s.card, day))).collect();
    let body = batch_json(&items);
    assert!(body.len() > 4096);
    let r = s.app.post_raw(BATCH, Some(&s.device.token), JSON, None, body).await;
    r.assert_error(413, "too_large", &["too large"]);

    let big_card = json!({"kind": "community", "validity": {"rule": "twelve_months"}, "pad": "x".repeat(5000)});
    let r = s.app.post(CARDS, Some(&s.distributor), big_card).await;
    r.assert_error(413, "too_large", &["too large"]);
    assert_eq!(s.app.count("SELECT count(*) FROM redemptions"), 0);
}

#[tokio::test]
async fn a_zstd_compressed_upload_is_accepted() {
    let s = scene().await;
    let day = noon(date(2026, 6, 14));
    let items: Vec<Value> = (0..50).map(|_| item(&s.device.ticket(s.card, day))).collect();
    let r = s.app.post_raw(BATCH, Some(&s.device.token), JSON, Some("zstd"), zstd(&batch_json(&items))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let outcomes = r.json::<UploadResponse>().outcomes;
    assert!(outcomes.iter().all(|o| matches!(o.outcome, kaiku_core::wire::Outcome::Accepted { .. })), "{outcomes:?}");
    assert_eq!(s.app.count("SELECT count(*) FROM redemptions"), 50);
}

#[tokio::test]
async fn a_gzip_compressed_body_is_accepted_too() {
    let s = scene().await;
    let items = [item(&s.device.ticket(s.card, noon(date(2026, 6, 14))))];
    let r = s.app.post_raw(BATCH, Some(&s.device.token), JSON, Some("gzip"), gzip(&batch_json(&items))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let body = serde_json::to_vec(&json!({"kind": "community"})).expect("json");
    let r = s.app.post_raw(CARDS, Some(&s.distributor), JSON, Some("gzip"), gzip(&body)).await;
    assert_eq!(r.status, 201, "{}", r.text);
}

#[tokio::test]
async fn a_zstd_compressed_json_body_is_accepted_by_the_other_endpoints() {
    let s = scene().await;
    let body = serde_json::to_vec(&json!({"kind": "community"})).expect("json");
    let r = s.app.post_raw(CARDS, Some(&s.distributor), JSON, Some("zstd"), zstd(&body)).await;
    assert_eq!(r.status, 201, "{}", r.text);
}

#[tokio::test]
async fn a_corrupt_compressed_body_gets_a_json_400() {
    let s = scene().await;
    let mut truncated = zstd(&batch_json(&[item(&s.device.ticket(s.card, noon(date(2026, 6, 14))))]));
    truncated.truncate(truncated.len() / 2);
    let garbage = b"this is not zstd at all".to_vec();
    for (name, body) in [("garbage", garbage.clone()), ("truncated", truncated)] {
        let r = s.app.post_raw(BATCH, Some(&s.device.token), JSON, Some("zstd"), body.clone()).await;
        assert_eq!(r.status, 400, "{name}: {}", r.text);
        r.assert_error(400, "invalid_body", &["request body"]);
        let r = s.app.post_raw(CARDS, Some(&s.distributor), JSON, Some("zstd"), body).await;
        assert_eq!(r.status, 400, "{name}: {}", r.text);
        r.assert_error(400, "invalid_body", &["request body"]);
    }
    let r = s.app.post_raw(BATCH, Some(&s.device.token), JSON, Some("gzip"), garbage).await;
    assert_eq!(r.status, 400, "{}", r.assert_client_error());
    assert_eq!(s.app.count("SELECT count(*) FROM redemptions"), 0);
}

#[tokio::test]
async fn a_compressed_body_that_inflates_past_the_byte_limit_is_refused() {
    let s = scene_with(|settings| settings.max_body_bytes = 64 * 1024).await;
    let padding = " ".repeat(10 * 1024 * 1024);
    let bomb = zstd(format!("{{\"items\": []{padding}}}").as_bytes());
    assert!(bomb.len() < 4096, "a small body that inflates to 10 MB");
    let r = s.app.post_raw(BATCH, Some(&s.device.token), JSON, Some("zstd"), bomb.clone()).await;
    r.assert_error(413, "too_large", &["too large"]);
    let r = s.app.post_raw(CARDS, Some(&s.distributor), JSON, Some("zstd"), bomb).await;
    r.assert_error(413, "too_large", &["too large"]);
}

#[tokio::test]
async fn an_unsupported_content_encoding_gets_a_json_415() {
    let s = scene().await;
    let r = s.app.post_raw(BATCH, Some(&s.device.token), JSON, Some("compress"), b"{\"items\": []}".to_vec()).await;
    r.assert_error(415, "unsupported_media_type", &["Content-Encoding 'compress' is not supported", "gzip or zstd"]);
}

#[tokio::test]
async fn a_json_body_with_the_wrong_content_type_gets_a_415() {
    let s = scene().await;
    let body = serde_json::to_vec(&json!({"kind": "community"})).expect("json");
    for ct in [None, Some("text/plain"), Some("application/x-www-form-urlencoded")] {
        let r = s.app.post_raw(CARDS, Some(&s.distributor), ct, None, body.clone()).await;
        r.assert_error(415, "unsupported_media_type", &["Content-Type: application/json"]);
        let r = s.app.post_raw("/api/v1/activate", None, ct, None, br#"{"code": "x"}"#.to_vec()).await;
        r.assert_error(415, "unsupported_media_type", &["Content-Type: application/json"]);
    }
    let batch = b"{\"items\": []}".to_vec();
    let r = s.app.post_raw(BATCH, Some(&s.device.token), Some("text/plain"), None, batch).await;
    r.assert_error(415, "unsupported_media_type", &["Content-Type: application/json"]);
}

#[tokio::test]
async fn unknown_fields_and_bad_values_in_a_card_registration_are_refused_by_name() {
    let s = scene().await;
    let bg = json!({"birth_year": 1980, "gender": "female", "mother_tongue": "finnish", "postal_code": "96100"});
    let with = |extra: Value| {
        let mut b = bg.clone();
        for (k, v) in extra.as_object().expect("an object") {
            b[k] = v.clone();
        }
        json!({"kind": "personal", "background": b})
    };
    let cases: Vec<(Value, u16, &str, &[&str])> = vec![
        (json!({"kind": "community", "name": "Maija"}), 422, "invalid_value", &["unknown field `name`"]),
        (with(json!({"name": "Maija"})), 422, "invalid_value", &["unknown field `name`"]),
        (with(json!({"henkilotunnus": "010180-123A"})), 422, "invalid_value", &["unknown field `henkilotunnus`"]),
        (json!({"background": bg}), 422, "invalid_value", &["missing field `kind`"]),
        (json!({"kind": "gold"}), 422, "invalid_value", &["unknown variant `gold`"]),
        (json!({"kind": "personal"}), 422, "invalid_value", &["needs the holder's background data"]),
        (json!({"kind": "community", "background": bg}), 422, "invalid_value", &["send no background data"]),
        (with(json!({"birth_year": 2015})), 422, "invalid_value", &["birth year 2015 is not possible"]),
        (with(json!({"postal_code": "9610"})), 422, "invalid_value", &["postal code '9610' is not five digits"]),
        (with(json!({"minor_children": 31})), 422, "invalid_value", &["more than the register accepts"]),
        (json!({"kind": "community", "card": "A999123453"}), 422, "invalid_value", &["check digit does not match"]),
        (
            json!({"kind": "community", "card": "XY123456"}),
            422,
            "invalid_value",
            &["not a Kaiku card number", "import"],
        ),
        (json!({"kind": "community", "issued_on": "2026-06-16"}), 422, "invalid_value", &["in the future"]),
        (json!({"kind": "community", "issued_on": "16.6.2026"}), 422, "invalid_value", &["issued_on"]),
    ];
    for (body, status, code, says) in cases {
        let r = s.app.post(CARDS, Some(&s.distributor), body.clone()).await;
        assert!(r.status.as_u16() == status, "{body}: {} {}", r.status, r.text);
        r.assert_error(status, code, says);
    }
    assert_eq!(s.app.count("SELECT count(*) FROM cards"), 1, "only the seeded card exists");
}

#[tokio::test]
async fn invalid_json_in_other_bodies_gets_a_400_saying_so() {
    let s = scene().await;
    for (path, token) in [
        (CARDS, Some(s.distributor.as_str())),
        ("/api/v1/activate", None),
        ("/api/v1/regions", Some(s.app.admin.as_str())),
        ("/api/v1/devices/enroll", None),
    ] {
        let r = s.app.post_raw(path, token, JSON, None, b"{".to_vec()).await;
        r.assert_error(400, "invalid_body", &["parse the request body as JSON"]);
    }
    let r = s.app.post_raw("/api/v1/enrollment-codes", Some(&s.app.admin), JSON, None, b"{venue".to_vec()).await;
    r.assert_error(400, "invalid_body", &["key must be a string"]);
    let r = s.app.post("/api/v1/enrollment-codes", Some(&s.app.admin), json!({"venue": 1, "x": 2})).await;
    r.assert_error(400, "invalid_body", &["unknown field `x`"]);
}

#[tokio::test]
async fn a_malformed_card_id_in_a_path_gets_a_400_and_a_printed_legacy_id_is_looked_up() {
    let s = scene().await;
    // A Kaiku-shaped ID with a wrong check digit is a printed card of the old numbering.
    let r = s.app.get("/api/v1/cards/A999123453/status", Some(&s.app.admin)).await;
    assert_eq!(r.value(), json!({"state": "not_registered"}));
    let r = s.app.get("/api/v1/cards/A9991/status", Some(&s.app.admin)).await;
    r.assert_error(400, "invalid_path", &["too short"]);
    let r = s.app.get("/api/v1/cards/Z99912345X", Some(&s.app.admin)).await;
    r.assert_error(400, "invalid_path", &["starts with one of the letters"]);
    // Typed forgivingly: lower case and dashes are fine.
    let typed = s.card.to_string().to_lowercase();
    let typed = format!("{}-{}", &typed[..4], &typed[4..]);
    let r = s.app.get(&format!("/api/v1/cards/{typed}/status"), Some(&s.app.admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let unregistered = kaiku_core::CardId::from(kaiku_core::KaikuId::new('B', 77).expect("valid"));
    let r = s.app.get(&format!("/api/v1/cards/{unregistered}/status"), Some(&s.app.admin)).await;
    assert_eq!(r.value(), json!({"state": "not_registered"}));
}

#[tokio::test]
async fn a_non_numeric_id_in_a_path_gets_a_400() {
    let s = scene().await;
    for path in ["/api/v1/devices/abc/revoke", "/api/v1/users/abc/revoke", "/api/v1/venues/-1/offers"] {
        let r = s.app.post(path, Some(&s.app.admin), json!({})).await;
        r.assert_error(400, "invalid_path", &["cannot parse"]);
    }
}

#[tokio::test]
async fn bad_query_parameters_get_a_400_that_says_what_is_wrong() {
    let s = scene().await;
    let admin = Some(s.app.admin.as_str());
    let device = Some(s.device.token.as_str());
    let cases: Vec<(&str, Option<&str>, &str, &[&str])> = vec![
        ("/api/v1/statistics", admin, "bad_request", &["give either year=YYYY or both from"]),
        ("/api/v1/statistics?year=abc", admin, "invalid_query", &["year"]),
        ("/api/v1/statistics?year=2026&colour=red", admin, "invalid_query", &["unknown field `colour`"]),
        ("/api/v1/statistics?year=2026&format=xml", admin, "bad_request", &["format 'xml' is not json or csv"]),
        ("/api/v1/statistics?year=2026&from=2026-01-01", admin, "bad_request", &["give either"]),
        ("/api/v1/statistics?from=2026-13-01&to=2026-12-31", admin, "invalid_query", &["from"]),
        ("/api/v1/statistics?from=2026-12-31&to=2026-01-01", admin, "bad_request", &["from must not be after to"]),
        ("/api/v1/statistics?year=2026&region=1&venue=1", admin, "bad_request", &["not several"]),
        ("/api/v1/statistics?year=2026&by=gender", admin, "bad_request", &["'by' belongs to /statistics/cross-tab"]),
        ("/api/v1/statistics?year=300000", admin, "bad_request", &["no year 300000"]),
        (
            "/api/v1/statistics/cross-tab?year=2026&by=shoe_size",
            admin,
            "bad_request",
            &["unknown dimension 'shoe_size'"],
        ),
        (
            "/api/v1/statistics/cross-tab?year=2026&by=gender,age_band,postal_code,mother_tongue",
            admin,
            "bad_request",
            &["1 to 3 dimensions"],
        ),
        ("/api/v1/register?limit=-1", device, "invalid_query", &["limit"]),
        ("/api/v1/register?cursor=abc", device, "invalid_query", &["cursor"]),
        ("/api/v1/register?since=1", device, "invalid_query", &["unknown field `since`"]),
        ("/api/v1/devices?venue=x", admin, "invalid_query", &["venue"]),
    ];
    for (path, token, code, says) in cases {
        let r = s.app.get(path, token).await;
        assert_eq!(r.status, 400, "{path}: {}", r.text);
        r.assert_error(400, code, says);
    }
}

#[tokio::test]
async fn an_unknown_endpoint_or_method_gets_a_json_error() {
    let s = scene().await;
    let r = s.app.get("/api/v1/nothing-here", Some(&s.app.admin)).await;
    r.assert_error(404, "not_found", &["no such endpoint"]);
    let r = s.app.get("/api/v1/redemptions/batch", Some(&s.device.token)).await;
    r.assert_error(405, "method_not_allowed", &["does not take that method"]);
    let r: Reply = s.app.send(reqwest::Method::DELETE, "/api/v1/cards", Some(&s.app.admin), None).await;
    r.assert_error(405, "method_not_allowed", &[]);
}

#[tokio::test]
async fn a_server_under_a_burst_of_bad_requests_never_answers_500() {
    let app = spawn_app().await;
    let bodies: [&[u8]; 6] = [b"", b"{", b"null", b"[]", b"{\"items\": null}", b"\x00\x01\x02"];
    let paths = [
        "/api/v1/regions",
        "/api/v1/distributors",
        "/api/v1/venues",
        "/api/v1/venues/1/offers",
        "/api/v1/users",
        "/api/v1/cards",
        "/api/v1/cards/A000000010/renew",
        "/api/v1/cards/A000000010/revoke",
        "/api/v1/activate",
        "/api/v1/holder/refresh",
        "/api/v1/enrollment-codes",
        "/api/v1/devices/enroll",
        "/api/v1/redemptions/batch",
    ];
    for path in paths {
        for body in bodies {
            for ct in [JSON, None] {
                let r = app.post_raw(path, Some(&app.admin), ct, None, body.to_vec()).await;
                assert!(!r.status.is_server_error(), "{path} {body:?}: {} {}", r.status, r.text);
                r.assert_client_error();
            }
        }
    }
}
