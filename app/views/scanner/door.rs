//! The door, camera first: the preview fills the top of the screen and stays there, the verdict
//! and the form scroll in their own panel under it, and the record button sits at the bottom in
//! thumb reach. In gate mode a plain card is recorded with no tap. The door's state is one value
//! (`door_state::DoorModel`); this file runs its steps against the store, camera and speaker.

use dioxus::dioxus_core::{Runtime, ScopeId, current_scope_id};
use dioxus::prelude::*;
use kaiku_core::card::CardKind;
use kaiku_core::redemption::{EntryMethod, MAX_GROUP, OfferKind, RedemptionError};
use kaiku_core::verdict::{Signal as Door, Verdict};
use kaiku_core::{CardId, ScanInput};

use super::caution::{DoorClock, cautions};
use super::ctx::ScannerCtx;
use super::door_state::{Done, DoorModel, MemberProblem, Shown, UNDO_SECONDS};
use super::form::{offer_label, people};
use super::verdict::{Sound, play, reasons};
use crate::camera::Scan;
use crate::holder::grouped_id;
use crate::i18n::{Lang, t, t_args};
use crate::scanner::{Fields, StoreError};
use crate::state::{Prefs, now, sleep_ms};

/// The door's own id: on a phone it is scrolled to the top of the screen.
pub const DOOR_ID: &str = "door";

/// The door screen's handles; cheap to copy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DoorState {
    pub ctx: ScannerCtx,
    prefs: Signal<Prefs>,
    /// The door screen: what staff start lives as long as it does, not as long as the button.
    scope: ScopeId,
    pub model: Signal<DoorModel>,
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

/// Whether the offer to record is settled: the venue has one, or staff chose one on this device.
/// Gate mode records at once only then.
pub fn offer_settled(ctx: &ScannerCtx) -> bool {
    let choices = ctx.offer_choices();
    let chosen = ctx.offer.read().clone();
    choices.len() == 1 || chosen.is_some_and(|c| choices.iter().any(|o| o.key() == c.key()))
}

/// Brings the door to the top of the screen (a phone: the status above it scrolls away).
pub(super) fn door_to_top() {
    document::eval(&format!(
        "var d = document.getElementById('{DOOR_ID}'); if (d && d.scrollIntoView) d.scrollIntoView({{block: 'start'}});"
    ));
}

impl DoorState {
    pub(super) fn new(ctx: ScannerCtx, prefs: Signal<Prefs>, clock: DoorClock) -> Self {
        Self {
            ctx,
            prefs,
            scope: current_scope_id(),
            model: Signal::new(DoorModel::default()),
            clock: CopyValue::new(clock),
        }
    }

    /// Runs `fut` as a task of the door screen (a record goes on when the form that started it goes).
    pub fn run(self, fut: impl std::future::Future<Output = ()> + 'static) {
        Runtime::current().in_scope(self.scope, || spawn(fut));
    }

    fn server(&self) -> String {
        self.prefs.peek().server.clone().unwrap_or_else(crate::api::default_server)
    }

    fn lang(&self) -> Lang {
        self.prefs.peek().lang.unwrap_or_else(Lang::from_device)
    }

    /// A code from the camera: to the group being added, or a new verdict unless a yes waits.
    pub async fn camera_scan(mut self, scan: Scan) {
        let at = now();
        if !self.model.write().first_sight(&scan.input, at) {
            return;
        }
        let (adding, waits) = {
            let m = self.model.peek();
            (m.adding, m.yes_waits())
        };
        if adding {
            self.add_member(scan.input).await;
        } else if waits {
            // A yes waits to be recorded: staff record it or press "Next person" first.
            self.model.write().hold = true;
        } else {
            self.show(scan.input, scan.method).await;
        }
    }

    /// A card number typed by staff (or a keyboard-wedge reader): always decided.
    pub async fn typed(self, text: String) {
        self.show(ScanInput::parse(&text), EntryMethod::Typed).await;
    }

    /// Decides and shows the verdict at once, with its sound; in gate mode a plain card is
    /// recorded right away.
    pub async fn show(mut self, input: ScanInput, entry: EntryMethod) {
        let lang = self.lang();
        let kind = self.ctx.current_offer().kind;
        let verdict = match self.ctx.decide(&input, kind).await {
            Ok(v) => v,
            Err(e) => {
                self.model.write().error = Some(t_args(lang, "scan-decide-failed", &[("error", e.to_string().into())]));
                return;
            }
        };
        let at = self.clock.read().now();
        let settings = *self.ctx.door_settings.peek();
        // The door never waits on a caution: without the log's answer it shows the verdict.
        let cautions = cautions(&self.ctx, &verdict, at, settings.seen_window()).await.unwrap_or_else(|e| {
            dioxus::logger::tracing::warn!("the log could not say when the card was seen: {e}");
            Vec::new()
        });
        let shown = Shown { input, verdict, entry, at, cautions };
        let at_once = settings.gate && offer_settled(&self.ctx) && shown.records_at_once(kind);
        if !at_once {
            play(match shown.verdict.signal() {
                Door::Admit if !shown.cautions.is_empty() => Sound::Flag,
                s => Sound::from(s),
            });
        }
        {
            let mut m = self.model.write();
            m.show(shown);
            m.gate_recording = at_once;
        }
        door_to_top();
        if at_once {
            self.record(true).await;
        }
    }

    /// Decides the shown scan again (the offer changed).
    pub async fn redecide(mut self) {
        let Some(shown) = self.model.peek().shown.clone() else { return };
        let kind = self.ctx.current_offer().kind;
        if let Ok(verdict) = self.ctx.decide(&shown.input, kind).await {
            if verdict.signal() != shown.verdict.signal() {
                play(verdict.signal().into());
            }
            if let Some(s) = self.model.write().shown.as_mut() {
                s.verdict = verdict;
            }
        }
    }

