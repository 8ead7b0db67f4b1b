//! The annual LOB report of an institution or programme: the adopted vision, the indicators
//! with targets, trends and charts, the programme teams' self-scans, and the actions with their
//! status. One set of data serves the web page (with a print stylesheet), the PDF (typeset by
//! Typst inside Koers, fonts embedded) and the CSV of all indicator values.

use crate::auth::Authenticated;
use crate::charts::Bars;
use crate::error::{WebError, WebResult};
use crate::i18n::Tr;
use crate::indicators::{self, Board, View, year_label};
use crate::state::AppState;
use crate::views::csv::Csv;
use koers_domain::vision::indicator::{Indicator, Period};
use koers_domain::vision::selfscan::{self, Aspect};
use koers_store::improvement::Action as ImprovementAction;
use koers_store::platform::programmes::Programme;
use koers_store::selfscans::SelfScan;
use koers_store::vision::Version;
use std::sync::OnceLock;

pub struct Report {
    pub year: i16,
    pub institution: String,
    pub view: View,
    pub vision: Option<Version>,
    pub board: Board,
    /// A trend chart (SVG) for each indicator with a value in any year.
    pub charts: Vec<(Indicator, String)>,
    pub scans: Vec<(Programme, Option<SelfScan>)>,
    /// The self-scan means per aspect as a chart, per programme with a scan.
    pub scan_charts: Vec<(String, String)>,
    pub actions: Vec<ImprovementAction>,
    pub nl: bool,
}

impl Report {
    pub fn title(&self, tr: &Tr) -> String {
        let scope = match &self.view.programme {
            Some(p) => format!("{} – {}", p.code, p.name),
            None => self.institution.clone(),
        };
        format!(
            "{} {} · {scope}",
            tr.t("report-title"),
            year_label(self.year)
        )
    }

    pub fn value_of(&self, row: &indicators::Row) -> String {
        self.fmt(row.indicator, row.value)
    }

    pub fn target_of(&self, row: &indicators::Row) -> String {
        self.fmt(row.indicator, row.target)
    }

    pub fn fmt(&self, i: Indicator, v: Option<f64>) -> String {
        v.map_or_else(|| "–".to_owned(), |v| i.format(v, self.nl))
    }

    pub fn mean(&self, s: &SelfScan, a: &Aspect) -> String {
        crate::views::quality::aspect_mean(s, *a, self.nl)
    }

    /// The vision's sections as plain paragraphs (for the PDF): (heading, text).
    pub fn vision_text(&self, tr: &Tr) -> Vec<(String, String)> {
        let Some(v) = &self.vision else {
            return Vec::new();
        };
        v.document
            .sections()
            .into_iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(key, text)| {
                (
                    tr.tk("vision-section", &key),
                    koers_domain::rich_text::plain(&text),
                )
            })
            .collect()
    }
}

pub async fn build(
    state: &AppState,
    a: &Authenticated,
    view: View,
    year: i16,
) -> WebResult<Report> {
    let t = a.tenant(state);
    let nl = a.tr.lang() == "nl";
    let mut vision = None;
    if let Some(p) = &view.programme {
        vision = koers_store::vision::adopted(t, Some(&p.id)).await?;
    }
    if vision.is_none() {
        vision = koers_store::vision::adopted(t, None).await?;
    }
    let board = indicators::board(state, a, &view, year).await?;
    let charts = board
        .rows
        .iter()
        .filter(|r| r.trend.iter().any(|(_, v, _)| v.is_some()))
        .map(|r| (r.indicator, indicators::trend_chart(&a.tr, r)))
        .collect();
    let programmes = indicators::programmes_in(state, a, &view).await?;
    let mut all_scans = koers_store::selfscans::of_year(t, year).await?;
    let scans: Vec<(Programme, Option<SelfScan>)> = programmes
        .into_iter()
        .map(|p| {
            let s = all_scans
                .iter()
                .position(|s| s.programme_id == p.id)
                .map(|k| all_scans.remove(k));
            (p, s)
        })
        .collect();
    let format = |v: f64| indicators::one_decimal(v, nl);
    let scan_charts = scans
        .iter()
        .filter_map(|(p, s)| s.as_ref().map(|s| (p, s)))
        .map(|(p, s)| {
            let title = format!("{} {}", a.tr.t("selfscan-title"), p.code);
            let svg = Bars {
                title: &title,
                rows: selfscan::aspect_means(&s.answers)
                    .iter()
                    .map(|(k, m)| (a.tr.tk("selfscan-aspect", k.key()), *m))
                    .collect(),
                max: f64::from(selfscan::MAX_SCORE),
                format: &format,
            }
            .svg();
            (p.code.clone(), svg)
        })
        .collect();
    let mut actions =
        crate::views::indicators::indicator_actions(state, a, year, view.scope_id(), None).await?;
    let refs: Vec<&SelfScan> = scans.iter().filter_map(|(_, s)| s.as_ref()).collect();
    actions.extend(crate::views::quality::scan_actions(state, a, &refs).await?);
    Ok(Report {
        year,
        institution: koers_store::platform::institutions::get(t).await?.name,
        view,
        vision,
        board,
        charts,
        scans,
        scan_charts,
        actions,
        nl,
    })
}

