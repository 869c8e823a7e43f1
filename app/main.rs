//! Entry point of the Kaiku app.

fn main() {
    dioxus::launch(kaiku::App);
}
