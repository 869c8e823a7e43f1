//! Finnish, Swedish and English. All user-facing text lives in `assets/i18n/*.ftl`
//! (Fluent); code asks for it by message id.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::NaiveDate;
use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

/// A language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fi,
    Sv,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Fi, Lang::Sv, Lang::En];

    /// The language for a BCP 47 tag such as `sv-FI`; English for anything else.
    pub fn from_tag(tag: &str) -> Self {
        match tag.get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("fi") => Self::Fi,
            Some("sv") => Self::Sv,
            _ => Self::En,
        }
    }

    /// The language of the device, from its locale settings.
    pub fn from_device() -> Self {
        device_locale().map_or(Self::Fi, |tag| Self::from_tag(&tag))
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Fi => "fi",
            Self::Sv => "sv",
            Self::En => "en",
        }
    }

    /// The language's name in itself, for the language picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::Fi => "Suomi",
            Self::Sv => "Svenska",
            Self::En => "English",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Self::Fi => include_str!("../assets/i18n/fi.ftl"),
            Self::Sv => include_str!("../assets/i18n/sv.ftl"),
            Self::En => include_str!("../assets/i18n/en.ftl"),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn device_locale() -> Option<String> {
    sys_locale::get_locale()
}

#[cfg(target_arch = "wasm32")]
fn device_locale() -> Option<String> {
    web_sys::window()?.navigator().language()
}

thread_local! {
    static BUNDLES: RefCell<HashMap<Lang, FluentBundle<FluentResource>>> = RefCell::new(HashMap::new());
}

fn with_bundle<T>(lang: Lang, f: impl FnOnce(&FluentBundle<FluentResource>) -> T) -> T {
    BUNDLES.with(|cell| {
        let mut bundles = cell.borrow_mut();
        let bundle = bundles.entry(lang).or_insert_with(|| build_bundle(lang));
        f(bundle)
    })
}

fn build_bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new(vec![id]);
    // No Unicode isolation marks: they show up in copied text and confuse some screen readers.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(|(partial, _)| partial);
    // Duplicate ids are caught by the tests; keep the first.
    let _ = bundle.add_resource(resource);
    bundle
}

/// The text of message `id` in `lang` (the id itself if missing, so a gap is visible).
pub fn t(lang: Lang, id: &str) -> String {
    format(lang, id, None)
}

/// The text of message `id` with arguments.
pub fn t_args(lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    format(lang, id, Some(&fluent_args))
}

fn format(lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> String {
    with_bundle(lang, |bundle| {
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else { return id.to_owned() };
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, args, &mut errors).into_owned()
    })
}

/// A date as people write it in each language.
pub fn date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Fi => d.format("%-d.%-m.%Y").to_string(),
        Lang::Sv => d.format("%Y-%m-%d").to_string(),
        Lang::En => d.format("%-d %B %Y").to_string(),
    }
}

/// The message ids of a language's file, for completeness checks.
pub fn message_ids(lang: Lang) -> Vec<String> {
    let resource = FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(|(partial, _)| partial);
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message_and_no_syntax_errors() {
        for lang in Lang::ALL {
            assert!(FluentResource::try_new(lang.source().to_owned()).is_ok(), "{lang:?} has syntax errors");
        }
        let en = message_ids(Lang::En);
        for lang in [Lang::Fi, Lang::Sv] {
            let ids = message_ids(lang);
            let missing: Vec<_> = en.iter().filter(|id| !ids.contains(id)).collect();
            let extra: Vec<_> = ids.iter().filter(|id| !en.contains(id)).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{lang:?}: missing {missing:?}, extra {extra:?}");
        }
    }

    #[test]
    fn plurals_and_arguments_are_filled_in() {
        let two = t_args(Lang::Fi, "card-expires-soon", &[("days", 2.into())]);
        assert_eq!(two, "Korttisi vanhenee 2 päivän päästä. Uusi se siellä, mistä sait kortin.");
        let one = t_args(Lang::En, "card-expires-soon", &[("days", 1.into())]);
        assert!(one.contains("tomorrow"), "{one}");
        assert_eq!(t_args(Lang::Sv, "card-children", &[("count", 0.into())]), "Inga barnbiljetter registrerade");
    }

    #[test]
    fn device_tags_pick_a_language() {
        assert_eq!(Lang::from_tag("sv-FI"), Lang::Sv);
        assert_eq!(Lang::from_tag("fi"), Lang::Fi);
        assert_eq!(Lang::from_tag("de-DE"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
    }

    #[test]
    fn dates_are_written_the_local_way() {
        let d = NaiveDate::from_ymd_opt(2027, 3, 5).expect("date");
        assert_eq!(date(Lang::Fi, d), "5.3.2027");
        assert_eq!(date(Lang::Sv, d), "2027-03-05");
        assert_eq!(date(Lang::En, d), "5 March 2027");
    }
}
