//! File pruning (data skipping): a file is skipped when its partition values or its statistics
//! (min/max/nullCount, PROTOCOL.md "Per-file Statistics") prove that no row can satisfy one of
//! the predicate's conjuncts. Pruning is conservative: missing, unparseable or possibly truncated
//! statistics keep the file; the engine still applies the whole predicate to the rows read.

use std::cmp::Ordering;

use serde_json::Value;

use super::predicate::{Conjunct, Literal, Op};
use crate::delta::schema::DataType;
use crate::delta::stats::Stats;
use crate::delta::type_widening::TYPE_CHANGES_KEY;

/// A comparable value of one column type.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum V {
    Num(f64),
    Str(String),
    Bool(bool),
    /// Days (dates) or microseconds (timestamps) since the epoch.
    Int(i64),
}

/// How a top-level column can be pruned on.
#[derive(Debug, Clone)]
pub struct PruneColumn {
    pub logical: String,
    pub physical: String,
    pub data_type: DataType,
    pub partition: bool,
    /// Type changes recorded (`delta.typeChanges`): statistics of older files use the old type.
    pub widened: bool,
}

impl PruneColumn {
    pub fn new(field: &crate::delta::schema::StructField, physical: &str, partition: bool) -> Self {
        PruneColumn {
            logical: field.name.clone(),
            physical: physical.to_string(),
            data_type: field.data_type.clone(),
            partition,
            widened: field.metadata.contains_key(TYPE_CHANGES_KEY),
        }
    }
}

fn digits(text: &str) -> Option<i64> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok())?
}

