//! The web app's scan part: its own wasm download (see app/parts.rs).

fn main() {
    dioxus::launch(kaiku::parts::ScanApp);
}
