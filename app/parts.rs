//! The app's three parts and their roots. On the web each part is its own wasm download (one
//! binary each, `app/web/`), so a holder's phone never loads the scanner's decoders or the
//! console: a link into another part is a whole-page load of that part. Desktop and mobile
//! carry all three, and [`AllParts`] switches between their routers in place.

use std::rc::Rc;

use dioxus::history::{History, MemoryHistory};
use dioxus::prelude::*;

use crate::routes::{holder, scan, staff};
use crate::state::{AppState, Boot};

/// Where a path belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Holder,
    Scanner,
    Staff,
}

impl Part {
    pub fn of(path: &str) -> Part {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let under = |top: &str| path.strip_prefix(top).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        if under("/scan") {
            Part::Scanner
        } else if under("/staff") {
            Part::Staff
        } else {
            Part::Holder
        }
    }

    /// The web page that loads the part.
    pub fn page(self) -> &'static str {
        match self {
            Part::Holder => "/index.html",
            Part::Scanner => "/scan.html",
            Part::Staff => "/staff.html",
        }
    }
}

/// The screens of one part: its router. A root's screens never change, so any two are equal.
#[derive(Debug, Clone, Copy)]
pub struct Screens(pub fn() -> Element);

impl PartialEq for Screens {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

pub fn holder_screens() -> Element {
    rsx! { Router::<holder::Route> {} }
}

pub fn scan_screens() -> Element {
    rsx! { Router::<scan::Route> {} }
}

pub fn staff_screens() -> Element {
    rsx! { Router::<staff::Route> {} }
}

/// The web roots, one a part.
#[component]
pub fn HolderApp() -> Element {
    rsx! { Root { screens: Screens(holder_screens) } }
}

#[component]
pub fn ScanApp() -> Element {
    rsx! { Root { screens: Screens(scan_screens) } }
}

#[component]
pub fn StaffApp() -> Element {
    rsx! { Root { screens: Screens(staff_screens) } }
}

/// The root of desktop and mobile: every part, opened at the start screen.
#[component]
pub fn App() -> Element {
    rsx! { Root { screens: Screens(all_parts) } }
}

fn all_parts() -> Element {
    rsx! { AllParts { path: "/" } }
}

const STYLE: &str = include_str!("../assets/kaiku.css");

/// Loads what the device holds, then shows the screens.
#[component]
pub fn Root(screens: Screens) -> Element {
    let boot = use_resource(Boot::load);
    rsx! {
        document::Title { "Kaiku" }
        style { {STYLE} }
        match &*boot.read() {
            None => rsx! { p { class: "splash", "Kaiku" } },
            Some(b) => rsx! { Loaded { boot: BootProp(b.clone()), screens } },
        }
    }
}

/// `Boot` as a prop: compared by identity, it is created once.
#[derive(Debug, Clone)]
pub struct BootProp(pub Boot);

impl PartialEq for BootProp {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0.vault, &other.0.vault)
    }
}

/// The path and query the app was opened at. The router drops a query its routes do not
/// name as it starts, so a link's parameters (`/scan?enroll=…`) are read from here.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenedAt(pub String);

#[component]
fn Loaded(boot: BootProp, screens: Screens) -> Element {
    let problem = boot.0.storage_problem.clone();
    AppState::provide(boot.0);
    use_hook(|| provide_context(OpenedAt(dioxus::history::history().current_route())));
    rsx! {
        if let Some(p) = problem {
            p { class: "notice notice-bad", role: "alert", "{p}" }
        }
        {(screens.0)()}
    }
}

/// All three parts in one window, opened at `path`: leaving a part's routes switches to the
/// part the path belongs to, with its own history.
#[component]
pub fn AllParts(path: String) -> Element {
    let at = use_signal(|| path.clone());
    let path = at.read().clone();
    match Part::of(&path) {
        Part::Holder => rsx! { PartAt { path, at, screens: Screens(holder_screens) } },
        Part::Scanner => rsx! { ScanPartAt { path, at } },
        Part::Staff => rsx! { StaffPartAt { path, at } },
    }
}

// One component type a part, so that switching parts replaces the router and its history.
#[component]
fn ScanPartAt(path: String, at: Signal<String>) -> Element {
    rsx! { PartAt { path, at, screens: Screens(scan_screens) } }
}

#[component]
fn StaffPartAt(path: String, at: Signal<String>) -> Element {
    rsx! { PartAt { path, at, screens: Screens(staff_screens) } }
}

#[component]
fn PartAt(path: String, at: Signal<String>, screens: Screens) -> Element {
    use_hook(|| {
        provide_context(OpenedAt(path.clone()));
        let history = PartHistory { inner: MemoryHistory::with_initial_path(path.clone()), at };
        provide_context(Rc::new(history) as Rc<dyn History>)
    });
    (screens.0)()
}

/// A memory history that takes a path outside its part's routes (which the router hands on as
/// "external") to the part it belongs to.
struct PartHistory {
    inner: MemoryHistory,
    at: Signal<String>,
}

impl History for PartHistory {
    fn current_route(&self) -> String {
        self.inner.current_route()
    }
    fn can_go_back(&self) -> bool {
        self.inner.can_go_back()
    }
    fn go_back(&self) {
        self.inner.go_back()
    }
    fn can_go_forward(&self) -> bool {
        self.inner.can_go_forward()
    }
    fn go_forward(&self) {
        self.inner.go_forward()
    }
    fn push(&self, route: String) {
        self.inner.push(route)
    }
    fn replace(&self, path: String) {
        self.inner.replace(path)
    }
    fn external(&self, url: String) -> bool {
        if !url.starts_with('/') || Part::of(&url) == Part::of(&self.inner.current_route()) {
            return false;
        }
        let mut at = self.at;
        at.set(url);
        true
    }
    fn updater(&self, callback: std::sync::Arc<dyn Fn() + Send + Sync>) {
        self.inner.updater(callback)
    }
}

/// A link into another part: the router hands it to the history, which loads that part.
#[component]
pub fn PartLink(
    to: String,
    id: Option<String>,
    class: Option<String>,
    aria_label: Option<String>,
    children: Element,
) -> Element {
    let nav = navigator();
    let target = to.clone();
    rsx! {
        a {
            id,
            class,
            aria_label,
            href: "{to}",
            onclick: move |e: MouseEvent| {
                e.prevent_default();
                nav.push(target.clone());
            },
            {children}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Part;

    #[test]
    fn a_path_belongs_to_the_part_of_its_first_segment() {
        assert_eq!(Part::of("/"), Part::Holder);
        assert_eq!(Part::of("/card"), Part::Holder);
        assert_eq!(Part::of("/activate?code=ABCD-EFGH"), Part::Holder);
        assert_eq!(Part::of("/scan"), Part::Scanner);
        assert_eq!(Part::of("/scan/history"), Part::Scanner);
        assert_eq!(Part::of("/scan?enroll=X"), Part::Scanner);
        assert_eq!(Part::of("/staff"), Part::Staff);
        assert_eq!(Part::of("/staff/cards/A000000018"), Part::Staff);
        assert_eq!(Part::of("/scanner"), Part::Holder, "a longer first segment is not the scanner's");
        assert_eq!(Part::of("/staffroom"), Part::Holder);
    }
}
