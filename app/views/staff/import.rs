//! Bringing in cards from the old register (distributors): a CSV file chosen or pasted, checked
//! by the server without changing anything (counts, and every bad row with its line, column and
//! reason), then imported in one go, all rows or none. Names are refused by the server; the
//! screen says why.

use dioxus::prelude::*;

use super::client::{StaffError, error_text};
use super::session::use_staff;
use super::transfer::{ImportAnswer, ImportReport};
use crate::components::{FieldError, FormError, TableScroll};
use crate::i18n::{Lang, t, t_args};
use crate::state::use_app;

/// A refusal of the whole file in words; other refusals as every screen words them.
fn refusal_text(e: &StaffError, lang: Lang) -> String {
    match (e.code(), e) {
        ("personal_data_refused", _) => t(lang, "staff-import-personal-data"),
        ("invalid_csv", StaffError::Refused { message, .. }) => {
            t_args(lang, "staff-import-invalid-csv", &[("message", message.clone().into())])
        }
        ("unsupported_media_type" | "invalid_body" | "too_large", _) => t(lang, "staff-import-too-large"),
        _ => error_text(e, lang),
    }
}

#[component]
fn Counts(report: ImportReport, lang: Lang) -> Element {
    rsx! {
        dl { id: "import-counts", class: "who counts",
            dt { {t(lang, "staff-import-new")} }
            dd { id: "count-new", "{report.new}" }
            dt { {t(lang, "staff-import-changed")} }
            dd { id: "count-changed", "{report.changed}" }
            dt { {t(lang, "staff-import-unchanged")} }
            dd { id: "count-unchanged", "{report.unchanged}" }
        }
    }
}

#[component]
fn BadRows(report: ImportReport, lang: Lang) -> Element {
    rsx! {
        p { id: "import-bad", class: "field-error", role: "alert",
            {t_args(lang, "staff-import-bad", &[("n", report.bad.into())])}
        }
        TableScroll { label: t(lang, "staff-import-bad-caption"),
            table { id: "bad-rows", class: "bad-rows",
                caption { {t(lang, "staff-import-bad-caption")} }
                thead {
                    tr {
                        th { scope: "col", {t(lang, "staff-import-line")} }
                        th { scope: "col", {t(lang, "staff-import-column")} }
                        th { scope: "col", {t(lang, "staff-import-reason")} }
                    }
                }
                tbody {
                    for (i, b) in report.bad_rows.iter().enumerate() {
                        tr { key: "{i}",
                            td { id: "bad-line-{i}", "{b.line}" }
                            td { id: "bad-column-{i}",
                                if b.column.is_empty() { {t(lang, "staff-import-whole-row")} } else { "{b.column}" }
                            }
                            td { id: "bad-reason-{i}", "{b.reason}" }
                        }
                    }
                }
            }
        }
    }
}

