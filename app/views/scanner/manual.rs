//! Typing a card number, checked as the person types: "keep typing", "check digit does not
//! match — look again", or "complete, valid card number".

use dioxus::prelude::*;
use kaiku_core::{CREDENTIAL_PREFIX, CardId, CardIdError, KaikuId};

use crate::i18n::{Lang, t, t_args};

/// Characters in a card number.
pub const ID_LEN: usize = 10;

/// What the typed text is so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveCheck {
    Empty,
    /// Fine so far, but short.
    KeepTyping {
        typed: usize,
    },
    Complete(CardId),
    CheckDigitMismatch,
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

/// Checks typed text as far as it goes, with [`CardId::parse`] once it is complete.
pub fn live_check(text: &str) -> LiveCheck {
    if text.trim_start().starts_with(CREDENTIAL_PREFIX) {
        return LiveCheck::Credential;
    }
    let compact: Vec<char> = text.chars().filter(|c| !is_separator(*c)).map(|c| c.to_ascii_uppercase()).collect();
    let Some(&first) = compact.first() else { return LiveCheck::Empty };
    if KaikuId::new(first, 0).is_err() {
        return LiveCheck::BadLetter(first);
    }
    if let Some((i, &found)) = compact.iter().enumerate().skip(1).find(|(_, c)| !c.is_ascii_digit()) {
        return LiveCheck::NotADigit { position: i + 1, found };
    }
    match compact.len() {
        n if n < ID_LEN => LiveCheck::KeepTyping { typed: n },
        n if n > ID_LEN => LiveCheck::TooLong { typed: n },
        _ => match KaikuId::parse(text) {
            Ok(id) => LiveCheck::Complete(id.into()),
            Err(CardIdError::CheckDigitMismatch) => LiveCheck::CheckDigitMismatch,
            Err(CardIdError::BadSeriesLetter(c)) => LiveCheck::BadLetter(c),
            Err(CardIdError::NotADigit { position, found }) => LiveCheck::NotADigit { position, found },
            Err(CardIdError::TooLong(n)) => LiveCheck::TooLong { typed: n },
            Err(CardIdError::TooShort(n)) => LiveCheck::KeepTyping { typed: n },
            Err(CardIdError::Empty) => LiveCheck::Empty,
        },
    }
}

impl LiveCheck {
    /// A problem the person should fix (shown in red, the field marked invalid).
    pub fn is_problem(self) -> bool {
        matches!(self, Self::CheckDigitMismatch | Self::BadLetter(_) | Self::NotADigit { .. } | Self::TooLong { .. })
    }

    /// The words for it in `lang`.
    pub fn text(self, lang: Lang) -> String {
        match self {
            Self::Empty => t(lang, "scan-manual-empty"),
            Self::KeepTyping { typed } => t_args(lang, "scan-manual-keep-typing", &[("typed", typed.into())]),
            Self::Complete(_) => t(lang, "scan-manual-complete"),
            Self::CheckDigitMismatch => t(lang, "scan-manual-mismatch"),
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
