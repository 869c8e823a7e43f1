//! Property tests of every JSON body and query string of the API. The operations are read from
//! the OpenAPI document, which is made from the one route list, so a new route is covered
//! without being listed here. Each gets proptest-made bodies (any JSON, and near-valid ones:
//! its schema's field names with wrong types, huge and negative numbers, long strings,
//! unicode) and query strings, as an administrator, as a device and with no token. No answer
//! may be a 5xx or a dropped connection, and the server must still answer `/health` after.
//! `KAIKU_FUZZ_SEED` repeats a run; `KAIKU_FUZZ_CASES` sets the cases per operation and caller.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use reqwest::Method;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, date, spawn_app_with};

/// Cases for each operation and caller: small enough for about a minute in a debug build.
const CASES: u32 = 48;

#[derive(Debug, Clone)]
enum BodyKind {
    Json(Value),
    Text,
}

#[derive(Debug, Clone)]
struct Operation {
    method: Method,
    path: String,
    body: Option<BodyKind>,
    query: Vec<(String, Value)>,
}

/// Every operation in the document, with its body schema and query parameters.
fn operations(doc: &Value) -> Vec<Operation> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("the document has paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            let content = &op["requestBody"]["content"];
            let body = if let Some(schema) = content.get("application/json") {
                Some(BodyKind::Json(schema["schema"].clone()))
            } else if content.is_object() {
                Some(BodyKind::Text)
            } else {
                None
            };
            let query = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "query")
                .map(|p| (p["name"].as_str().unwrap_or_default().to_owned(), p["schema"].clone()))
                .collect();
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
            ops.push(Operation { method, path: path.clone(), body, query });
        }
    }
    ops
}

/// Values no schema asks for: wrong types, extremes, long and strange text.
fn weird() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(json!(u64::MAX)),
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(1e308)),
        Just(json!(-1e308)),
        Just(json!(4_294_967_296_u64)),
        any::<f64>().prop_filter("JSON numbers are finite", |f| f.is_finite()).prop_map(Value::from),
        weird_text().prop_map(Value::from),
        Just(json!({})),
        Just(json!([])),
        Just(json!([[[[[[[[[[]]]]]]]]]])),
    ]
    .boxed()
}

fn weird_text() -> BoxedStrategy<String> {
    prop_oneof![
        "\\PC{0,24}",
        "[A-Z]{1,3}[0-9]{5,12}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        Just(String::new()),
        Just("x".repeat(20_000)),
        Just("🎟️ Kulttuuria kaikille – för alla \u{202e}".to_owned()),
        Just("\u{0}\u{1f}\\\"'<script>".to_owned()),
        Just("=SUM(A1:A9)".to_owned()),
        Just("-1".to_owned()),
        Just("99999999999999999999999".to_owned()),
        Just("2026-02-30".to_owned()),
        Just("9999-12-31T23:59:59Z".to_owned()),
    ]
    .boxed()
}

/// Redemption ids the server has stored (set once the world is made), so that an item's
/// `undoes` often names a real one.
static STORED_IDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// A stored redemption's id, any UUID, or text that is none.
fn uuid_text() -> BoxedStrategy<String> {
    let stored = STORED_IDS.get().cloned().unwrap_or_default();
    let any = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    if stored.is_empty() {
        return prop_oneof![any, weird_text()].boxed();
    }
    prop_oneof![2 => prop::sample::select(stored), 1 => any, 1 => weird_text()].boxed()
}

