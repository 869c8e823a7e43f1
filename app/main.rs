//! Entry point of the Kaiku app: launches the root component.

use dioxus::prelude::*;
use kaiku::views::Start;

fn main() {
    dioxus::launch(App);
}

#[component]
fn App() -> Element {
    rsx! { Start {} }
}
