//! The reading of one digit-group sequence under the convention in force:
//! integer, decimal or open between the two; day–month pairs; years.

use super::{Context, Convention};

/// The reading of one digit group sequence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Core {
    /// A value; `int` when it has no decimals; `alt` when ambiguous.
    Value { v: f64, int: bool, alt: Option<f64> },
    /// `d.m.yyyy`.
    Date { d: u8, m: u8, y: i32 },
    /// Not a quantity.
    Ident,
}

/// The value of a run of ASCII digits; anything else in it (a token that
/// is not a pure digit run) is skipped rather than trusted.
pub(super) fn digits_value(g: &str) -> f64 {
    g.bytes()
        .filter(u8::is_ascii_digit)
        .fold(0.0, |a, b| a * 10.0 + f64::from(b - b'0'))
}

pub(super) fn decimal_value(int: &str, frac: &str) -> f64 {
    // Parse through text to avoid float error accumulation.
    format!("{int}.{frac}")
        .parse()
        .unwrap_or_else(|_| digits_value(int))
}

/// The grouping separator in force, or None when both are open.
pub(super) fn grouping_sep(ctx: &Context) -> Option<char> {
    match ctx.convention {
        Convention::CommaDecimal => Some('.'),
        Convention::DotDecimal => Some(','),
        Convention::Unknown => ctx.language.map(|_| '.'),
    }
}

pub(super) fn read_core(raw: &str, ctx: &Context) -> Core {
    let mut groups: Vec<&str> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut last = 0;
    for (i, c) in raw.char_indices() {
        if c == '.' || c == ',' {
            groups.push(&raw[last..i]);
            seps.push(c);
            last = i + 1;
        }
    }
    groups.push(&raw[last..]);
    let lead_zero = |g: &str| g.len() > 1 && g.starts_with('0');
    if lead_zero(groups[0]) {
        return Core::Ident;
    }
    let g0 = groups[0];
    let thousands_ok =
        |gs: &[&str]| !gs.is_empty() && gs[0].len() <= 3 && gs[1..].iter().all(|g| g.len() == 3);
    let join = |gs: &[&str]| gs.iter().fold(0.0, |a, g| a * 1000.0 + digits_value(g));
    match seps.as_slice() {
        [] => Core::Value {
            v: digits_value(g0),
            int: true,
            alt: None,
        },
        [sep] => {
            let frac = groups[1];
            if frac.len() == 3 && g0.len() <= 3 && g0 != "0" {
                let thousand = join(&groups);
                let dec = decimal_value(g0, frac);
                if grouping_sep(ctx) == Some(*sep) {
                    Core::Value {
                        v: thousand,
                        int: true,
                        alt: None,
                    }
                } else {
                    Core::Value {
                        v: thousand,
                        int: true,
                        alt: Some(dec),
                    }
                }
            } else {
                Core::Value {
                    v: decimal_value(g0, frac),
                    int: false,
                    alt: None,
                }
            }
        }
        _ => {
            let all_same = seps.iter().all(|s| *s == seps[0]);
            if all_same {
                if thousands_ok(&groups) {
                    return Core::Value {
                        v: join(&groups),
                        int: true,
                        alt: None,
                    };
                }
                // d.m.yyyy
                if seps.len() == 2 && seps[0] == '.' {
                    let (d, m, y) = (
                        digits_value(groups[0]),
                        digits_value(groups[1]),
                        digits_value(groups[2]),
                    );
                    if groups[0].len() <= 2
                        && groups[1].len() <= 2
                        && groups[2].len() == 4
                        && (1.0..=31.0).contains(&d)
                        && (1.0..=12.0).contains(&m)
                    {
                        return Core::Date {
                            d: d as u8,
                            m: m as u8,
                            y: y as i32,
                        };
                    }
                }
                return Core::Ident;
            }
            // Mixed: the last separator is the decimal mark, all others the
            // same grouping mark with three-digit groups.
            let dec = seps[seps.len() - 1];
            let grp = &seps[..seps.len() - 1];
            let int_groups = &groups[..groups.len() - 1];
            if grp.iter().all(|s| *s != dec && *s == grp[0]) && thousands_ok(int_groups) {
                let int = join(int_groups);
                let frac = groups[groups.len() - 1];
                let v = int + decimal_value("0", frac);
                Core::Value {
                    v,
                    int: false,
                    alt: None,
                }
            } else {
                Core::Ident
            }
        }
    }
}

/// `d.m` with a valid day and month, one or two digits each.
pub(super) fn day_month(raw: &str) -> Option<(u8, u8)> {
    let (d, m) = raw.split_once('.')?;
    let ok = |g: &str| (1..=2).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit());
    if !ok(d) || !ok(m) {
        return None;
    }
    let (d, m) = (d.parse::<u8>().ok()?, m.parse::<u8>().ok()?);
    ((1..=31).contains(&d) && (1..=12).contains(&m)).then_some((d, m))
}

pub(super) fn is_year(v: f64) -> bool {
    (1900.0..=2100.0).contains(&v) && v.fract() == 0.0
}