/// Any JSON at all.
fn any_json() -> BoxedStrategy<Value> {
    weird()
        .prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
                prop::collection::btree_map("\\PC{0,10}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
        .boxed()
}

/// Values shaped by `schema`, each part sometimes replaced by a weird one.
fn near(doc: &Value, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    if depth > 5 {
        return weird();
    }
    if let Some(target) = schema["$ref"].as_str() {
        let name = target.rsplit('/').next().unwrap_or_default();
        return near(doc, &doc["components"]["schemas"][name], depth + 1);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = schema[key].as_array().filter(|o| !o.is_empty()) {
            let choices: Vec<_> = options.iter().map(|o| near(doc, o, depth + 1)).collect();
            return proptest::strategy::Union::new(choices).boxed();
        }
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds.iter().find(|k| *k != "null").and_then(Value::as_str).unwrap_or("null"),
        other => other.as_str().unwrap_or(""),
    };
    let shaped = match kind {
        "object" => object(doc, schema, depth),
        "array" => prop::collection::vec(near(doc, &schema["items"], depth + 1), 0..4).prop_map(Value::from).boxed(),
        "integer" => prop_oneof![0_i64..40, any::<i64>()].prop_map(Value::from).boxed(),
        "number" => prop_oneof![0.0..100.0_f64, Just(-0.5)].prop_map(Value::from).boxed(),
        "boolean" => any::<bool>().prop_map(Value::from).boxed(),
        "string" => match schema["enum"].as_array() {
            Some(values) if !values.is_empty() => prop::sample::select(values.clone()).boxed(),
            _ if schema["format"] == "uuid" => uuid_text().prop_map(Value::from).boxed(),
            _ => weird_text().prop_map(Value::from).boxed(),
        },
        _ => weird(),
    };
    prop_oneof![4 => shaped, 1 => weird()].boxed()
}

/// An object with the schema's field names (each maybe left out) and maybe a stray one.
fn object(doc: &Value, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    let fields: Vec<(String, BoxedStrategy<Option<Value>>)> = schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, field)| (name.clone(), prop::option::weighted(0.85, near(doc, field, depth + 1)).boxed()))
        .collect();
    let names: Vec<String> = fields.iter().map(|(n, _)| n.clone()).collect();
    let values: Vec<_> = fields.into_iter().map(|(_, s)| s).collect();
    (values, prop::option::of(("\\PC{1,8}", weird())))
        .prop_map(move |(values, stray)| {
            let mut map: Map<String, Value> =
                names.iter().zip(values).filter_map(|(n, v)| Some((n.clone(), v?))).collect();
            if let Some((name, value)) = stray {
                map.insert(name, value);
            }
            Value::Object(map)
        })
        .boxed()
}

fn as_text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

/// One generated request: path parameter values, query string, body.
#[derive(Debug, Clone)]
struct Case {
    path_value: String,
    query: String,
    body: Option<String>,
}

fn case(doc: &Value, op: &Operation, card: &str) -> BoxedStrategy<Case> {
    // Existing ids (2: not the fuzzing device's or administrator's own), unknown and broken ones.
    let path_values = prop::sample::select(vec![
        "2".to_owned(),
        "3".to_owned(),
        "0".to_owned(),
        "-1".to_owned(),
        "4294967296".to_owned(),
        "x".to_owned(),
        "%F0%9F%8E%9F".to_owned(),
        card.to_owned(),
        "A000100009".to_owned(),
    ]);
    let declared: Vec<BoxedStrategy<Option<(String, String)>>> = op
        .query
        .iter()
        .map(|(name, schema)| {
            let name = name.clone();
            prop::option::weighted(0.7, prop_oneof![near(doc, schema, 0), weird()])
                .prop_map(move |v| v.map(|v| (name.clone(), as_text(&v))))
                .boxed()
        })
        .collect();
    let stray = prop::collection::vec(("\\PC{0,6}", weird_text()), 0..2);
    let raw = prop_oneof![8 => Just(String::new()), 1 => "[ -~]{0,30}"];
    let query = (declared, stray, raw).prop_map(|(declared, stray, raw)| {
        let pairs: Vec<(String, String)> = declared.into_iter().flatten().chain(stray).collect();
        let mut encoded = url_encode(&pairs);
        if !raw.is_empty() {
            encoded = if encoded.is_empty() { raw } else { format!("{encoded}&{raw}") };
        }
        encoded
    });
    let body: BoxedStrategy<Option<String>> = match &op.body {
        None => prop::option::weighted(0.2, any_json().prop_map(|v| v.to_string())).boxed(),
        Some(BodyKind::Json(schema)) => {
            prop_oneof![3 => near(doc, schema, 0), 1 => any_json()].prop_map(|v| Some(v.to_string())).boxed()
        }
        Some(BodyKind::Text) => prop_oneof![
            "\\PC{0,200}".prop_map(Some),
            Just(Some("card_id;kind\nA000100009;personal\n=cmd;x\n".to_owned())),
        ]
        .boxed(),
    };
    (path_values, query, body).prop_map(|(path_value, query, body)| Case { path_value, query, body }).boxed()
}