#[component]
pub fn StaffImport() -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let mut text = use_signal(String::new);
    let mut file_name = use_signal(|| None::<String>);
    let mut text_error = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);
    // The text checked and the server's answer to it; a new text needs a new check.
    let mut checked = use_signal(|| None::<(String, ImportAnswer)>);
    let mut done = use_signal(|| None::<ImportReport>);
    let mut busy = use_signal(|| false);

    let mut new_text = move |value: String| {
        text.set(value);
        checked.set(None);
        done.set(None);
        error.set(None);
        text_error.set(None);
    };

    let choose_file = move |e: FormEvent| {
        let Some(file) = e.files().into_iter().next() else { return };
        spawn(async move {
            match file.read_string().await {
                Ok(content) => {
                    new_text(content);
                    file_name.set(Some(file.name()));
                }
                Err(_) => error.set(Some(t(app.lang(), "staff-import-unreadable"))),
            }
        });
    };

    // Sends the text: `dry_run` checks it; otherwise the text that was checked is imported.
    let send = use_callback(move |dry_run: bool| {
        if *busy.peek() {
            return;
        }
        let lang = app.lang();
        let Some(session) = ctx.session.peek().clone() else { return };
        let csv = if dry_run {
            text.peek().clone()
        } else {
            match &*checked.peek() {
                Some((csv, ImportAnswer::Read(_))) => csv.clone(),
                _ => return,
            }
        };
        if csv.trim().is_empty() {
            text_error.set(Some(t(lang, "staff-import-empty")));
            return;
        }
        busy.set(true);
        error.set(None);
        done.set(None);
        spawn(async move {
            let result = session.api().import_cards(&csv, dry_run).await;
            busy.set(false);
            match result {
                Ok(ImportAnswer::Read(report)) if !dry_run => {
                    checked.set(None);
                    done.set(Some(report));
                }
                Ok(answer) => checked.set(Some((csv, answer))),
                Err(e) => {
                    checked.set(None);
                    if !ctx.check_signed_out(app, &e).await {
                        error.set(Some(refusal_text(&e, lang)));
                    }
                }
            }
        });
    });

    let answer = checked.read().as_ref().map(|(_, a)| a.clone());
    let imported = done.read().clone();
    rsx! {
        section { class: "staff-import",
            h1 { {t(lang, "staff-import")} }
            p { class: "hint", {t(lang, "staff-import-intro")} }
            form {
                id: "import-form",
                novalidate: true,
                onsubmit: move |e: FormEvent| {
                    e.prevent_default();
                    send.call(true);
                },
                div { class: "field",
                    label { r#for: "import-file", {t(lang, "staff-import-file")} }
                    input {
                        id: "import-file",
                        name: "file",
                        r#type: "file",
                        accept: ".csv,text/csv",
                        aria_describedby: "import-file-hint",
                        onchange: choose_file,
                    }
                    p { id: "import-file-hint", class: "hint",
                        match file_name() {
                            Some(name) => t_args(lang, "staff-import-file-read", &[("name", name.into())]),
                            None => t(lang, "staff-import-file-hint"),
                        }
                    }
                }
                div { class: if text_error.read().is_some() { "field field-bad" } else { "field" },
                    label { r#for: "import-text", {t(lang, "staff-import-text")} }
                    textarea {
                        id: "import-text",
                        name: "text",
                        rows: "8",
                        spellcheck: "false",
                        class: "csv-text",
                        aria_invalid: if text_error.read().is_some() { "true" } else { "false" },
                        aria_describedby: "import-text-error",
                        value: "{text}",
                        oninput: move |e| new_text(e.value()),
                    }
                    FieldError { id: "import-text-error", error: text_error() }
                }
                FormError { error: error() }
                button { id: "import-check", r#type: "submit", class: "primary", disabled: busy(), {t(lang, "staff-import-check")} }
            }
            match answer {
                Some(ImportAnswer::BadRows(report)) => rsx! {
                    div { id: "import-checked", class: "import-result",
                        h2 { {t(lang, "staff-import-checked")} }
                        Counts { report: report.clone(), lang }
                        BadRows { report, lang }
                        p { class: "hint", {t(lang, "staff-import-fix")} }
                    }
                },
                Some(ImportAnswer::Read(report)) => rsx! {
                    div { id: "import-checked", class: "import-result",
                        h2 { {t(lang, "staff-import-checked")} }
                        Counts { report: report.clone(), lang }
                        if report.to_import() == 0 {
                            p { id: "import-nothing", role: "status", {t(lang, "staff-import-nothing")} }
                        } else {
                            button { id: "import-run", r#type: "button", class: "primary", disabled: busy(), onclick: move |_| send.call(false),
                                {t_args(lang, "staff-import-run", &[("n", report.to_import().into())])}
                            }
                        }
                    }
                },
                None => rsx! {},
            }
            if let Some(report) = imported {
                div { id: "import-done", class: "activation", role: "status",
                    h2 { {t(lang, "staff-import-done")} }
                    Counts { report: report.clone(), lang }
                    if !report.changes.is_empty() {
                        ul { id: "import-changes", class: "card-list",
                            for c in report.changes.iter() {
                                li { key: "{c.card}", "{c.card}: {c.changes.join(\"; \")}" }
                            }
                        }
                    }
                }
            }
        }
    }
}
