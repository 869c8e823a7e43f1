//! Typing a card number, checked as the person types: "keep typing", "complete, valid card
//! number", or, for the printed cards already in people's pockets, "looked up in the register".

use dioxus::prelude::*;
use kaiku_core::card_id::LEGACY_LETTERS;
use kaiku_core::{CREDENTIAL_PREFIX, CardId, KaikuId};

use crate::i18n::{Lang, t, t_args};

/// Characters in a Kaiku card number.
pub const ID_LEN: usize = 10;
/// Most digits after the letters of any card number (a printed legacy one).
const MAX_DIGITS: usize = 12;

/// What the typed text is so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveCheck {
    Empty,
    /// Fine so far, but short.
    KeepTyping {
        typed: usize,
    },
    /// A Kaiku ID with a matching check digit.
    Complete(CardId),
    /// Shorter than a Kaiku ID but already a printed card's form: either may be meant.
    PrintedOrKeepTyping {
        typed: usize,
    },
    /// A printed (legacy) card's number: only the register can say if it is a card.
    Printed(CardId),
    /// Kaiku-shaped, but the check digit does not match: so it is looked up as a printed card
    /// (the seeds' `A999123453` is one). Said gently, since it may well be right.
    NotKaiku(CardId),
    BadLetter(char),
    NotADigit {
        position: usize,
        found: char,
    },
    TooLong {
        typed: usize,
    },
    /// A mobile card's code, pasted or typed.
    Credential,
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}')
}

/// Checks typed text as far as it goes: letters then digits, with [`CardId::parse`] (which
/// sorts Kaiku from printed legacy IDs) once it is long enough.
pub fn live_check(text: &str) -> LiveCheck {
    if text.trim_start().starts_with(CREDENTIAL_PREFIX) {
        return LiveCheck::Credential;
    }
    let compact: Vec<char> = text.chars().filter(|c| !is_separator(*c)).map(|c| c.to_ascii_uppercase()).collect();
    let Some(&first) = compact.first() else { return LiveCheck::Empty };
    if !first.is_ascii_uppercase() {
        return LiveCheck::BadLetter(first);
    }
    let letters = compact.iter().take_while(|c| c.is_ascii_uppercase()).count().min(*LEGACY_LETTERS.end());
    if let Some((i, &found)) = compact.iter().enumerate().skip(letters).find(|(_, c)| !c.is_ascii_digit()) {
        return LiveCheck::NotADigit { position: i + 1, found };
    }
    let typed = compact.len();
    if typed - letters > MAX_DIGITS {
        return LiveCheck::TooLong { typed };
    }
    // One of Kaiku's series letters: the person may be typing a Kaiku ID.
    let kaiku_start = letters == 1 && KaikuId::new(first, 0).is_ok();
    match CardId::parse(&compact.iter().collect::<String>()) {
        Ok(id @ CardId::Kaiku(_)) => LiveCheck::Complete(id),
        Ok(id) if kaiku_start && typed == ID_LEN => LiveCheck::NotKaiku(id),
        Ok(_) if kaiku_start && typed < ID_LEN => LiveCheck::PrintedOrKeepTyping { typed },
        Ok(id) => LiveCheck::Printed(id),
        Err(_) => LiveCheck::KeepTyping { typed },
    }
}

impl LiveCheck {
    /// A problem the person should fix (shown in red, the field marked invalid).
    pub fn is_problem(self) -> bool {
        matches!(self, Self::BadLetter(_) | Self::NotADigit { .. } | Self::TooLong { .. })
    }

    /// The words for it in `lang`.
    pub fn text(self, lang: Lang) -> String {
        match self {
            Self::Empty => t(lang, "scan-manual-empty"),
            Self::KeepTyping { typed } => t_args(lang, "scan-manual-keep-typing", &[("typed", typed.into())]),
            Self::Complete(_) => t(lang, "scan-manual-complete"),
            Self::PrintedOrKeepTyping { typed } => {
                t_args(lang, "scan-manual-printed-or-more", &[("typed", typed.into())])
            }
            Self::Printed(_) => t(lang, "scan-manual-printed"),
            Self::NotKaiku(_) => t(lang, "scan-manual-not-kaiku"),
            Self::BadLetter(c) => t_args(lang, "scan-manual-bad-letter", &[("found", c.to_string().into())]),
            Self::NotADigit { position, found } => t_args(
                lang,
                "scan-manual-not-digit",
                &[("position", position.into()), ("found", found.to_string().into())],
            ),
            Self::TooLong { typed } => t_args(lang, "scan-manual-too-long", &[("typed", typed.into())]),
            Self::Credential => t(lang, "scan-manual-credential"),
        }
    }

    fn class(self) -> &'static str {
        match self {
            Self::Complete(_) => "live-check live-check-ok",
            Self::NotKaiku(_) => "live-check live-check-note",
            s if s.is_problem() => "live-check live-check-bad",
            _ => "live-check",
        }
    }
}

/// A card number field with its live check and a button that hands the text on.
#[component]
pub fn ManualEntry(
    lang: Lang,
    /// Prefix of the element ids (two fields may be on one screen).
    id: String,
    label: String,
    button: String,
    on_submit: EventHandler<String>,
    #[props(default)] disabled: bool,
) -> Element {
    let mut text = use_signal(String::new);
    let check = live_check(&text.read());
    let input_id = format!("{id}-input");
    let check_id = format!("{id}-check");
    let field = input_id.clone();
    let submit = move |e: FormEvent| {
        e.prevent_default();
        let typed = text.read().trim().to_owned();
        if typed.is_empty() {
            return;
        }
        text.set(String::new());
        // The field is not bound to `text`: a keyboard-wedge barcode reader types faster than a
        // bound value comes back from the renderer, which would drop characters. So it is
        // emptied here, keeping its focus for the next card.
        document::eval(&format!("var f = document.getElementById('{field}'); if (f) f.value = '';"));
        on_submit.call(typed);
    };
    rsx! {
        form { class: "manual-entry", id: "{id}-form", onsubmit: submit, novalidate: true,
            label { r#for: "{input_id}", "{label}" }
            div { class: "manual-row",
                input {
                    id: "{input_id}",
                    name: "card",
                    class: "card-input",
                    autocomplete: "off",
                    autocapitalize: "characters",
                    spellcheck: "false",
                    maxlength: "200",
                    aria_describedby: "{check_id}",
                    aria_invalid: if check.is_problem() { "true" } else { "false" },
                    oninput: move |e| text.set(e.value()),
                }
                button { r#type: "submit", id: "{id}-submit", class: "primary", disabled, "{button}" }
            }
            p { id: "{check_id}", class: check.class(), aria_live: "polite", "{check.text(lang)}" }
        }
    }
}
