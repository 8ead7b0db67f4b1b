//! Charts as SVG, drawn once for the pages (inline, with a text alternative beside them) and
//! for the PDF report (embedded as an image). Colours are attributes, not CSS, so both render
//! them the same; every label is escaped.

use std::fmt::Write;

const BAR: &str = "#1d5b86";
const TARGET: &str = "#a33c00";
const INK: &str = "#1b1b1b";
const GRID: &str = "#c9c9c9";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A bar per period with the target of that period as a dashed mark across it.
pub struct Trend<'a> {
    pub title: &'a str,
    /// (label, value, target) per period, oldest first.
    pub points: Vec<(String, Option<f64>, Option<f64>)>,
    /// How a value is written on its bar.
    pub format: &'a dyn Fn(f64) -> String,
    /// Words for the legend: (value, target).
    pub legend: (&'a str, &'a str),
}

impl Trend<'_> {
    pub fn svg(&self) -> String {
        let (w, h) = (560.0, 240.0);
        let (left, right, top, bottom) = (16.0, 16.0, 36.0, 40.0);
        let max = self
            .points
            .iter()
            .flat_map(|(_, v, t)| [*v, *t])
            .flatten()
            .fold(0.0_f64, f64::max);
        let max = if max <= 0.0 { 1.0 } else { max * 1.15 };
        let plot_h = h - top - bottom;
        let n = self.points.len().max(1) as f64;
        let slot = (w - left - right) / n;
        let bar_w = (slot * 0.5).min(60.0);
        let y = |v: f64| top + plot_h - (v / max) * plot_h;
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}" font-family="sans-serif" font-size="13">"#,
            esc(self.title)
        );
        let _ = write!(s, "<title>{}</title>", esc(self.title));
        // Legend.
        let _ = write!(
            s,
            r#"<rect x="{left}" y="8" width="14" height="14" fill="{BAR}"/><text x="{}" y="20" fill="{INK}">{}</text>"#,
            left + 20.0,
            esc(self.legend.0)
        );
        let _ = write!(
            s,
            r#"<line x1="{}" y1="15" x2="{}" y2="15" stroke="{TARGET}" stroke-width="3" stroke-dasharray="6 3"/><text x="{}" y="20" fill="{INK}">{}</text>"#,
            left + 150.0,
            left + 176.0,
            left + 182.0,
            esc(self.legend.1)
        );
        let _ = write!(
            s,
            r#"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="{GRID}"/>"#,
            top + plot_h,
            w - right,
            top + plot_h
        );
        for (k, (label, value, target)) in self.points.iter().enumerate() {
            let cx = left + slot * (k as f64 + 0.5);
            if let Some(v) = value {
                let top_y = y(*v);
                // A zero draws no bar (an empty rectangle is invalid SVG), only its label.
                if top + plot_h - top_y > 0.05 {
                    let _ = write!(
                        s,
                        r#"<rect x="{:.1}" y="{top_y:.1}" width="{bar_w:.1}" height="{:.1}" fill="{BAR}"/>"#,
                        cx - bar_w / 2.0,
                        (top + plot_h - top_y).max(0.0)
                    );
                }
                let _ = write!(
                    s,
                    r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="{INK}">{}</text>"#,
                    top_y - 6.0,
                    esc(&(self.format)(*v))
                );
            } else {
                let _ = write!(
                    s,
                    r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="{INK}">–</text>"#,
                    top + plot_h - 6.0
                );
            }
            if let Some(t) = target {
                let ty = y(*t);
                let _ = write!(
                    s,
                    r#"<line x1="{:.1}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}" stroke="{TARGET}" stroke-width="3" stroke-dasharray="6 3"/>"#,
                    cx - bar_w / 2.0 - 8.0,
                    cx + bar_w / 2.0 + 8.0
                );
            }
            let _ = write!(
                s,
                r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="{INK}">{}</text>"#,
                h - bottom + 20.0,
                esc(label)
            );
        }
        s.push_str("</svg>");
        s
    }
}

/// Horizontal bars on a fixed scale, e.g. self-scan scores per aspect (1–4).
pub struct Bars<'a> {
    pub title: &'a str,
    /// (label, value); the bars run from 0 to `max`.
    pub rows: Vec<(String, f64)>,
    pub max: f64,
    pub format: &'a dyn Fn(f64) -> String,
}

impl Bars<'_> {
    pub fn svg(&self) -> String {
        let (w, label_w, row_h) = (560.0, 230.0, 30.0);
        let h = 16.0 + row_h * self.rows.len() as f64;
        let bar_max = w - label_w - 60.0;
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}" font-family="sans-serif" font-size="13">"#,
            esc(self.title)
        );
        let _ = write!(s, "<title>{}</title>", esc(self.title));
        for (k, (label, value)) in self.rows.iter().enumerate() {
            let y = 8.0 + row_h * k as f64;
            let len = (value / self.max.max(f64::EPSILON)).clamp(0.0, 1.0) * bar_max;
            let _ = write!(
                s,
                r#"<text x="0" y="{:.1}" fill="{INK}">{}</text>"#,
                y + 15.0,
                esc(label)
            );
            if len > 0.05 {
                let _ = write!(
                    s,
                    r#"<rect x="{label_w}" y="{y:.1}" width="{len:.1}" height="20" fill="{BAR}"/>"#
                );
            }
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}" fill="{INK}">{}</text>"#,
                label_w + len + 6.0,
                y + 15.0,
                esc(&(self.format)(*value))
            );
        }
        s.push_str("</svg>");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trend_draws_a_bar_per_value_and_escapes_labels() {
        let f = |v: f64| format!("{:.0}%", v * 100.0);
        let svg = Trend {
            title: "Intake <op tijd>",
            points: vec![
                ("2025".into(), Some(0.8), Some(0.9)),
                ("2026".into(), None, Some(0.9)),
            ],
            format: &f,
            legend: ("Waarde", "Doel"),
        }
        .svg();
        assert!(svg.contains("Intake &lt;op tijd&gt;"));
        assert_eq!(svg.matches("<rect").count(), 2, "legend + one bar");
        assert!(svg.contains(">80%<"));
        assert_eq!(svg.matches("stroke-dasharray").count(), 3);
    }

    #[test]
    fn bars_are_scaled_to_the_maximum() {
        let f = |v: f64| format!("{v:.1}");
        let svg = Bars {
            title: "Zelfscan",
            rows: vec![("Visie".into(), 2.0), ("Kwaliteit".into(), 4.0)],
            max: 4.0,
            format: &f,
        }
        .svg();
        assert!(svg.contains(r#"width="135.0""#), "{svg}");
        assert!(svg.contains(r#"width="270.0""#), "{svg}");
    }
}
