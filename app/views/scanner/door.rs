//! The door: the camera (or typing), the verdict at once, the form after a yes, recorded with
//! one tap, and straight back to scanning.

use std::rc::Rc;

use chrono::{DateTime, TimeDelta, Utc};
use dioxus::dioxus_core::{Runtime, ScopeId, current_scope_id};
use dioxus::prelude::*;
use kaiku_core::card::CardKind;
use kaiku_core::caution::Caution;
use kaiku_core::redemption::{CardFacts, EntryMethod, MAX_GROUP, RedemptionError};
use kaiku_core::verdict::{Signal as Door, Verdict};
use kaiku_core::{CardId, ScanInput};

use super::caution::{DoorClock, cautions};
use super::ctx::{ScannerCtx, use_scanner};
use super::form::{OfferPicker, RedemptionForm, children_limit, offer_label, people};
use super::lock::{Either, Mailbox, race};
use super::manual::ManualEntry;
use super::verdict::{VerdictPanel, play, reasons};
use crate::camera::{CameraError, Facing, LiveCamera, LiveOptions, Scan, open_live};
use crate::holder::grouped_id;
use crate::i18n::{Lang, t, t_args};
use crate::scanner::{Fields, StoreError};
use crate::state::{Prefs, now, sleep_ms, use_app};

/// The id of the camera preview's `<video>` element (web).
pub const PREVIEW_ID: &str = "scan-preview";
/// The same code seen again within this time is the same card still in front of the camera.
const SAME_CODE_MS: i64 = 3_000;

/// A scan and its verdict, on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub input: ScanInput,
    pub verdict: Verdict,
    pub entry: EntryMethod,
    pub at: DateTime<Utc>,
    /// What staff should look at though the card is let in ("seen here", an old credential).
    pub cautions: Vec<Caution>,
}

impl Shown {
    fn admits(&self) -> bool {
        self.verdict.signal() != Door::Refuse
    }
}

/// The camera as the screen shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum CameraState {
    Off,
    Starting,
    On { torch: bool, torch_on: bool, can_switch: bool },
    Failed(CameraError),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CamCmd {
    Torch(bool),
    Switch,
    Retry,
}

/// The door screen's state; cheap to copy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DoorState {
    pub ctx: ScannerCtx,
    /// The door screen: what staff start lives as long as it does, not as long as the button.
    scope: ScopeId,
    prefs: Signal<Prefs>,
    pub shown: Signal<Option<Shown>>,
    pub children: Signal<u8>,
    pub group: Signal<Vec<CardId>>,
    pub adding: Signal<bool>,
    /// The last group member's check: accepted or not, and the words.
    pub member_note: Signal<Option<(bool, String)>>,
    pub error: Signal<Option<String>>,
    pub busy: Signal<bool>,
    /// "Recorded: ..." after a record, until the next scan.
    pub flash: Signal<Option<String>>,
    /// Said when a scan is set aside because a yes waits to be recorded.
    pub hold: Signal<bool>,
    last_seen: Signal<Option<(ScanInput, DateTime<Utc>)>>,
    clock: CopyValue<DoorClock>,
}

/// A store failure in words for staff.
pub fn store_error_text(e: &StoreError, lang: Lang) -> String {
    match e {
        StoreError::NotEnrolled => t(lang, "scan-not-enrolled"),
        StoreError::Rule(r) => match r {
            RedemptionError::ChildrenWithCoursePlace => t(lang, "scan-children-course"),
            RedemptionError::CommunityCoursePlace => t(lang, "scan-why-community-course"),
            RedemptionError::CommunityWithoutGroup => t(lang, "scan-group-needed"),
            RedemptionError::GroupOnPersonalCard => t(lang, "scan-rule-group-personal"),
            RedemptionError::TooManyChildren { asked, on_record } => {
                t_args(lang, "scan-rule-too-many-children", &[("asked", (*asked).into()), ("max", (*on_record).into())])
            }
            RedemptionError::GroupTooLarge => t_args(lang, "scan-member-full", &[("max", MAX_GROUP.into())]),
            RedemptionError::RepeatedGroupMember(id) => {
                t_args(lang, "scan-member-twice", &[("id", id.to_string().into())])
            }
            other => other.to_string(),
        },
        other => t_args(lang, "scan-store-failed", &[("error", other.to_string().into())]),
    }
}

impl DoorState {
    fn new(ctx: ScannerCtx, prefs: Signal<Prefs>, clock: DoorClock) -> Self {
        Self {
            ctx,
            scope: current_scope_id(),
            prefs,
            shown: Signal::new(None),
            children: Signal::new(0),
            group: Signal::new(Vec::new()),
            adding: Signal::new(false),
            member_note: Signal::new(None),
            error: Signal::new(None),
            busy: Signal::new(false),
            flash: Signal::new(None),
            hold: Signal::new(false),
            last_seen: Signal::new(None),
            clock: CopyValue::new(clock),
        }
    }

