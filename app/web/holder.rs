//! The web app's holder part: its own wasm download (see app/parts.rs).

fn main() {
    dioxus::launch(kaiku::parts::HolderApp);
}
