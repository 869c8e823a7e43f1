//! The staff console's test harness: a real sync server with a region, a distributor and an
//! administrator's token; the app's whole router opened at a path, as a browser tab would be.
#![allow(dead_code)]

use std::rc::Rc;
use std::sync::Arc;

use dioxus::prelude::*;
use kaiku::i18n::Lang;
use kaiku::parts::AllParts;
use kaiku::state::{AppState, Boot, Prefs};
use kaiku::storage::{MemoryVault, save};
use kaiku::views::staff::client::{NewUser, StaffApi};
use kaiku::views::staff::{SESSION_KEY, StaffSession};
use kaiku_core::ids::{DistributorId, VenueId};
use kaiku_sync_server::Settings;
use kaiku_sync_server::clock::SystemClock;
use kaiku_sync_server::startup::{AppState as ServerState, Application};
use kaiku_sync_server::store::sqlite::SqliteStore;
use kaiku_sync_server::store::{Role, Store};
use kaiku_sync_server::{auth, codes, keys};

use super::screen::Screen;

pub const PASSWORD: &str = "kirjasto-kahvila-94";

/// A real server with a region, a distributor, and an administrator's bearer token.
pub struct Region {
    _dir: tempfile::TempDir,
    pub db: std::path::PathBuf,
    pub store: Arc<SqliteStore>,
    pub address: String,
    pub admin: String,
    pub distributor: DistributorId,
}

impl Region {
    /// `max_failures`: wrong passwords before an account locks.
    pub async fn start(max_failures: u32) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = dir.path().join("server.sqlite");
        let settings = Settings {
            addr: ([127, 0, 0, 1], 0).into(),
            database: db.clone(),
            sign_in_max_failures: max_failures,
            // Tests make many token-free calls from 127.0.0.1 (sign-ins, activations).
            public_burst: 1_000_000,
            ..Settings::default()
        };
        let store = Arc::new(SqliteStore::open(&db).expect("the database opens"));
        keys::add(store.as_ref(), &SystemClock, true).await.expect("a signing key");
        let state = ServerState { store: store.clone(), clock: Arc::new(SystemClock), settings: Arc::new(settings) };
        let app = Application::build(state).await.expect("the server binds");
        let address = format!("http://127.0.0.1:{}", app.port());
        // Runs until the test's runtime ends.
        tokio::spawn(app.run_until(std::future::pending::<()>()));
        let region = store.create_region("Lappi").await.expect("a region");
        let distributor = store.create_distributor(region, "Rovaniemen sosiaalitoimi").await.expect("a distributor");
        let secret = codes::new_secret();
        let id = store.create_user(Role::Admin, "setup", &codes::hash(&secret)).await.expect("an admin");
        Self { _dir: dir, db, store, address, admin: auth::user_token(id, &secret), distributor }
    }

    /// A distributor user's invitation code, made over HTTP as the administrator would.
    pub async fn invitation(&self) -> String {
        let user =
            NewUser { role: "distributor".into(), scope: Some(i64::from(self.distributor.0)), label: "Anna".into() };
        self.invite(&user).await
    }

    /// The invitation code of `user`, made over HTTP as the administrator would.
    pub async fn invite(&self, user: &NewUser) -> String {
        StaffApi::new(&self.address, Some(self.admin.clone())).invite(user).await.expect("an invitation").code
    }

    /// Accepts invitation `code` over HTTP as the invited person would, setting `username` and
    /// the password, then signs in.
    pub async fn accept(&self, code: &str, username: &str) -> StaffSession {
        let api = StaffApi::new(&self.address, None);
        api.accept_invitation(code, username, PASSWORD).await.expect("accepted");
        let signed = api.sign_in(username, PASSWORD).await.expect("signed in");
        StaffSession { server: self.address.clone(), token: signed.token, me: signed.user }
    }

    /// `user`, invited, accepted as `username` and signed in, with the session kept on the device.
    async fn invited_and_kept(&self, vault: &MemoryVault, user: &NewUser, username: &str) -> StaffSession {
        let session = self.accept(&self.invite(user).await, username).await;
        save(vault, SESSION_KEY, &session).await.expect("kept");
        session
    }

    /// A distributor who has set `username` and the password with an invitation.
    pub async fn distributor_user(&self, username: &str) {
        let code = self.invitation().await;
        StaffApi::new(&self.address, None).accept_invitation(&code, username, PASSWORD).await.expect("accepted");
    }

    /// A session kept on the device, as after an earlier sign-in.
    pub async fn signed_in(&self, vault: &MemoryVault, username: &str) -> StaffSession {
        let user =
            NewUser { role: "distributor".into(), scope: Some(i64::from(self.distributor.0)), label: "Anna".into() };
        self.invited_and_kept(vault, &user, username).await
    }
}

