//! Entry point of the Kaiku app: launches the root component on the chosen platform.

fn main() {
    #[cfg(feature = "desktop")]
    {
        use dioxus::desktop::tao::dpi::LogicalSize;
        use dioxus::desktop::{Config, WindowBuilder};
        let window = WindowBuilder::new().with_title("Kaiku").with_inner_size(LogicalSize::new(480.0, 960.0));
        dioxus::LaunchBuilder::desktop().with_cfg(Config::new().with_window(window).with_menu(None)).launch(kaiku::App);
    }
    #[cfg(not(feature = "desktop"))]
    dioxus::launch(kaiku::App);
}
