//! The texts rusqlite's chrono support writes for a time (`%F %T%.f%:z`) and a date (`%F`),
//! written digit by digit: chrono's general formatter was a tenth of an upload's work.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

/// `t` as rusqlite stores a `DateTime<Utc>`: `2026-11-21 17:42:05+00:00`, with `.123`,
/// `.123456` or `.123456789` when the time has a fraction of a second.
pub fn date_time(t: &DateTime<Utc>) -> String {
    let nanos = t.nanosecond();
    if !(0..=9999).contains(&t.year()) || nanos >= 1_000_000_000 {
        // Years of five digits or before year 0, and leap seconds: chrono's own text.
        return t.format("%F %T%.f%:z").to_string();
    }
    let mut s = String::with_capacity(35);
    push_date(&mut s, t.date_naive());
    s.push(' ');
    for (i, n) in [t.hour(), t.minute(), t.second()].into_iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        push_digits(&mut s, n, 2);
    }
    match nanos {
        0 => {}
        n if n % 1_000_000 == 0 => push_fraction(&mut s, n / 1_000_000, 3),
        n if n % 1_000 == 0 => push_fraction(&mut s, n / 1_000, 6),
        n => push_fraction(&mut s, n, 9),
    }
    s.push_str("+00:00");
    s
}

/// `d` as rusqlite stores a `NaiveDate`: `2026-11-21`.
pub fn date(d: NaiveDate) -> String {
    if !(0..=9999).contains(&d.year()) {
        return d.format("%F").to_string();
    }
    let mut s = String::with_capacity(10);
    push_date(&mut s, d);
    s
}

/// `YYYY-MM-DD`, for a year of at most four digits.
fn push_date(s: &mut String, d: NaiveDate) {
    push_digits(s, d.year().unsigned_abs(), 4);
    s.push('-');
    push_digits(s, d.month(), 2);
    s.push('-');
    push_digits(s, d.day(), 2);
}

fn push_fraction(s: &mut String, n: u32, width: u32) {
    s.push('.');
    push_digits(s, n, width);
}

/// The last `width` decimal digits of `n`, with leading zeros.
fn push_digits(s: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = n / 10u32.pow(place) % 10;
        s.push(char::from(b'0' + u8::try_from(digit).unwrap_or(0)));
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
    use rusqlite::types::{ToSql, ToSqlOutput, Value};

    fn sql_text(v: &dyn ToSql) -> String {
        match v.to_sql().expect("converts") {
            ToSqlOutput::Owned(Value::Text(s)) => s,
            other => panic!("not text: {other:?}"),
        }
    }

    #[test]
    fn times_and_dates_are_the_texts_rusqlite_writes() {
        let bases = [
            Utc.with_ymd_and_hms(2026, 11, 21, 17, 42, 5).single().expect("time"),
            Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).single().expect("time"),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).single().expect("time"),
            Utc.with_ymd_and_hms(-3, 2, 1, 9, 8, 7).single().expect("time"),
            Utc.with_ymd_and_hms(12026, 2, 1, 9, 8, 7).single().expect("time"),
        ];
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
            .expect("a leap second")
            .and_utc();
        let nanos = [0, 1, 10, 1_000, 20_000, 120_000_000, 123_456_000, 123_456_789, 999_999_999];
        let times: Vec<DateTime<Utc>> = bases
            .iter()
            .flat_map(|b| nanos.iter().map(move |n| *b + TimeDelta::nanoseconds(*n)))
            .chain([leap])
            .collect();
        for t in times {
            assert_eq!(super::date_time(&t), sql_text(&t));
            assert_eq!(super::date(t.date_naive()), sql_text(&t.date_naive()));
        }
    }
}
