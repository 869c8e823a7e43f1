//! The dashboard's charts, drawn by `plotters` into SVG text: uses per month as columns, and
//! rankings (uses per venue, cards per distributor) as horizontal bars, most first. Each chart
//! is one image to assistive technology (`role="img"` with a summary as its label); its
//! numbers are in the table under it.

use dioxus::prelude::*;
use plotters::prelude::*;

use super::dashboard_tables::number;
use crate::i18n::Lang;

/// The console's accent colour (`--accent` in kaiku.css).
const BAR: RGBColor = RGBColor(0x00, 0x33, 0x7f);
const WIDTH: u32 = 640;

/// Where a label goes only at whole positions (a bar's middle), not between bars.
fn at_bar(x: f64) -> Option<usize> {
    ((x - x.round()).abs() < 0.01 && x >= -0.01).then(|| x.round() as usize)
}

/// A name short enough for the chart's label column; the table has it in full.
fn short(name: &str) -> String {
    if name.chars().count() <= 26 {
        name.to_owned()
    } else {
        format!("{}…", name.chars().take(25).collect::<String>())
    }
}

/// Columns of `values` with `labels` under them.
pub fn column_chart(labels: &[String], values: &[u64], lang: Lang) -> String {
    let mut svg = String::new();
    let n = values.len().max(1);
    let top = values.iter().copied().max().unwrap_or(0).max(1);
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 300)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(72)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0u64..(top + top / 10 + 1))?;
        let label = |x: &f64| at_bar(*x).and_then(|i| labels.get(i)).cloned().unwrap_or_default();
        let value = |v: &u64| number(lang, *v);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.min(13))
            .x_label_formatter(&label)
            .y_labels(6)
            .y_label_formatter(&value)
            .label_style(("sans-serif", 15))
            .draw()?;
        chart.draw_series(
            values
                .iter()
                .enumerate()
                .map(|(i, v)| Rectangle::new([(i as f64 - 0.38, 0), (i as f64 + 0.38, *v)], BAR.filled())),
        )?;
        root.present()?;
        Ok(())
    })();
    if drawn.is_err() { String::new() } else { svg }
}

/// Horizontal bars, one per row, the first at the top.
pub fn bar_chart(rows: &[(String, u64)], lang: Lang) -> String {
    let mut svg = String::new();
    let n = rows.len().max(1);
    let top = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = 60 + 34 * n as u32;
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(210)
            .build_cartesian_2d(0u64..(top + top / 10 + 1), -0.5f64..(n as f64 - 0.5))?;
        // Row i is drawn at n-1-i, so that the biggest, first, is at the top.
        let label =
            |y: &f64| at_bar(*y).and_then(|i| rows.get(n - 1 - i.min(n - 1))).map(|r| short(&r.0)).unwrap_or_default();
        let value = |v: &u64| number(lang, *v);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&label)
            .x_labels(5)
            .x_label_formatter(&value)
            .label_style(("sans-serif", 15))
            .draw()?;
        chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
            let y = (n - 1 - i) as f64;
            Rectangle::new([(0, y - 0.35), (r.1, y + 0.35)], BAR.filled())
        }))?;
        root.present()?;
        Ok(())
    })();
    if drawn.is_err() { String::new() } else { svg }
}

/// A chart as one image with its summary as the label.
#[component]
pub fn Chart(id: String, svg: String, summary: String) -> Element {
    rsx! {
        div { id: "{id}", class: "chart", role: "img", aria_label: "{summary}", dangerous_inner_html: "{svg}" }
    }
}
