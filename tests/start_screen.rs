//! Render tests of the app's screens (no browser: dioxus-ssr).

use dioxus::prelude::*;
use kaiku::views::Start;

#[test]
fn the_start_screen_names_the_card_in_three_languages() {
    let html = dioxus_ssr::render_element(rsx! { Start {} });
    for words in ["Kulttuuria kaikille", "Kultur för alla", "Culture for all"] {
        assert!(html.contains(words), "missing {words:?} in {html}");
    }
}