    /// Runs `fut` as a task of the door screen (a record goes on when the form that started it goes).
    pub fn run(self, fut: impl std::future::Future<Output = ()> + 'static) {
        Runtime::current().in_scope(self.scope, || spawn(fut));
    }

    fn lang(&self) -> Lang {
        self.prefs.peek().lang.unwrap_or_else(Lang::from_device)
    }

    /// A code from the camera: to the group being added, or a new verdict unless a yes waits.
    pub async fn camera_scan(mut self, scan: Scan) {
        let at = now();
        let repeat = self
            .last_seen
            .peek()
            .as_ref()
            .is_some_and(|(seen, when)| *seen == scan.input && at - *when < TimeDelta::milliseconds(SAME_CODE_MS));
        self.last_seen.set(Some((scan.input.clone(), at)));
        if repeat {
            return;
        }
        if *self.adding.peek() {
            self.add_member(scan.input).await;
            return;
        }
        if self.shown.peek().as_ref().is_some_and(Shown::admits) {
            // A yes waits to be recorded: staff record it or press "Next person" first.
            self.hold.set(true);
            return;
        }
        self.show(scan.input, scan.method).await;
    }

    /// A card number typed by staff: always decided (typing is deliberate).
    pub async fn typed(self, text: String) {
        self.show(ScanInput::parse(&text), EntryMethod::Typed).await;
    }

    /// Decides and shows the verdict at once, with its sound.
    pub async fn show(mut self, input: ScanInput, entry: EntryMethod) {
        let lang = self.lang();
        let kind = self.ctx.current_offer().kind;
        match self.ctx.decide(&input, kind).await {
            Ok(verdict) => {
                let at = self.clock.read().now();
                let window = self.ctx.door_settings.peek().seen_window();
                // The door never waits on a caution: without the log's answer it shows the verdict.
                let cautions = cautions(&self.ctx, &verdict, at, window).await.unwrap_or_else(|e| {
                    dioxus::logger::tracing::warn!("the log could not say when the card was seen: {e}");
                    Vec::new()
                });
                play(match verdict.signal() {
                    Door::Admit if !cautions.is_empty() => Door::AdmitFlagged,
                    s => s,
                });
                self.shown.set(Some(Shown { input, verdict, entry, at, cautions }));
                self.children.set(0);
                self.group.set(Vec::new());
                self.adding.set(false);
                self.member_note.set(None);
                self.error.set(None);
                self.flash.set(None);
                self.hold.set(false);
            }
            Err(e) => {
                self.error.set(Some(t_args(lang, "scan-decide-failed", &[("error", e.to_string().into())])));
            }
        }
    }

    /// Decides the shown scan again (the offer changed).
    pub async fn redecide(mut self) {
        let Some(shown) = self.shown.peek().clone() else { return };
        let kind = self.ctx.current_offer().kind;
        if let Ok(verdict) = self.ctx.decide(&shown.input, kind).await {
            if verdict.signal() != shown.verdict.signal() {
                play(verdict.signal());
            }
            if let Some(s) = self.shown.write().as_mut() {
                s.verdict = verdict;
            }
        }
    }

    /// Checks a group member's own card and adds it.
    pub async fn add_member(mut self, input: ScanInput) {
        let lang = self.lang();
        let Some(main) = self.shown.peek().as_ref().and_then(|s| s.verdict.card()) else { return };
        let verdict = match self.ctx.decide(&input, kaiku_core::OfferKind::Ticket).await {
            Ok(v) => v,
            Err(e) => {
                self.member_note.set(Some((false, store_error_text(&e, lang))));
                return;
            }
        };
        let id_of = |c: CardId| grouped_id(&c.to_string());
        let note = match &verdict {
            Verdict::Valid(a) if a.kind == CardKind::Community => {
                Err(t_args(lang, "scan-member-community", &[("id", id_of(a.card).into())]))
            }
            Verdict::Valid(_) | Verdict::ValidUnverified { .. } => {
                let card = verdict.card().unwrap_or(main);
                if card == main {
                    Err(t_args(lang, "scan-member-self", &[("id", id_of(card).into())]))
                } else if self.group.peek().contains(&card) {
                    Err(t_args(lang, "scan-member-twice", &[("id", id_of(card).into())]))
                } else if self.group.peek().len() >= MAX_GROUP {
                    Err(t_args(lang, "scan-member-full", &[("max", MAX_GROUP.into())]))
                } else {
                    self.group.write().push(card);
                    Ok(t_args(lang, "scan-member-added", &[("id", id_of(card).into())]))
                }
            }
            refused => {
                let id = refused.card().map(id_of).unwrap_or_default();
                let why = reasons(refused, lang).join(" ");
                Err(t_args(lang, "scan-member-refused", &[("id", id.into()), ("reason", why.into())]))
            }
        };
        play(if note.is_ok() { Door::Admit } else { Door::Refuse });
        self.member_note.set(Some(match note {
            Ok(n) => (true, n),
            Err(n) => (false, n),
        }));
    }

