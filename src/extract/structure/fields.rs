//! One activity cell, raw and parsed: the institutions it names, the span
//! of years it states, the money amount it holds, every quantity in it.

use crate::extract::Ctx;
use crate::extract::record::{Field, Money, Period};
use crate::model::Provenance;
use crate::normalize::numbers::Kind;

/// Fields whose cells list institutions.
const INSTITUTION_FIELDS: &[&str] = &["lead", "support", "participants", "partners", "implementer"];
/// Fields whose cells state a time span.
const PERIOD_FIELDS: &[&str] = &["timeline", "deadline"];
/// Fields whose cells may hold an amount.
const MONEY_FIELDS: &[&str] = &["budget"];

// Years are recognised in `normalize::dates`, for every stage.
pub use crate::normalize::dates::years;

/// Builds the parsed field of one cell.
pub fn field(ctx: &Ctx, name: &str, raw: &str, provenance: Provenance) -> Field {
    let mut f = Field {
        raw: raw.to_string(),
        provenance,
        ..Field::default()
    };
    let t = raw.trim();
    if t.is_empty() {
        return f;
    }
    f.numbers = ctx.numbers_in(raw);
    if INSTITUTION_FIELDS.contains(&name) {
        f.institutions = t
            .split([',', ';', '\n'])
            .map(|s| crate::normalize::collapse_whitespace(s.trim()))
            .filter(|s| !s.is_empty())
            .collect();
    }
    if PERIOD_FIELDS.contains(&name) {
        let ys = years(t);
        if let (Some(a), Some(b)) = (ys.iter().min(), ys.iter().max()) {
            f.period = Some(Period {
                from: Some(*a),
                to: Some(*b),
            });
        }
    }
    if MONEY_FIELDS.contains(&name)
        && let Some(n) = ctx.cell_number(raw)
        && (n.kind == Kind::Money || n.currency.is_some())
    {
        f.money = Some(Money {
            value: n.value,
            currency: n.currency.clone(),
            scale: 1,
        });
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_spans() {
        assert_eq!(years("2024 / 2025"), vec![2024, 2025]);
        assert_eq!(years("2022-2027"), vec![2022, 2027]);
        assert_eq!(years("3 квартал 2027"), vec![2027]);
        assert!(years("12345").is_empty());
    }
}
