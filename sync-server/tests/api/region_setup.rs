//! A region's first day over HTTP, as the console's set-up screens call it: the coordinator
//! adds a distributor, a venue and its offer in its own region (never in another), and
//! invites a user for each.

use serde_json::{Value, json};

use crate::helpers::spawn_app;
use kaiku_sync_server::store::Role;

#[tokio::test]
async fn a_coordinator_sets_up_its_own_region_and_not_another() {
    let app = spawn_app().await;
    let north = app.region("North").await;
    let south = app.region("South").await;
    let coordinator = app.user(Role::Coordinator(north)).await.1;
    let c = Some(coordinator.as_str());
    let created = |r: &crate::helpers::Reply| -> i64 {
        assert_eq!(r.status, 201, "{}", r.text);
        r.value()["id"].as_i64().expect("an id")
    };

    let d = created(&app.post("/api/v1/distributors", c, json!({"region": north, "name": "Social services"})).await);
    let v = created(&app.post("/api/v1/venues", c, json!({"region": north, "name": "City theatre"})).await);
    // A daily limit of 0 or -1 is refused; 20 is taken.
    let offers = format!("/api/v1/venues/{v}/offers");
    let r = app.post(&offers, c, json!({"name": "Matinee", "kind": "ticket", "limit": 0})).await;
    r.assert_error(422, "invalid_value", &["limit must be 1 to 100000"]);
    let r = app.post(&offers, c, json!({"name": "Matinee", "kind": "ticket", "limit": -1})).await;
    assert_eq!(r.status, 422, "{}", r.text);
    created(&app.post(&offers, c, json!({"name": "Matinee", "kind": "ticket", "limit": 20})).await);
    let listed: Value = app.get(&offers, c).await.value();
    assert_eq!(listed[0]["limit"], 20, "{listed}");

    for (role, scope) in [("distributor", d), ("venue", v)] {
        let body = json!({"role": role, "scope": scope, "label": format!("First {role}")});
        let r = app.post("/api/v1/users/invitations", c, body).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let users: Value = app.get("/api/v1/users", c).await.value();
    let roles: Vec<&str> =
        users["items"].as_array().expect("items").iter().filter_map(|u| u["role"].as_str()).collect();
    assert_eq!(roles, ["distributor", "venue"], "{users}");

    // Another region's organisations are not the coordinator's to add.
    let r = app.post("/api/v1/distributors", c, json!({"region": south, "name": "Elsewhere"})).await;
    r.assert_error(403, "forbidden", &[]);
    let r = app.post("/api/v1/venues", c, json!({"region": south, "name": "Elsewhere"})).await;
    r.assert_error(403, "forbidden", &[]);
    let r = app.post("/api/v1/venues", c, json!({"name": "Pop-up"})).await;
    r.assert_error(403, "forbidden", &[]);
    let theirs = app.venue(Some(south), "Their hall").await;
    let r = app.post(&format!("/api/v1/venues/{theirs}/offers"), c, json!({"name": "X", "kind": "ticket"})).await;
    r.assert_error(403, "forbidden", &[]);
}
