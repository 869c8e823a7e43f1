//! The verdict at the door: colour, icon, words and a sound, never colour alone, in the staff
//! member's language, with the reason.

use chrono::{DateTime, Utc};
use dioxus::prelude::*;
use kaiku_core::card::{CardKind, RevocationReason};
use kaiku_core::caution::Caution;
use kaiku_core::credential::CredentialError;
use kaiku_core::scan::Unrecognised;
use kaiku_core::verdict::{Evidence, Invalid, NotForOffer, Signal as Door, Unverified, Verdict};
use kaiku_core::{CardId, CardIdError};

use super::caution::{caution_text, credential_age_text};
use crate::holder::grouped_id;
use crate::i18n::{Lang, date, t, t_args};

/// Class, icon and message id of the headline for each signal.
pub fn look(signal: Door) -> (&'static str, &'static str, &'static str) {
    match signal {
        Door::Admit => ("verdict verdict-admit", "✓", "scan-verdict-admit"),
        Door::AdmitFlagged => ("verdict verdict-flagged", "!", "scan-verdict-flagged"),
        Door::Refuse => ("verdict verdict-refuse", "✕", "scan-verdict-refuse"),
    }
}

/// A moment as people write it: 5.3.2027 klo 14.02, 2027-03-05 kl. 14:02, 5 March 2027, 14:02.
pub fn date_time(lang: Lang, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&chrono::Local);
    let day = date(lang, local.date_naive());
    match lang {
        Lang::Fi => format!("{day} klo {}", local.format("%H.%M")),
        Lang::Sv => format!("{day} kl. {}", local.format("%H:%M")),
        Lang::En => format!("{day}, {}", local.format("%H:%M")),
    }
}

/// The clock time of a moment, the local way.
pub fn clock(lang: Lang, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&chrono::Local);
    match lang {
        Lang::Fi => local.format("%H.%M").to_string(),
        _ => local.format("%H:%M").to_string(),
    }
}

fn revocation(lang: Lang, reason: RevocationReason) -> String {
    t(
        lang,
        match reason {
            RevocationReason::Lost => "scan-revoked-lost",
            RevocationReason::Stolen => "scan-revoked-stolen",
            RevocationReason::Misuse => "scan-revoked-misuse",
            RevocationReason::Replaced => "scan-revoked-replaced",
        },
    )
}

fn kind_text(lang: Lang, kind: CardKind) -> String {
    t(
        lang,
        match kind {
            CardKind::Personal => "card-kind-personal",
            CardKind::Community => "card-kind-community-plain",
        },
    )
}

/// The reasons behind a verdict, one line each, in `lang`.
pub fn reasons(verdict: &Verdict, lang: Lang) -> Vec<String> {
    let d = |day| date(lang, day);
    match verdict {
        Verdict::Valid(a) => {
            let mut lines =
                vec![t_args(lang, "card-valid-until", &[("date", d(a.valid_until).into())]), kind_text(lang, a.kind)];
            if a.kind == CardKind::Personal {
                lines.push(t_args(lang, "card-children", &[("count", a.minors_on_record.into())]));
            }
            lines.push(match a.evidence {
                Evidence::SignedCredential { .. } => t(lang, "scan-why-signed"),
                Evidence::Register { as_of } => {
                    t_args(lang, "scan-why-register", &[("date", date_time(lang, as_of).into())])
                }
            });
            lines
        }
        Verdict::ValidUnverified { why, .. } => vec![match why {
            Unverified::NoRegisterCopy => t(lang, "scan-why-no-copy"),
            Unverified::NotInRegisterCopy { as_of } => {
                t_args(lang, "scan-why-not-in-copy", &[("date", date_time(lang, *as_of).into())])
            }
            Unverified::RegisterCopyStale { as_of } => {
                t_args(lang, "scan-why-stale", &[("date", date_time(lang, *as_of).into())])
            }
        }],
        Verdict::Expired { on, .. } => vec![t_args(lang, "scan-why-expired", &[("date", d(*on).into())])],
        Verdict::Revoked { reason, on, .. } => vec![t_args(
            lang,
            "scan-why-revoked",
            &[("date", d(*on).into()), ("reason", revocation(lang, *reason).into())],
        )],
        Verdict::NotRegistered { card, did_you_mean } => {
            // A printed card is only known from the imported register: the holder's way out is
            // the place that gave the card. A near miss is more likely a typing slip.
            let mut lines = vec![t(
                lang,
                if card.is_legacy() || did_you_mean.is_some() {
                    "scan-why-not-registered-printed"
                } else {
                    "scan-why-not-registered"
                },
            )];
            if let Some(other) = did_you_mean {
                lines.push(t_args(lang, "scan-why-did-you-mean", &[("id", other.to_string().into())]));
            }
            lines
        }
        Verdict::NotForOffer { why: NotForOffer::CommunityCardCoursePlace, .. } => {
            vec![t(lang, "scan-why-community-course")]
        }
        Verdict::Invalid(Invalid::Unrecognised(u)) => vec![t(
            lang,
            match u {
                Unrecognised::Empty => "scan-why-empty",
                Unrecognised::TooLong(_) | Unrecognised::NotACardCode => "scan-why-not-a-card",
                Unrecognised::BadCardId(CardIdError::CheckDigitMismatch) => "scan-why-bad-check",
                Unrecognised::BadCardId(_) => "scan-why-bad-form",
            },
        )],
        Verdict::Invalid(Invalid::Credential(e)) => vec![t(
            lang,
            match e {
                CredentialError::UnknownKey(_) => "scan-why-unknown-key",
                CredentialError::BadSignature => "scan-why-bad-signature",
                CredentialError::UnsupportedVersion(_) => "scan-why-new-version",
                _ => "scan-why-damaged",
            },
        )],
        Verdict::Invalid(Invalid::RetiredKey { key, from }) => {
            vec![t_args(lang, "scan-why-retired-key", &[("key", key.0.into()), ("from", date(lang, *from).into())])]
        }
    }
}

