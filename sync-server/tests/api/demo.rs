//! The demo data `serve --demo` prints: every code it prints works as printed.

use kaiku_core::CardId;
use kaiku_sync_server::demo;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn every_activation_code_the_demo_prints_activates_a_personal_kaiku_card() {
    let app = spawn_app().await;
    let access =
        demo::populate(app.store.as_ref(), app.clock.as_ref(), 2026).await.expect("the demo fills the register");
    assert!(!access.activation_codes.is_empty(), "the demo prints activation codes");
    for (card, code) in &access.activation_codes {
        assert!(matches!(card, CardId::Kaiku(_)), "only Kaiku cards go on a phone, not the printed {card}");
        let r = app.post("/api/v1/activate", None, json!({ "code": code })).await;
        assert_eq!(r.status, StatusCode::OK, "the code printed for {card} activates it: {}", r.text);
        let activated: serde_json::Value = serde_json::from_str(&r.text).expect("JSON");
        assert_eq!(activated["card"]["kind"], "personal", "one tap at the door records it: {activated}");
    }
}