impl Region {
    /// A venue of the region with a venue user who has set `username` and the password with an
    /// invitation, signed in with the session kept on the device.
    pub async fn venue_user(&self, vault: &MemoryVault, username: &str) -> (VenueId, StaffSession) {
        let distributor = self.store.distributor(self.distributor).await.expect("reads").expect("the distributor");
        let venue = self.store.create_venue(Some(distributor.region), "Korundi").await.expect("a venue");
        let user = NewUser { role: "venue".into(), scope: Some(i64::from(venue.0)), label: "Lipunmyynti".into() };
        (venue, self.invited_and_kept(vault, &user, username).await)
    }
}

impl Region {
    /// The region's coordinator, invited by the administrator and signed in, kept on the device.
    pub async fn coordinator_signed_in(&self, vault: &MemoryVault, username: &str) -> StaffSession {
        let region = self.store.distributor(self.distributor).await.expect("reads").expect("the distributor").region;
        let user = NewUser { role: "coordinator".into(), scope: Some(i64::from(region.0)), label: "Kaarina".into() };
        self.invited_and_kept(vault, &user, username).await
    }
}

#[derive(Clone)]
pub struct VaultProp(Rc<MemoryVault>);

impl PartialEq for VaultProp {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The whole app (every part), opened at `path`, as a browser tab would be.
#[component]
fn Tab(lang: Lang, server: String, vault: VaultProp, path: String) -> Element {
    AppState::provide(Boot {
        vault: vault.0.clone(),
        prefs: Prefs { lang: Some(lang), server: Some(server.clone()), ..Prefs::default() },
        card: None,
        storage_problem: None,
    });
    rsx! { AllParts { path } }
}

pub fn tab(lang: Lang, region: &Region, vault: &Rc<MemoryVault>, path: &str) -> Screen {
    Screen::new(VirtualDom::new_with_props(
        Tab,
        TabProps { lang, server: region.address.clone(), vault: VaultProp(vault.clone()), path: path.to_owned() },
    ))
}

/// The text of the element `id` (up to its first child tag or end).
pub fn text_of(html: &str, id: &str) -> String {
    let Some(at) = html.find(&format!("id=\"{id}\"")) else { return String::new() };
    let rest = &html[at..];
    let start = rest.find('>').map_or(rest.len(), |i| i + 1);
    let rest = &rest[start..];
    rest[..rest.find('<').unwrap_or(rest.len())].to_owned()
}

pub async fn sign_in_on_screen(s: &mut Screen, username: &str, password: &str) {
    s.type_in("username", username);
    s.type_in("password", password);
    s.submit("sign-in-form");
}

impl Region {
    /// A staff user of `role` (`admin`, or `coordinator` of `scope`) who has set `username` and
    /// the password with an invitation, signed in and kept on the device.
    pub async fn staff_signed_in(
        &self,
        vault: &MemoryVault,
        role: &str,
        scope: Option<i64>,
        username: &str,
    ) -> StaffSession {
        let user = NewUser { role: role.into(), scope, label: format!("{role} {username}") };
        self.invited_and_kept(vault, &user, username).await
    }
}

/// The text of the QR code drawn as `svg`, read by rendering it as an image and decoding that
/// with the app's own decoder, as a phone's camera would.
pub fn read_qr(svg: &str) -> String {
    use resvg::tiny_skia::{Color, Pixmap, Transform};
    use resvg::usvg::{Options, Tree};
    let tree = Tree::from_str(svg, &Options::default()).expect("the QR SVG parses");
    let scale = 400.0 / tree.size().width();
    let side = (tree.size().width() * scale).ceil() as u32 + 40;
    let mut pixmap = Pixmap::new(side, side).expect("non-empty");
    pixmap.fill(Color::WHITE);
    resvg::render(&tree, Transform::from_row(scale, 0.0, 0.0, scale, 20.0, 20.0), &mut pixmap.as_mut());
    let luma = kaiku::decode::rgba_to_luma(pixmap.data());
    kaiku::decode::decode_luma(&luma, side, side).expect("the QR code reads").text
}