    /// Checks a group member's own card and adds it.
    pub async fn add_member(mut self, input: ScanInput) {
        let lang = self.lang();
        if self.model.peek().shown.as_ref().and_then(|s| s.verdict.card()).is_none() {
            return;
        }
        let verdict = match self.ctx.decide(&input, OfferKind::Ticket).await {
            Ok(v) => v,
            Err(e) => {
                self.model.write().member_note = Some((false, store_error_text(&e, lang)));
                return;
            }
        };
        let id_of = |c: CardId| grouped_id(&c.to_string());
        let note = match &verdict {
            Verdict::Valid(a) if a.kind == CardKind::Community => {
                Err(t_args(lang, "scan-member-community", &[("id", id_of(a.card).into())]))
            }
            Verdict::Valid(_) | Verdict::ValidUnverified { .. } => {
                let Some(card) = verdict.card() else { return };
                let id = id_of(card);
                match self.model.write().add_member(card) {
                    Ok(()) => Ok(t_args(lang, "scan-member-added", &[("id", id.into())])),
                    Err(MemberProblem::Itself) => Err(t_args(lang, "scan-member-self", &[("id", id.into())])),
                    Err(MemberProblem::Twice) => Err(t_args(lang, "scan-member-twice", &[("id", id.into())])),
                    Err(MemberProblem::Full) => Err(t_args(lang, "scan-member-full", &[("max", MAX_GROUP.into())])),
                }
            }
            refused => {
                let id = refused.card().map(id_of).unwrap_or_default();
                let why = reasons(refused, lang).join(" ");
                Err(t_args(lang, "scan-member-refused", &[("id", id.into()), ("reason", why.into())]))
            }
        };
        play(if note.is_ok() { Sound::Admit } else { Sound::Refuse });
        self.model.write().member_note = Some(match note {
            Ok(n) => (true, n),
            Err(n) => (false, n),
        });
    }

    /// Records what the form says; "recorded" only once the store has it durably. `gate`: by
    /// gate mode, with no tap.
    pub async fn record(mut self, gate: bool) {
        let lang = self.lang();
        let (shown, children, group) = {
            let m = self.model.peek();
            if m.busy {
                return;
            }
            let Some(shown) = m.shown.clone() else { return };
            (shown, m.children, m.group.clone())
        };
        let Some(card) = shown.verdict.card() else { return };
        let Some(venue) = self.ctx.enrollment.peek().as_ref().map(|e| e.venue) else {
            self.model.write().error = Some(t(lang, "scan-not-enrolled"));
            return;
        };
        let offer = self.ctx.current_offer();
        let fields = Fields {
            card,
            venue,
            offer: offer.kind,
            offer_id: offer.id,
            children: children.min(shown.choices(offer.kind).children),
            group,
            scanned_at: shown.at,
            entry: shown.entry,
            verdict: shown.verdict.code(),
        };
        {
            let mut m = self.model.write();
            m.busy = true;
            m.error = None;
        }
        let result = self.ctx.record(fields, shown.facts()).await;
        self.model.write().busy = false;
        match result {
            Ok(r) => {
                let summary = format!(
                    "{} · {} · {}",
                    grouped_id(&r.card.to_string()),
                    people(lang, usize::from(r.adults), r.children),
                    offer_label(lang, &offer)
                );
                let id = r.id;
                if gate {
                    play(Sound::Recorded);
                }
                self.model.write().recorded(Done {
                    redemption: r,
                    summary,
                    gate,
                    undo_left: UNDO_SECONDS,
                    undone: false,
                });
                self.count_down(id);
                if self.ctx.seems_online() {
                    self.ctx.sync_soon(self.server());
                }
            }
            Err(e) => {
                let why = store_error_text(&e, lang);
                let mut m = self.model.write();
                m.gate_recording = false;
                m.error = Some(t_args(lang, "scan-record-failed", &[("reason", why.into())]));
            }
        }
    }

    /// Takes back the last record while its seconds last: a correction is logged (and synced);
    /// the record itself stays in the log.
    pub async fn undo(mut self) {
        let lang = self.lang();
        // The button goes at once: a second tap while the store writes undoes nothing twice.
        let (last, left) = {
            let mut m = self.model.write();
            let Some(last) = m.undoable().cloned() else { return };
            let Some(d) = m.done.as_mut() else { return };
            (last, std::mem::take(&mut d.undo_left))
        };
        let result = self.ctx.store().undo(&last, now()).await;
        self.ctx.refresh().await;
        {
            let mut m = self.model.write();
            let done = m.done.as_mut().filter(|d| d.redemption.id == last.id);
            match (result, done) {
                (Ok(_), Some(d)) => d.undone = true,
                (Ok(_), None) => {}
                (Err(e), done) => {
                    let again = done.map(|d| d.undo_left = left).is_some();
                    let why = store_error_text(&e, lang);
                    m.error = Some(t_args(lang, "scan-undo-failed", &[("reason", why.into())]));
                    drop(m);
                    if again {
                        self.count_down(last.id);
                    }
                    return;
                }
            }
        }
        if self.ctx.seems_online() {
            self.ctx.sync_soon(self.server());
        }
    }

    /// Counts the seconds left to undo record `id` down to 0.
    fn count_down(mut self, id: uuid::Uuid) {
        self.run(async move {
            loop {
                sleep_ms(1_000).await;
                if !self.model.write().tick(id) {
                    break;
                }
            }
        });
    }

    /// Next person: the verdict goes, scanning goes on.
    pub fn dismiss(mut self) {
        self.model.write().next_person();
    }
}