/// Days since 1970-01-01 of `YYYY-MM-DD` (proleptic Gregorian).
fn days(text: &str) -> Option<i64> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (
        digits(parts.next()?)?,
        digits(parts.next()?)?,
        digits(parts.next()?)?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Microseconds since the epoch of `YYYY-MM-DD[ T]HH:MM:SS[.f][Z|±HH[:MM]]` (UTC without offset).
fn micros(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.len() == 10 {
        return days(text).map(|d| d * 86_400_000_000);
    }
    let (date, time) = (text.get(..10)?, text.get(11..)?);
    let mut total = days(date)? * 86_400_000_000;
    let (time, offset_secs) = if let Some(t) = time.strip_suffix(['Z', 'z']) {
        (t, 0)
    } else if let Some(at) = time.rfind(['+', '-']) {
        let (t, zone) = time.split_at(at);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let zone: String = zone[1..].chars().filter(|c| *c != ':').collect();
        let (h, m) = (
            digits(zone.get(..2)?)?,
            zone.get(2..)
                .map_or(Some(0), |m| if m.is_empty() { Some(0) } else { digits(m) })?,
        );
        (t, sign * (h * 3600 + m * 60))
    } else {
        (time, 0)
    };
    let (hms, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut hms = hms.split(':');
    let (h, m, s) = (
        digits(hms.next()?)?,
        digits(hms.next()?)?,
        digits(hms.next()?)?,
    );
    let mut frac = 0i64;
    if !fraction.is_empty() {
        let f: String = fraction
            .chars()
            .chain(std::iter::repeat('0'))
            .take(6)
            .collect();
        frac = digits(&f)?;
    }
    total += (h * 3600 + m * 60 + s - offset_secs) * 1_000_000 + frac;
    Some(total)
}

fn numeric(data_type: &DataType) -> bool {
    match data_type {
        DataType::Primitive(n) => matches!(
            *n,
            "long" | "integer" | "short" | "byte" | "float" | "double"
        ),
        DataType::Decimal { precision, .. } => *precision <= 15,
        _ => false,
    }
}

fn is_float(data_type: &DataType) -> bool {
    matches!(data_type, DataType::Primitive("float" | "double"))
}

/// A statistic or partition value (JSON) as a comparable value of `data_type`.
fn from_json(value: &Value, data_type: &DataType) -> Option<V> {
    match value {
        Value::Number(n) if numeric(data_type) => n.as_f64().map(V::Num),
        Value::String(s) => from_text(s, data_type),
        Value::Bool(b) if *data_type == DataType::Primitive("boolean") => Some(V::Bool(*b)),
        _ => None,
    }
}

/// A partition value or string literal as a comparable value of `data_type`.
fn from_text(text: &str, data_type: &DataType) -> Option<V> {
    match data_type {
        _ if numeric(data_type) => text.trim().parse().ok().map(V::Num),
        DataType::Primitive("string") => Some(V::Str(text.to_string())),
        DataType::Primitive("boolean") => match text {
            "true" => Some(V::Bool(true)),
            "false" => Some(V::Bool(false)),
            _ => None,
        },
        DataType::Primitive("date") => days(text.trim()).map(V::Int),
        DataType::Primitive("timestamp" | "timestamp_ntz") => micros(text).map(V::Int),
        _ => None,
    }
}

fn from_literal(literal: &Literal, data_type: &DataType) -> Option<V> {
    match literal {
        Literal::Number(n) if numeric(data_type) => Some(V::Num(*n)),
        Literal::Str(s) => from_text(s, data_type),
        Literal::Bool(b) if *data_type == DataType::Primitive("boolean") => Some(V::Bool(*b)),
        _ => None,
    }
}

fn cmp(a: &V, b: &V) -> Option<Ordering> {
    a.partial_cmp(b)
}

/// Whether some value in `[min, max]` can satisfy `op literal` (`None` bounds are unknown).
fn range_may_match(min: Option<&V>, max: Option<&V>, op: Op, lit: &V) -> bool {
    let below_min = |strict: bool| {
        min.and_then(|m| cmp(lit, m))
            .is_some_and(|o| o == Ordering::Less || (strict && o == Ordering::Equal))
    };
    let above_max = |strict: bool| {
        max.and_then(|m| cmp(lit, m))
            .is_some_and(|o| o == Ordering::Greater || (strict && o == Ordering::Equal))
    };
    match op {
        Op::Eq => !(below_min(false) || above_max(false)),
        Op::Lt => !below_min(true),  // need some v < lit: min < lit
        Op::Le => !below_min(false), // min <= lit
        Op::Gt => !above_max(true),  // max > lit
        Op::Ge => !above_max(false), // max >= lit
        Op::Ne => {
            !(min.is_some() && min == max && min.and_then(|m| cmp(m, lit)) == Some(Ordering::Equal))
        }
    }
}

/// Statistics of one column of one file.
struct ColumnStats {
    min: Option<V>,
    max: Option<V>,
    null_count: Option<i64>,
    num_records: Option<i64>,
}

fn column_stats(stats: Option<&Stats>, column: &PruneColumn) -> ColumnStats {
    let get = |v: &Option<Value>| v.as_ref().and_then(|o| o.get(&column.physical)).cloned();
    let usable = !column.widened;
    let min = stats
        .and_then(|s| get(&s.min_values))
        .filter(|_| usable)
        .and_then(|v| from_json(&v, &column.data_type));
    let mut max = stats
        .and_then(|s| get(&s.max_values))
        .filter(|_| usable)
        .and_then(|v| from_json(&v, &column.data_type));
    match (&column.data_type, &mut max) {
        // Strings may be truncated (to 32 characters by most writers): a long max is no bound.
        (DataType::Primitive("string"), Some(V::Str(s))) if s.chars().count() >= 32 => max = None,
        // Timestamp statistics are truncated to milliseconds.
        (DataType::Primitive("timestamp" | "timestamp_ntz"), Some(V::Int(us))) => *us += 999,
        // NaN sorts above every number in the engine but is not in max statistics.
        (d, Some(_)) if is_float(d) => max = None,
        _ => {}
    }
    ColumnStats {
        min,
        max,
        null_count: stats
            .and_then(|s| get(&s.null_count))
            .and_then(|v| v.as_i64()),
        num_records: stats.and_then(|s| s.num_records),
    }
}

/// Whether the file may hold rows satisfying `conjunct`.
fn may_match(
    conjunct: &Conjunct,
    column: &PruneColumn,
    partition_value: Option<&str>,
    stats: Option<&Stats>,
) -> bool {
    if column.partition {
        let value = partition_value.and_then(|v| from_text(v, &column.data_type));
        return match conjunct {
            Conjunct::IsNull { negated, .. } => partition_value.is_some() == *negated,
            _ if partition_value.is_none() => false, // NULL never compares true
            Conjunct::Compare { op, value: lit, .. } => {
                match (value, from_literal(lit, &column.data_type)) {
                    (Some(v), Some(l)) => range_may_match(Some(&v), Some(&v), *op, &l),
                    _ => true,
                }
            }
            Conjunct::In { values, .. } => match value {
                Some(v) => values
                    .iter()
                    .any(|l| match from_literal(l, &column.data_type) {
                        Some(l) => range_may_match(Some(&v), Some(&v), Op::Eq, &l),
                        None => true,
                    }),
                None => true,
            },
        };
    }
    let s = column_stats(stats, column);
    let all_null = matches!((s.null_count, s.num_records), (Some(n), Some(r)) if n == r && r > 0);
    match conjunct {
        Conjunct::IsNull { negated: false, .. } => s.null_count != Some(0),
        Conjunct::IsNull { negated: true, .. } => !all_null,
        _ if all_null => false,
        Conjunct::Compare { op, value, .. } => match from_literal(value, &column.data_type) {
            Some(l) => range_may_match(s.min.as_ref(), s.max.as_ref(), *op, &l),
            None => true,
        },
        Conjunct::In { values, .. } => {
            values
                .iter()
                .any(|l| match from_literal(l, &column.data_type) {
                    Some(l) => range_may_match(s.min.as_ref(), s.max.as_ref(), Op::Eq, &l),
                    None => true,
                })
        }
    }
}

/// The conjuncts that name a prunable top-level column (matched like DuckDB: case-insensitively,
/// unless that is ambiguous).
pub fn bind<'a>(
    conjuncts: &'a [Conjunct],
    columns: &'a [PruneColumn],
) -> Vec<(&'a Conjunct, &'a PruneColumn)> {
    conjuncts
        .iter()
        .filter_map(|c| {
            let exact = columns.iter().find(|col| col.logical == c.column());
            let folded: Vec<_> = columns
                .iter()
                .filter(|col| col.logical.eq_ignore_ascii_case(c.column()))
                .collect();
            let column = exact.or(if folded.len() == 1 {
                folded.first().copied()
            } else {
                None
            })?;
            matches!(
                column.data_type,
                DataType::Primitive(_) | DataType::Decimal { .. }
            )
            .then_some((c, column))
        })
        .collect()
}

/// Whether a file with these partition values (by physical name) and statistics may hold rows
/// satisfying every bound conjunct.
pub fn keep_file(
    bound: &[(&Conjunct, &PruneColumn)],
    partition_values: &std::collections::BTreeMap<String, Option<String>>,
    stats: Option<&Stats>,
) -> bool {
    bound.iter().all(|(conjunct, column)| {
        let value = partition_values
            .get(&column.physical)
            .and_then(|v| v.as_deref())
            .filter(|v| !v.is_empty());
        may_match(conjunct, column, value, stats)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delta::schema::parse_type_name;
    use crate::scan::predicate::parse;
    use std::collections::BTreeMap;

    fn col(name: &str, ty: &str, partition: bool) -> PruneColumn {
        PruneColumn {
            logical: name.into(),
            physical: name.into(),
            data_type: parse_type_name(ty).unwrap(),
            partition,
            widened: false,
        }
    }

    fn stats(json: &str) -> Stats {
        let mut add: crate::delta::actions::Add =
            serde_json::from_str(r#"{"path":"a","size":1}"#).unwrap();
        add.stats = Some(json.into());
        crate::delta::stats::parse_stats(&add).unwrap().unwrap()
    }

    fn keeps(
        predicate: &str,
        columns: &[PruneColumn],
        partitions: &[(&str, Option<&str>)],
        s: Option<&Stats>,
    ) -> bool {
        let parsed = parse(predicate);
        let bound = bind(&parsed.conjuncts, columns);
        let pv: BTreeMap<String, Option<String>> = partitions
            .iter()
            .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
            .collect();
        keep_file(&bound, &pv, s)
    }

    #[test]
    fn min_max_and_null_counts() {
        let cols = [
            col("id", "long", false),
            col("s", "string", false),
            col("d", "double", false),
        ];
        let s = stats(
            r#"{"numRecords":10,"minValues":{"id":5,"s":"b","d":1.0},"maxValues":{"id":9,"s":"k","d":2.0},"nullCount":{"id":0,"s":10,"d":1}}"#,
        );
        let s = Some(&s);
        assert!(keeps("id = 7", &cols, &[], s));
        assert!(!keeps("id = 10", &cols, &[], s));
        assert!(!keeps("id > 9", &cols, &[], s));
        assert!(keeps("id >= 9", &cols, &[], s));
        assert!(!keeps("id < 5", &cols, &[], s));
        assert!(!keeps("4 >= id", &cols, &[], s));
        assert!(!keeps("id IN (1, 2, 20)", &cols, &[], s));
        assert!(keeps("id IN (1, 6)", &cols, &[], s));
        assert!(!keeps("id IS NULL", &cols, &[], s));
        assert!(!keeps("s = 'c'", &cols, &[], s), "all-null column");
        assert!(!keeps("s IS NOT NULL", &cols, &[], s));
        assert!(
            keeps("d > 100", &cols, &[], s),
            "float max is not trusted (NaN)"
        );
        assert!(!keeps("d < 0.5", &cols, &[], s));
        assert!(keeps("id = 7 OR id = 100", &cols, &[], s));
        assert!(keeps("unknown = 1", &cols, &[], s));
        assert!(keeps("id = 100", &cols, &[], None), "no stats: keep");
    }

    #[test]
    fn partitions_dates_and_timestamps() {
        let cols = [
            col("p", "date", true),
            col("t", "timestamp", false),
            col("n", "integer", true),
        ];
        assert!(keeps(
            "p = DATE '2021-01-02'",
            &cols,
            &[("p", Some("2021-01-02"))],
            None
        ));
        assert!(!keeps(
            "p > '2021-01-02'",
            &cols,
            &[("p", Some("2021-01-02"))],
            None
        ));
        assert!(!keeps("p = '2021-01-02'", &cols, &[("p", None)], None));
        assert!(keeps("p IS NULL", &cols, &[("p", None)], None));
        assert!(!keeps("n IN (1, 2)", &cols, &[("n", Some("3"))], None));
        let s = stats(
            r#"{"numRecords":1,"minValues":{"t":"2021-01-01T00:00:00.000Z"},"maxValues":{"t":"2021-01-01T10:00:00.000+02:00"},"nullCount":{"t":0}}"#,
        );
        assert!(
            keeps("t <= '2021-01-01 08:00:00.000500'", &cols, &[], Some(&s)),
            "ms truncation of max"
        );
        assert!(!keeps("t > '2021-01-01 08:00:01'", &cols, &[], Some(&s)));
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(days("2000-03-01"), Some(11_017));
        assert_eq!(micros("1970-01-01T00:00:01.5Z"), Some(1_500_000));
    }
}