/// The headline words of a verdict in `lang`.
pub fn headline(verdict: &Verdict, lang: Lang) -> String {
    t(lang, look(verdict.signal()).2)
}

/// What the door's speaker says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sound {
    Admit,
    Flag,
    Refuse,
    /// Gate mode recorded a card with no tap: a short bright chirp, unlike any verdict.
    Recorded,
}

impl From<Door> for Sound {
    fn from(signal: Door) -> Self {
        match signal {
            Door::Admit => Self::Admit,
            Door::AdmitFlagged => Self::Flag,
            Door::Refuse => Self::Refuse,
        }
    }
}

/// Plays a sound (and a buzz where phones can): two rising tones for yes, three level tones for
/// yes-but-look, one long low tone for no, three quick rising notes for "recorded" in gate
/// mode. The same WebAudio snippet runs in the browser and in the desktop's webview.
pub fn play(sound: Sound) {
    let kind = match sound {
        Sound::Admit => "admit",
        Sound::Flag => "flag",
        Sound::Refuse => "refuse",
        Sound::Recorded => "recorded",
    };
    document::eval(&format!("{SOUND_JS}('{kind}');"));
}

const SOUND_JS: &str = r"(function(kind){try{
var A=window.AudioContext||window.webkitAudioContext;if(!A)return;
var c=window.__kaikuAudio||(window.__kaikuAudio=new A());if(c.state==='suspended'){c.resume();}
var notes={admit:[[880,0,0.12],[1320,0.15,0.2]],flag:[[660,0,0.16],[660,0.24,0.16],[660,0.48,0.16]],refuse:[[196,0,0.6]],recorded:[[988,0,0.06],[1319,0.07,0.06],[1760,0.14,0.1]]}[kind];
var t=c.currentTime+0.02;
notes.forEach(function(n){var o=c.createOscillator(),g=c.createGain();
o.type=kind==='refuse'?'square':'sine';o.frequency.value=n[0];
g.gain.setValueAtTime(0.0001,t+n[1]);g.gain.exponentialRampToValueAtTime(0.35,t+n[1]+0.015);
g.gain.exponentialRampToValueAtTime(0.0001,t+n[1]+n[2]);
o.connect(g);g.connect(c.destination);o.start(t+n[1]);o.stop(t+n[1]+n[2]+0.05);});
if(navigator.vibrate){navigator.vibrate(kind==='refuse'?[300,100,300]:kind==='flag'?[80,60,80]:kind==='recorded'?40:60);}
}catch(e){}})";

/// The verdict, large: colour, icon, words and reasons; announced at once to screen readers.
/// For a "did you mean" verdict, `on_check` (if given) gets a button to check that ID instead.
/// `cautions` of a card let in are shown first, marked; `at` (the scan's time) tells how old a
/// mobile card's credential is.
#[component]
pub fn VerdictPanel(
    verdict: Verdict,
    lang: Lang,
    #[props(default)] on_check: Option<EventHandler<CardId>>,
    #[props(default)] cautions: Vec<Caution>,
    #[props(default)] at: Option<DateTime<Utc>>,
) -> Element {
    let (class, icon, _) = look(verdict.signal());
    let cautions: Vec<String> = if verdict.signal() == Door::Refuse {
        Vec::new()
    } else {
        cautions.iter().map(|c| caution_text(c, lang)).collect()
    };
    let credential_age = at.and_then(|at| credential_age_text(&verdict, at, lang));
    let suggested = match (&verdict, on_check) {
        (Verdict::NotRegistered { did_you_mean: Some(other), .. }, Some(handler)) => Some((*other, handler)),
        _ => None,
    };
    let words = headline(&verdict, lang);
    let card = verdict.card().map(|c| t_args(lang, "scan-verdict-card", &[("id", grouped_id(&c.to_string()).into())]));
    rsx! {
        section {
            class,
            role: "alert",
            aria_live: "assertive",
            aria_atomic: "true",
            lang: "{lang.code()}",
            p { class: "verdict-head",
                span { class: "verdict-icon", aria_hidden: "true", "{icon}" }
                span { class: "verdict-words", "{words}" }
            }
            if let Some(card) = card {
                p { class: "verdict-card", "{card}" }
            }
            if !cautions.is_empty() {
                ul { class: "verdict-cautions",
                    for line in cautions {
                        li { class: "verdict-caution",
                            span { class: "verdict-caution-icon", aria_hidden: "true", "⚠" }
                            " {line}"
                        }
                    }
                }
            }
            ul { class: "verdict-reasons",
                for line in reasons(&verdict, lang) {
                    li { "{line}" }
                }
                if let Some(line) = credential_age {
                    li { class: "verdict-credential-age", "{line}" }
                }
            }
            if let Some((other, handler)) = suggested {
                button {
                    r#type: "button",
                    id: "check-suggested",
                    class: "check-suggested",
                    onclick: move |_| handler.call(other),
                    {t_args(lang, "scan-check-suggested", &[("id", other.to_string().into())])}
                }
            }
        }
    }
}