    /// Records what the form says; "recorded" only once the store has it durably.
    pub async fn record(mut self, server: String) {
        let lang = self.lang();
        if *self.busy.peek() {
            return;
        }
        let Some(shown) = self.shown.peek().clone() else { return };
        let Some(card) = shown.verdict.card() else { return };
        let Some(venue) = self.ctx.enrollment.peek().as_ref().map(|e| e.venue) else {
            self.error.set(Some(t(lang, "scan-not-enrolled")));
            return;
        };
        let offer = self.ctx.current_offer();
        let children = (*self.children.peek()).min(children_limit(&shown.verdict, offer.kind));
        let group = self.group.peek().clone();
        let facts = match &shown.verdict {
            Verdict::Valid(a) => Some(CardFacts::from(a)),
            _ => None,
        };
        let fields = Fields {
            card,
            venue,
            offer: offer.kind,
            offer_id: offer.id,
            children,
            group: group.clone(),
            scanned_at: shown.at,
            entry: shown.entry,
            verdict: shown.verdict.code(),
        };
        self.busy.set(true);
        self.error.set(None);
        let result = self.ctx.record(fields, facts).await;
        self.busy.set(false);
        match result {
            Ok(r) => {
                let summary = format!(
                    "{} · {} · {}",
                    grouped_id(&r.card.to_string()),
                    people(lang, usize::from(r.adults), r.children),
                    offer_label(lang, &offer)
                );
                self.flash.set(Some(t_args(lang, "scan-recorded", &[("summary", summary.into())])));
                self.shown.set(None);
                self.children.set(0);
                self.group.set(Vec::new());
                self.adding.set(false);
                self.member_note.set(None);
                self.hold.set(false);
                if self.ctx.seems_online() {
                    self.ctx.sync_soon(server);
                }
            }
            Err(e) => {
                let why = store_error_text(&e, lang);
                self.error.set(Some(t_args(lang, "scan-record-failed", &[("reason", why.into())])));
            }
        }
    }

    /// Next person: the verdict goes, scanning goes on.
    pub fn dismiss(mut self) {
        self.shown.set(None);
        self.children.set(0);
        self.group.set(Vec::new());
        self.adding.set(false);
        self.member_note.set(None);
        self.error.set(None);
        self.hold.set(false);
    }
}

fn camera_text(state: &CameraState, lang: Lang) -> String {
    match state {
        CameraState::Off => String::new(),
        CameraState::Starting => t(lang, "scan-camera-starting"),
        CameraState::On { .. } => t(lang, "scan-camera-on"),
        CameraState::Failed(CameraError::NoCamera) => t(lang, "scan-camera-none"),
        CameraState::Failed(CameraError::Denied) => t(lang, "scan-camera-denied"),
        CameraState::Failed(CameraError::Busy) => t(lang, "scan-camera-busy"),
        CameraState::Failed(e) => t_args(lang, "scan-camera-failed", &[("error", e.to_string().into())]),
    }
}

/// Runs the camera until the screen goes: scans to the door, commands from the buttons.
async fn run_camera(door: DoorState, mut state: Signal<CameraState>, commands: Rc<Mailbox<CamCmd>>) {
    let mut facing = Facing::Back;
    // Let the preview element be mounted first.
    sleep_ms(30).await;
    'open: loop {
        state.set(CameraState::Starting);
        let mut cam: Box<dyn LiveCamera> =
            match open_live(LiveOptions { facing, preview_id: PREVIEW_ID.to_owned() }).await {
                Ok(c) => c,
                Err(e) => {
                    state.set(CameraState::Failed(e));
                    while commands.next().await != CamCmd::Retry {}
                    continue 'open;
                }
            };
        state.set(CameraState::On { torch: cam.has_torch(), torch_on: false, can_switch: cam.can_switch() });
        loop {
            match race(cam.next_scan(), commands.next()).await {
                Either::Left(Some(scan)) => door.camera_scan(scan).await,
                Either::Left(None) => {
                    state.set(CameraState::Failed(CameraError::Failed("stopped".into())));
                    while commands.next().await != CamCmd::Retry {}
                    continue 'open;
                }
                Either::Right(CamCmd::Torch(on)) => {
                    if cam.set_torch(on).await.is_ok() {
                        state.set(CameraState::On { torch: true, torch_on: on, can_switch: cam.can_switch() });
                    }
                }
                Either::Right(CamCmd::Switch) => {
                    cam.stop();
                    facing = match facing {
                        Facing::Back => Facing::Front,
                        Facing::Front => Facing::Back,
                    };
                    continue 'open;
                }
                Either::Right(CamCmd::Retry) => {}
            }
        }
    }
}

