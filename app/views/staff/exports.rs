//! A coordinator's (or administrator's) downloads of the register: the region's cards and
//! redemptions as CSV. A link cannot carry the session's bearer token, so the file is fetched
//! with it and then handed over: in the browser as a Blob URL clicked through `document::eval`
//! (the browser's own download), on desktop and mobile written to the Downloads folder.

use dioxus::prelude::*;

use super::session::use_staff;
use super::transfer::EXPORTS;
use crate::i18n::{t, t_args};
use crate::state::use_app;

/// Hands `text` over as the file `name`; says where it went.
#[cfg(target_arch = "wasm32")]
pub(super) async fn save(name: &str, text: String) -> Result<String, String> {
    const JS: &str = r#"
        const name = await dioxus.recv();
        const text = await dioxus.recv();
        const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = name;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60000);
        return true;
    "#;
    let eval = document::eval(JS);
    eval.send(name).map_err(|e| e.to_string())?;
    eval.send(text).map_err(|e| e.to_string())?;
    eval.await.map_err(|e| e.to_string())?;
    Ok(name.to_owned())
}

/// Hands `text` over as the file `name`; says where it went.
#[cfg(not(target_arch = "wasm32"))]
pub(super) async fn save(name: &str, text: String) -> Result<String, String> {
    let dir = directories::UserDirs::new()
        .and_then(|d| d.download_dir().map(std::path::Path::to_path_buf).or_else(|| Some(d.home_dir().to_path_buf())))
        .ok_or_else(|| "no Downloads folder".to_owned())?;
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|e| e.to_string())?;
    Ok(path.display().to_string())
}

#[component]
pub fn Exports() -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let mut busy = use_signal(|| false);
    let mut saved = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);

    let mut fetch = move |name: &'static str| {
        if *busy.peek() {
            return;
        }
        let Some(session) = ctx.session.peek().clone() else { return };
        busy.set(true);
        saved.set(None);
        error.set(None);
        spawn(async move {
            let lang = app.lang();
            let result = session.api().export(name).await;
            match result {
                Ok(text) => {
                    let rows = text.lines().count().saturating_sub(1);
                    match save(name, text).await {
                        Ok(at) => saved.set(Some(t_args(
                            lang,
                            "staff-export-saved",
                            &[("name", name.into()), ("rows", rows.into()), ("at", at.into())],
                        ))),
                        Err(why) => error.set(Some(t_args(lang, "staff-export-not-saved", &[("reason", why.into())]))),
                    }
                }
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
            busy.set(false);
        });
    };

    rsx! {
        div { class: "exports",
            h2 { {t(lang, "staff-export-title")} }
            p { class: "hint", {t(lang, "staff-export-intro")} }
            div { class: "button-row",
                for name in EXPORTS {
                    button {
                        id: "export-{name.trim_end_matches(\".csv\")}",
                        r#type: "button",
                        disabled: busy(),
                        onclick: move |_| fetch(name),
                        {t(lang, &format!("staff-export-{}", name.trim_end_matches(".csv")))}
                    }
                }
            }
            p { id: "export-status", role: "status",
                if let Some(s) = saved() {
                    "{s}"
                }
            }
            crate::components::FormError { error: error() }
        }
    }
}