/// Every stored indicator value in the view (all years, periods, programmes and cohorts), as
/// CSV for Dutch Excel. Programme-level readers get their programme's rows only.
pub async fn csv(state: &AppState, a: &Authenticated, view: &View) -> WebResult<Csv> {
    let t = a.tenant(state);
    let years = koers_store::indicators::years(t).await?;
    let values = koers_store::indicators::years_values(t, &years).await?;
    let programmes = koers_store::platform::programmes::all(t).await?;
    let code = |id: &str| {
        programmes
            .iter()
            .find(|p| p.id == id)
            .map_or_else(String::new, |p| p.code.clone())
    };
    let mut out = Csv::new();
    out.row([
        a.tr.t("indicator-year"),
        a.tr.t("indicator-period"),
        a.tr.t("indicator-name"),
        "key".to_owned(),
        a.tr.t("indicator-programme"),
        a.tr.t("indicator-cohort"),
        a.tr.t("indicator-value"),
        a.tr.t("csv-numerator"),
        a.tr.t("csv-denominator"),
        a.tr.t("indicator-target"),
        a.tr.t("indicator-status"),
    ]);
    let mut targets: std::collections::BTreeMap<i16, Vec<koers_store::indicators::Target>> =
        years.iter().map(|y| (*y, Vec::new())).collect();
    for (y, x) in koers_store::indicators::targets_of(t, &years).await? {
        targets.entry(y).or_default().push(x);
    }
    let decimal = |v: f64| {
        let s = format!("{v:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.').to_owned();
        if a.tr.lang() == "nl" {
            s.replace('.', ",")
        } else {
            s
        }
    };
    for (year, s) in values {
        let g = &s.grain;
        if !view.indicators.contains(&g.indicator) {
            continue;
        }
        if let Some(p) = &view.programme
            && g.programme != p.id
        {
            continue;
        }
        let value = koers_store::indicators::value_of(&s);
        let target = (s.period == Period::Year && g.cohort == 0)
            .then(|| {
                koers_store::indicators::target_for(&targets[&year], g.indicator, &g.programme)
                    .map(|x| x.target)
            })
            .flatten();
        let status = value
            .zip(target)
            .map(|(v, x)| a.tr.tk("indicator-status", g.indicator.status(v, x).key()));
        out.row([
            year_label(year),
            a.tr.tk("indicator-period", s.period.key()),
            a.tr.tk("indicator", g.indicator.key()),
            g.indicator.key().to_owned(),
            code(&g.programme),
            if g.cohort == 0 {
                String::new()
            } else {
                g.cohort.to_string()
            },
            value.map(decimal).unwrap_or_default(),
            decimal(s.fraction.numerator),
            decimal(s.fraction.denominator),
            target.map(decimal).unwrap_or_default(),
            status.unwrap_or_default(),
        ]);
    }
    Ok(out)
}

const TEMPLATE: &str = include_str!("../templates/annual_report.typ");

fn engine() -> &'static typst_as_lib::TypstEngine<typst_as_lib::TypstTemplateMainFile> {
    static ENGINE: OnceLock<typst_as_lib::TypstEngine<typst_as_lib::TypstTemplateMainFile>> =
        OnceLock::new();
    ENGINE.get_or_init(|| {
        typst_as_lib::TypstEngine::builder()
            .main_file(TEMPLATE)
            .search_fonts_with(
                typst_as_lib::typst_kit_options::TypstKitFontOptions::default()
                    .include_system_fonts(false),
            )
            .build()
    })
}