/// The door screen. `camera: false` leaves the camera off (typing only; tests).
#[component]
pub fn DoorScreen(#[props(default = true)] camera: bool) -> Element {
    let app = use_app();
    let ctx = use_scanner();
    let lang = app.lang();
    // A clock in context (tests) moves the door's time; otherwise it is the device's.
    let door = use_hook(|| DoorState::new(ctx, app.prefs, try_consume_context::<DoorClock>().unwrap_or_default()));
    let cam_state = use_signal(|| if camera { CameraState::Starting } else { CameraState::Off });
    let commands = use_hook(|| Rc::new(Mailbox::<CamCmd>::default()));
    let loop_commands = commands.clone();
    use_future(move || {
        let commands = loop_commands.clone();
        async move {
            if camera {
                run_camera(door, cam_state, commands).await;
            }
        }
    });
    let venue = ctx.enrollment.read().as_ref().map(|e| e.venue_name.clone()).unwrap_or_default();
    let shown = door.shown.read().clone();
    let cam = cam_state.read().clone();
    let camera_failed = matches!(cam, CameraState::Failed(_));
    let (c1, c2, c3) = (commands.clone(), commands.clone(), commands.clone());
    rsx! {
        section { class: "door", aria_labelledby: "door-title",
            h1 { id: "door-title", class: "visually-hidden", {t(lang, "scanner-title")} }
            p { class: "venue", {t_args(lang, "scan-venue", &[("venue", venue.into())])} }
            if let Some(name) = ctx.just_enrolled.read().clone() {
                p { class: "notice notice-ok", role: "status", {t_args(lang, "scan-welcome", &[("venue", name.into())])} }
            }
            match shown {
                Some(s) => rsx! {
                    VerdictPanel {
                        verdict: s.verdict.clone(),
                        lang,
                        cautions: s.cautions.clone(),
                        at: s.at,
                        // Staff picked the suggested number by eye: it counts as typed.
                        on_check: move |other: CardId| door.run(door.show(ScanInput::PlainId(other), EntryMethod::Typed)),
                    }
                    if s.admits() {
                        RedemptionForm { door }
                    } else {
                        div { role: "alert", class: "form-error",
                            if let Some(message) = door.error.read().clone() {
                                p { "{message}" }
                            }
                        }
                    }
                    if *door.hold.read() {
                        p { class: "notice notice-soon", role: "status", {t(lang, "scan-hold-note")} }
                    }
                    button {
                        r#type: "button",
                        id: "next-person",
                        class: "next-button",
                        onclick: move |_| door.dismiss(),
                        {t(lang, "scan-next")}
                    }
                },
                None => rsx! {
                    if let Some(message) = door.flash.read().clone() {
                        p { class: "recorded", role: "status", "✓ {message}" }
                    }
                    div { role: "alert", class: "form-error",
                        if let Some(message) = door.error.read().clone() {
                            p { "{message}" }
                        }
                    }
                    OfferPicker { id: "offer", door }
                },
            }
            div { class: "camera",
                if cfg!(target_arch = "wasm32") && camera {
                    video {
                        id: PREVIEW_ID,
                        class: if matches!(cam, CameraState::On { .. }) { "preview" } else { "preview preview-off" },
                        autoplay: true,
                        muted: true,
                        playsinline: true,
                        aria_label: "{t(lang, \"scan-camera-label\")}",
                    }
                }
                if camera {
                    p { class: if camera_failed { "camera-state camera-failed" } else { "camera-state" }, role: "status",
                        "{camera_text(&cam, lang)}"
                    }
                }
                div { class: "camera-buttons",
                    if let CameraState::On { torch: true, torch_on, .. } = cam {
                        button {
                            r#type: "button",
                            aria_pressed: if torch_on { "true" } else { "false" },
                            onclick: move |_| c1.send(CamCmd::Torch(!torch_on)),
                            if torch_on { {t(lang, "scan-torch-off")} } else { {t(lang, "scan-torch-on")} }
                        }
                    }
                    if let CameraState::On { can_switch: true, .. } = cam {
                        button { r#type: "button", onclick: move |_| c2.send(CamCmd::Switch), {t(lang, "scan-switch-camera")} }
                    }
                    if camera_failed && !matches!(cam, CameraState::Failed(CameraError::NoCamera)) {
                        button { r#type: "button", onclick: move |_| c3.send(CamCmd::Retry), {t(lang, "scan-camera-retry")} }
                    }
                }
            }
            ManualEntry {
                lang,
                id: "card",
                label: t(lang, "scan-manual-label"),
                button: t(lang, "scan-manual-check"),
                on_submit: move |text: String| door.run(door.typed(text)),
            }
        }
    }
}
