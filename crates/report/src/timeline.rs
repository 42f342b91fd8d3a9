//! A device's timeline as SVG geometry: one lane per rule, one mark per alert at the time of its
//! matched event, over the hunt's time range (or the alerts' own span for runs saved without one).
//! The template draws it; only numbers and escaped text reach the SVG.

use kql_types::time::{format_datetime, parse_datetime};
use serde::Serialize;
use torhunt_rules::alert::Alert;
use torhunt_rules::summary::TimeRange;

use crate::view::AlertView;

/// Width of the drawing and of the lane labels on its left, in SVG user units.
const WIDTH: f64 = 960.0;
const LABEL_WIDTH: f64 = 240.0;
const RIGHT_MARGIN: f64 = 20.0;
const LANE_HEIGHT: f64 = 24.0;
const TOP: f64 = 8.0;
/// Room under the lanes for the time axis.
const AXIS_HEIGHT: f64 = 28.0;
const TICKS: usize = 5;
/// Lane labels are cut to this many characters (the full name is the mark's tooltip).
const LABEL_CHARS: usize = 34;

#[derive(Debug, Serialize)]
pub struct Timeline {
    pub width: f64,
    pub height: f64,
    pub plot_left: f64,
    pub plot_right: f64,
    pub axis_y: f64,
    pub lanes: Vec<Lane>,
    pub marks: Vec<Mark>,
    pub ticks: Vec<Tick>,
    /// Alerts without a time (their rule projects none): listed, not drawn.
    pub untimed: usize,
}

#[derive(Debug, Serialize)]
pub struct Lane {
    pub label: String,
    pub y: f64,
    pub label_y: f64,
}

#[derive(Debug, Serialize)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub severity_class: &'static str,
    pub anchor: String,
    pub tooltip: String,
}

#[derive(Debug, Serialize)]
pub struct Tick {
    pub x: f64,
    pub label: String,
}

/// The timeline of one device's alerts over `range`.
pub fn timeline(alerts: &[(&Alert, &AlertView)], range: Option<&TimeRange>) -> Timeline {
    let timed: Vec<(i64, &Alert, &AlertView)> = alerts
        .iter()
        .filter_map(|(alert, view)| Some((parse_datetime(alert.time.as_deref()?)?, *alert, *view)))
        .collect();
    let (start, end) = span(&timed, range);
    let mut lanes: Vec<(String, String)> = Vec::new();
    for (_, alert, _) in &timed {
        if !lanes.iter().any(|(id, _)| *id == alert.rule_id) {
            lanes.push((alert.rule_id.clone(), alert.rule_name.clone()));
        }
    }
    let plot_right = WIDTH - RIGHT_MARGIN;
    let x_of = |nanos: i64| {
        let fraction = (nanos.saturating_sub(start)) as f64 / (end - start).max(1) as f64;
        round(LABEL_WIDTH + fraction.clamp(0.0, 1.0) * (plot_right - LABEL_WIDTH))
    };
    let lane_y = |index: usize| TOP + LANE_HEIGHT * index as f64 + LANE_HEIGHT / 2.0;
    let marks = timed
        .iter()
        .map(|(nanos, alert, view)| {
            let lane = lanes.iter().position(|(id, _)| *id == alert.rule_id).unwrap_or(0);
            Mark {
                x: x_of(*nanos),
                y: lane_y(lane),
                severity_class: view.severity_class,
                anchor: view.anchor.clone(),
                tooltip: format!(
                    "{} · {} · {}",
                    alert.time.as_deref().unwrap_or_default(),
                    alert.rule_name,
                    alert.title
                ),
            }
        })
        .collect();
    let axis_y = TOP + LANE_HEIGHT * lanes.len().max(1) as f64;
    Timeline {
        width: WIDTH,
        height: axis_y + AXIS_HEIGHT,
        plot_left: LABEL_WIDTH,
        plot_right,
        axis_y,
        lanes: lanes
            .into_iter()
            .enumerate()
            .map(|(index, (_, name))| Lane {
                label: shorten(&name),
                y: lane_y(index),
                label_y: lane_y(index) + 4.0,
            })
            .collect(),
        marks,
        ticks: (0..TICKS)
            .map(|i| {
                let nanos = start + ((end - start) as f64 * i as f64 / (TICKS - 1) as f64) as i64;
                Tick {
                    x: x_of(nanos),
                    label: tick_label(nanos),
                }
            })
            .collect(),
        untimed: alerts.len() - timed.len(),
    }
}

/// The hunt's range when known and valid, else the alerts' own span, widened by an hour each side so
/// a single alert is not drawn on the edge.
fn span(timed: &[(i64, &Alert, &AlertView)], range: Option<&TimeRange>) -> (i64, i64) {
    const HOUR: i64 = 3_600_000_000_000;
    let given = range.and_then(|r| Some((parse_datetime(&r.start)?, parse_datetime(&r.end)?)));
    if let Some((start, end)) = given.filter(|(start, end)| start < end) {
        return (start, end);
    }
    let first = timed.iter().map(|t| t.0).min().unwrap_or(0);
    let last = timed.iter().map(|t| t.0).max().unwrap_or(0);
    (first.saturating_sub(HOUR), last.saturating_add(HOUR))
}

/// `2024-05-01 13:00` (UTC, to the minute).
fn tick_label(nanos: i64) -> String {
    let text = format_datetime(nanos).replacen('T', " ", 1);
    text.chars().take(16).collect()
}

fn shorten(name: &str) -> String {
    if name.chars().count() <= LABEL_CHARS {
        return name.to_string();
    }
    let mut short: String = name.chars().take(LABEL_CHARS - 1).collect();
    short.push('…');
    short
}

fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}
