//! The server's limits over real HTTP on loopback: a slow client is cut off, a flood of
//! token-free requests from one address is answered 429 while a device's uploads go on, a
//! slow body gets 408, and shutdown ends within its deadline with a hung client connected.
//! Small settings keep each test to seconds; assertions are about outcomes, not speed.

use std::time::{Duration, Instant};

use kaiku_core::wire::Outcome;
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{TestApp, date, item, spawn_app_with};

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.address.trim_start_matches("http://")).await.expect("the server takes the connection")
}

/// Whether the server has ended the exchange on `stream` (closed it, or answered anything)
/// within `wait`.
async fn ended(stream: &mut TcpStream, wait: Duration) -> Option<Vec<u8>> {
    let mut buf = vec![0; 1024];
    match tokio::time::timeout(wait, stream.read(&mut buf)).await {
        Err(_) => None,
        Ok(Ok(n)) => Some(buf[..n].to_vec()),
        Ok(Err(_)) => Some(Vec::new()),
    }
}

#[tokio::test]
async fn a_client_sending_headers_a_byte_a_second_is_cut_off_while_others_are_served() {
    let app = spawn_app_with(|s| s.header_read_timeout_secs = 2).await;
    let request = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: a-very-slow-client\r\n\r\n";
    let mut slow = connect(&app).await;
    let trickle = tokio::spawn(async move {
        for (sent, byte) in request.iter().enumerate() {
            if slow.write_all(&[*byte]).await.is_err() {
                return (sent, Vec::new());
            }
            if let Some(answer) = ended(&mut slow, Duration::from_secs(1)).await {
                return (sent + 1, answer);
            }
        }
        (request.len(), Vec::new())
    });

    let mut served = 0;
    while !trickle.is_finished() {
        let reply = app.get("/health", None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        served += 1;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (sent, answer) = trickle.await.expect("the slow client's task ends");
    assert!(sent < request.len(), "the slow client sent all {sent} bytes without being cut off");
    let answer = String::from_utf8_lossy(&answer);
    assert!(!answer.contains(" 200 "), "the slow client was served: {answer}");
    assert!(served >= 3, "other clients were served only {served} times meanwhile");
}

#[tokio::test]
async fn a_thousand_enrollment_attempts_from_one_address_get_429_while_a_device_uploads() {
    let app = spawn_app_with(|s| {
        s.public_requests_per_minute = 60;
        s.public_burst = 5;
        s.public_max_in_flight = 4;
    })
    .await;
    let region = app.region("North").await;
    let distributor = app.distributor(region, "Social services").await;
    let venue = app.venue(Some(region), "Swimming hall").await;
    let device = app.device(venue).await;
    let mut cards = Vec::new();
    for _ in 0..100 {
        cards.push(app.personal_card(distributor, date(2026, 1, 10), 0).await);
    }

    let flooder = reqwest::Client::new();
    let url = app.url("/api/v1/devices/enroll");
    let flood: Vec<_> = (0..1_000)
        .map(|i| {
            let (client, url) = (flooder.clone(), url.clone());
            tokio::spawn(async move {
                let body = json!({ "code": format!("ABCD-{i:04}"), "label": "flood" });
                let r = client.post(&url).json(&body).send().await.expect("the server answers");
                let retry_after = r.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
                let status = r.status();
                let body: serde_json::Value = r.json().await.unwrap_or_default();
                (status, retry_after, body["code"].as_str().unwrap_or_default().to_owned())
            })
        })
        .collect();

    // The device uploads ten batches while the flood is under way: every one is taken.
    let at = app.now() - chrono::TimeDelta::minutes(5);
    for batch in cards.chunks(10) {
        let items: Vec<_> = batch.iter().map(|c| item(&device.ticket(c.id, at))).collect();
        let outcomes = app.upload_ok(&device, &items).await;
        assert!(
            outcomes.iter().all(|o| matches!(o.outcome, Outcome::Accepted { .. })),
            "an upload during the flood was not taken: {outcomes:?}"
        );
    }

    let mut limited = 0;
    for task in flood {
        let (status, retry_after, code) = task.await.expect("a flood request ends");
        assert!(status.is_client_error() || status == StatusCode::SERVICE_UNAVAILABLE, "{status} {code}");
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(code, "rate_limited");
            assert!(retry_after.is_some_and(|s| s >= 1), "a 429 without Retry-After");
            limited += 1;
        }
    }
    assert!(limited >= 900, "only {limited} of 1000 enrollment attempts were rate limited");
    assert_eq!(app.count("SELECT COUNT(*) FROM redemptions"), 100, "every upload during the flood is stored");
}

#[tokio::test]
async fn a_token_that_sends_too_much_is_told_when_to_come_back_and_others_are_not() {
    let app = spawn_app_with(|s| {
        s.token_requests_per_minute = 60;
        s.token_burst = 3;
    })
    .await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/regions", Some(&app.admin)).await.status, StatusCode::OK);
    }
    let refused = app.get("/api/v1/regions", Some(&app.admin)).await;
    refused.assert_error(429, "rate_limited", &["try again"]);
    assert_eq!(refused.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
    let (_, other) = app.user(kaiku_sync_server::store::Role::Admin).await;
    assert_eq!(app.get("/api/v1/regions", Some(&other)).await.status, StatusCode::OK);
    // A wrong secret for the same account does not use up the real token's bucket either.
    let forged = format!("{}.wrong", app.admin.split('.').next().unwrap_or_default());
    assert_eq!(app.get("/api/v1/regions", Some(&forged)).await.status, StatusCode::UNAUTHORIZED);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(app.get("/api/v1/regions", Some(&app.admin)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_is_answered_408() {
    let app = spawn_app_with(|s| s.body_read_timeout_secs = 1).await;
    let mut stream = connect(&app).await;
    let head = "POST /api/v1/activate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
                Content-Length: 100\r\n\r\n{\"code\":";
    stream.write_all(head.as_bytes()).await.expect("the head is sent");
    let answer = ended(&mut stream, Duration::from_secs(10)).await.expect("the server answers in time");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("body_timeout"), "{answer}");
    assert_eq!(app.get("/health", None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn shutdown_ends_within_its_deadline_with_a_hung_client_connected() {
    let mut app = spawn_app_with(|s| {
        s.shutdown_deadline_secs = 2;
        s.header_read_timeout_secs = 120;
        s.body_read_timeout_secs = 120;
    })
    .await;
    // One client stops half way through its headers, another half way through its body.
    let mut half_head = connect(&app).await;
    half_head.write_all(b"GET /health HTTP/1.1\r\nHost: 127").await.expect("sent");
    let mut half_body = connect(&app).await;
    let head = "POST /api/v1/activate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
                Content-Length: 100\r\n\r\n{";
    half_body.write_all(head.as_bytes()).await.expect("sent");
    assert_eq!(app.get("/health", None).await.status, StatusCode::OK, "the server is serving");
    tokio::time::sleep(Duration::from_millis(200)).await;

    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(30), app.shut_down()).await.expect("the server stops at all");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(2 + 3), "shutdown took {took:?} with a 2 s deadline");
    for stream in [&mut half_head, &mut half_body] {
        assert!(ended(stream, Duration::from_secs(5)).await.is_some(), "a hung connection was left open");
    }
}