fn url_encode(pairs: &[(String, String)]) -> String {
    fn enc(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

/// The server with a little of everything, so that generated ids often find something.
struct World {
    app: TestApp,
    device: String,
    card: String,
}

async fn world() -> World {
    // A generous request deadline: a debug build under load must not turn slowness into 503s.
    let app = spawn_app_with(|s| s.request_timeout_secs = 600).await;
    let mut device = String::new();
    let mut card = String::new();
    for n in 1..=2 {
        let region = app.region(&format!("Region {n}")).await;
        let distributor = app.distributor(region, &format!("Distributor {n}")).await;
        let venue = app.venue(Some(region), &format!("Venue {n}")).await;
        let d = app.device(venue).await;
        let c = app.personal_card(distributor, date(2026, 1, 10), 1).await;
        let _ = app.user(kaiku_sync_server::store::Role::Venue(venue)).await;
        if n == 1 {
            device = d.token.clone();
            card = c.id.to_string();
            // Uses that a generated correction (`undoes`) can name.
            let first = d.ticket(c.id, crate::helpers::noon(date(2026, 6, 1)));
            let undone = d.correction(&first, first.scanned_at + chrono::TimeDelta::minutes(1));
            let kept = d.ticket(c.id, crate::helpers::noon(date(2026, 6, 2)));
            let items = [&first, &undone, &kept].map(crate::helpers::item);
            app.upload_ok(&d, &items).await;
            let _ = STORED_IDS.set([first.id, undone.id, kept.id].iter().map(Uuid::to_string).collect());
        }
    }
    World { app, device, card }
}

impl World {
    async fn send(&self, op: &Operation, token: Option<&str>, case: &Case) -> Result<(u16, String), String> {
        let path = op
            .path
            .split('/')
            .map(|seg| if seg.starts_with('{') { case.path_value.as_str() } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        let mut url = self.app.url(&path);
        if !case.query.is_empty() {
            url = format!("{url}?{}", case.query);
        }
        let mut req = self.app.client.request(op.method.clone(), &url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(body) = &case.body {
            let kind = if matches!(op.body, Some(BodyKind::Text)) { "text/csv" } else { "application/json" };
            req = req.header("content-type", kind).body(body.clone());
        }
        let response = req.send().await.map_err(|e| format!("no answer: {e}"))?;
        let status = response.status().as_u16();
        Ok((status, response.text().await.unwrap_or_default()))
    }
}

#[test]
fn no_body_or_query_string_of_any_operation_gets_a_5xx() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    let world = rt.block_on(world());
    let doc: Value = serde_json::from_str(kaiku_sync_server::openapi::json()).expect("the document is JSON");
    let ops = operations(&doc);
    assert!(ops.len() > 30, "only {} operations found", ops.len());
    let redemption = &doc["components"]["schemas"]["Redemption"]["properties"];
    assert!(redemption["undoes"].is_object(), "uploads are fuzzed with corrections too: {redemption}");
    let cases = std::env::var("KAIKU_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(CASES);
    let seed = std::env::var("KAIKU_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand_seed);
    let sent = AtomicUsize::new(0);
    let statuses = Mutex::new(BTreeMap::<u16, usize>::new());
    let callers = [("admin", Some(world.app.admin.clone())), ("device", Some(world.device.clone())), ("none", None)];
    for op in &ops {
        let strategy = case(&doc, op, &world.card);
        for (who, token) in &callers {
            let config =
                Config { cases, failure_persistence: None, rng_seed: RngSeed::Fixed(seed), ..Config::default() };
            let mut runner = TestRunner::new(config);
            let result = runner.run(&strategy, |c| {
                sent.fetch_add(1, Ordering::Relaxed);
                let (status, text) = rt.block_on(world.send(op, token.as_deref(), &c)).map_err(TestCaseError::fail)?;
                *statuses.lock().expect("not poisoned").entry(status).or_default() += 1;
                prop_assert!(status < 500, "{} {} as {who}: {status} {text}", op.method, op.path);
                Ok(())
            });
            if let Err(e) = result {
                panic!("{} {} as {who} (KAIKU_FUZZ_SEED={seed}): {e}", op.method, op.path);
            }
            let health = rt.block_on(world.app.get("/health", None));
            assert_eq!(health.status, 200, "after {} {} as {who}: {}", op.method, op.path, health.text);
        }
    }
    let sent = sent.into_inner();
    let statuses = statuses.into_inner().expect("not poisoned");
    println!("fuzz: {sent} requests over {} operations x 3 callers (KAIKU_FUZZ_SEED={seed})", ops.len());
    println!("fuzz: answers by status {statuses:?}");
    assert!(statuses.keys().any(|s| (200..300).contains(s)), "nothing generated was ever accepted");
    assert!(sent >= ops.len() * 3 * cases as usize);
}

fn rand_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new().build_hasher().finish()
}
