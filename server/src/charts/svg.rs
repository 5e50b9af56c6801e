//! Drawing charts as SVG text: a line chart with axes, legend, title and description, and a sparkline.
//! Lines are told apart by colour and by dash, so the chart reads without colour too.

use std::fmt::Write;

/// One line of a chart.
pub struct Series<'a> {
    pub name: &'a str,
    pub colour: &'a str,
    /// `stroke-dasharray`, empty for a solid line.
    pub dash: &'a str,
    pub values: Vec<u64>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 36.0;
const BOTTOM: f64 = 40.0;

/// A line chart of `series` (all of the same length) over `x_labels` (one per point).
pub fn line_chart(
    id: &str,
    title: &str,
    description: &str,
    series: &[Series<'_>],
    x_labels: &[String],
) -> String {
    let points = x_labels.len().max(1);
    let top = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0);
    let top = nice_ceiling(top);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |i: usize| {
        if points == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (points - 1) as f64
        }
    };
    let y = |v: u64| TOP + plot_h - plot_h * v as f64 / top as f64;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="chart" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(description)
    );
    // Grid and y axis: 0, half (when it is a whole number) and the top.
    let ticks: Vec<u64> = if top.is_multiple_of(2) {
        vec![0, top / 2, top]
    } else {
        vec![0, top]
    };
    for value in ticks {
        let at = y(value);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{at:.1}" y2="{at:.1}" stroke="#d6dae1" stroke-width="1"/><text x="{}" y="{:.1}" text-anchor="end" font-size="11" fill="#4b5563">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            at + 4.0,
            value
        );
    }
    // X labels: the first, the middle and the last point.
    let mut shown: Vec<usize> = vec![0, points / 2, points - 1];
    shown.dedup();
    for i in shown {
        if let Some(label) = x_labels.get(i) {
            let anchor = if i == 0 && points > 1 {
                "start"
            } else if i == points - 1 && points > 1 {
                "end"
            } else {
                "middle"
            };
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{}" text-anchor="{anchor}" font-size="11" fill="#4b5563">{}</text>"##,
                x(i),
                HEIGHT - BOTTOM + 18.0,
                escape(label)
            );
        }
    }
    // Legend.
    let mut legend_x = LEFT;
    for s in series {
        let _ = write!(
            out,
            r##"<line x1="{legend_x}" x2="{}" y1="14" y2="14" stroke="{}" stroke-width="3" stroke-dasharray="{}"/><text x="{}" y="18" font-size="12" fill="#1f2937">{}</text>"##,
            legend_x + 22.0,
            s.colour,
            s.dash,
            legend_x + 28.0,
            escape(s.name)
        );
        legend_x += 40.0 + 7.0 * s.name.len() as f64;
    }
    for s in series {
        polyline(&mut out, s, 2.0, |i, v| (x(i), y(v)));
        if s.values.len() <= 60 {
            for (i, v) in s.values.iter().enumerate() {
                let _ = write!(
                    out,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="{}"/>"#,
                    x(i),
                    y(*v),
                    s.colour
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

/// A small line chart without axes, for a table cell; `label` is its accessible name.
pub fn sparkline(label: &str, series: &[Series<'_>]) -> String {
    const W: f64 = 120.0;
    const H: f64 = 28.0;
    let top = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" class="sparkline" role="img" aria-label="{}">"#,
        escape(label)
    );
    for s in series {
        let n = s.values.len().max(2) - 1;
        polyline(&mut out, s, 1.5, |i, v| {
            (
                1.0 + (W - 2.0) * i as f64 / n as f64,
                H - 2.0 - (H - 4.0) * v as f64 / top as f64,
            )
        });
    }
    out.push_str("</svg>");
    out
}

/// Appends `series` as a polyline, each value placed at `at(index, value)`.
fn polyline(
    out: &mut String,
    series: &Series<'_>,
    width: f64,
    at: impl Fn(usize, u64) -> (f64, f64),
) {
    let points: Vec<String> = series
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let (x, y) = at(i, *v);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ = write!(
        out,
        r#"<polyline fill="none" stroke="{}" stroke-width="{width}" stroke-dasharray="{}" points="{}"/>"#,
        series.colour,
        series.dash,
        points.join(" ")
    );
}

/// The smallest of 1, 2, 5 × 10ⁿ at or above `n` (at least 1): round numbers on the axis.
fn nice_ceiling(n: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            let candidate = step.saturating_mul(m);
            if candidate >= n {
                return candidate.max(1);
            }
        }
        step = step.saturating_mul(10);
    }
}

/// Text for XML content and attributes.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_accessible_svg_with_a_line_per_series() {
        let svg = line_chart(
            "activity",
            "Users over time",
            "Per minute <UTC>",
            &[
                Series {
                    name: "Sent",
                    colour: "#2563eb",
                    dash: "",
                    values: vec![3, 7, 0],
                },
                Series {
                    name: "Failed",
                    colour: "#dc2626",
                    dash: "4 3",
                    values: vec![0, 1, 0],
                },
            ],
            &["10:00".into(), "10:01".into(), "10:02".into()],
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img" aria-labelledby="activity-title activity-desc""#));
        assert!(svg.contains("<desc id=\"activity-desc\">Per minute &lt;UTC&gt;</desc>"));
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(
            svg.contains(">10<"),
            "the axis tops out at a round 10: {svg}"
        );
        assert!(svg.contains("10:02"));
    }

    #[test]
    fn axis_tops_are_round() {
        assert_eq!(
            [0, 1, 3, 7, 10, 11, 99, 101, 4500].map(nice_ceiling),
            [1, 1, 5, 10, 10, 20, 100, 200, 5000]
        );
    }

    #[test]
    fn a_sparkline_has_its_accessible_name() {
        let svg = sparkline(
            "Delivered 5",
            &[Series {
                name: "Delivered",
                colour: "#16a34a",
                dash: "",
                values: vec![1, 5],
            }],
        );
        assert!(svg.contains(r#"aria-label="Delivered 5""#));
        assert!(svg.contains("points=\"1.0,"));
    }
}