/// The report's data for the PDF template, as one JSON document.
fn pdf_data(r: &Report, tr: &Tr) -> serde_json::Value {
    use serde_json::json;
    let rows: Vec<_> = r
        .board
        .rows
        .iter()
        .map(|row| {
            json!({
                "name": tr.tk("indicator", row.indicator.key()),
                "theme": tr.tk("vision-section-theme", row.indicator.theme().key()),
                "value": r.fmt(row.indicator, row.value),
                "target": r.fmt(row.indicator, row.target),
                "status": row.status.map(|s| tr.tk("indicator-status", s.key())).unwrap_or_else(|| "–".into()),
                "status_key": row.status.map(|s| s.key()).unwrap_or(""),
                "previous": r.fmt(row.indicator, row.trend.iter().rev().nth(1).and_then(|(_, v, _)| *v)),
            })
        })
        .collect();
    let charts: Vec<_> = r
        .charts
        .iter()
        .map(|(i, svg)| json!({"name": tr.tk("indicator", i.key()), "svg": svg}))
        .collect();
    let scans: Vec<_> = r
        .scans
        .iter()
        .map(|(p, s)| {
            json!({
                "programme": format!("{} – {}", p.code, p.name),
                "status": s.as_ref().map(|s| tr.tk("selfscan-status", s.status.key())).unwrap_or_else(|| tr.t("selfscan-none")),
                "means": Aspect::ALL.iter().map(|a| json!({
                    "aspect": tr.tk("selfscan-aspect", a.key()),
                    "mean": s.as_ref().map(|s| r.mean(s, a)).unwrap_or_else(|| "–".into()),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let scan_charts: Vec<_> = r
        .scan_charts
        .iter()
        .map(|(code, svg)| json!({"programme": code, "svg": svg}))
        .collect();
    let actions: Vec<_> = r
        .actions
        .iter()
        .map(|x| {
            json!({
                "title": x.title,
                "owner": x.owner_name.clone().unwrap_or_default(),
                "due": x.due_on.as_deref().map(|d| tr.day_str(d)).unwrap_or_default(),
                "status": tr.tk("action-status", x.status.key()),
            })
        })
        .collect();
    let vision: Vec<_> = r
        .vision_text(tr)
        .into_iter()
        .map(|(h, t)| json!({"heading": h, "text": t}))
        .collect();
    json!({
        "lang": tr.lang(),
        "title": r.title(tr),
        "generated": tr.day(&koers_domain::time::today()),
        "labels": {
            "vision": tr.t("report-vision"),
            "no_vision": tr.t("vision-none"),
            "version": tr.t("vision-version"),
            "indicators": tr.t("report-indicators"),
            "indicator": tr.t("indicator-name"),
            "value": tr.t("indicator-value"),
            "target": tr.t("indicator-target"),
            "status": tr.t("indicator-status"),
            "previous": tr.t("indicator-previous"),
            "trends": tr.t("report-trends"),
            "scans": tr.t("selfscan-title"),
            "programme": tr.t("indicator-programme"),
            "actions": tr.t("quality-actions"),
            "action": tr.t("actions-action"),
            "owner": tr.t("actions-owner"),
            "due": tr.t("actions-due"),
            "no_actions": tr.t("quality-no-actions"),
            "generated": tr.t("report-generated"),
            "as_of": tr.t("indicators-as-of"),
            "page": tr.t("report-page"),
        },
        "as_of": r.board.refreshed.as_ref().map(|x| tr.day(&x.as_of)).unwrap_or_default(),
        "vision_version": r.vision.as_ref().map(|v| v.version),
        "vision": vision,
        "rows": rows,
        "charts": charts,
        "scans": scans,
        "scan_charts": scan_charts,
        "aspects": Aspect::ALL.iter().map(|a| tr.tk("selfscan-aspect", a.key())).collect::<Vec<_>>(),
        "actions": actions,
    })
}

/// Typeset the report as a PDF (in a blocking thread: Typst works synchronously).
pub async fn pdf(r: &Report, tr: &Tr) -> WebResult<Vec<u8>> {
    let data = pdf_data(r, tr).to_string();
    tokio::task::spawn_blocking(move || {
        let mut inputs = typst::foundations::Dict::new();
        inputs.insert("data".into(), typst::foundations::Value::Str(data.into()));
        let doc = engine()
            .compile_with_input(inputs)
            .output
            .map_err(|e| WebError::Internal(format!("report typesetting: {e:?}")))?;
        typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default())
            .map_err(|e| WebError::Internal(format!("report pdf: {e:?}")))
    })
    .await
    .map_err(|e| WebError::Internal(format!("report thread: {e}")))?
}

/// A file name for the report: `jaarverslag-lob-2026-LO-ECO.pdf`.
pub fn filename(r: &Report, ext: &str) -> String {
    let scope = r
        .view
        .programme
        .as_ref()
        .map_or_else(String::new, |p| format!("-{}", p.code));
    format!("jaarverslag-lob-{}{scope}.{ext}", r.year)
}

pub fn pdf_response(bytes: Vec<u8>, name: &str) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
