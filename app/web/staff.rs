//! The web app's staff part: its own wasm download (see app/parts.rs).

fn main() {
    dioxus::launch(kaiku::parts::StaffApp);
}
