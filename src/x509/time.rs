//! Certificate times: UTCTime through 2049 and GeneralizedTime from 2050 on (RFC 5280 4.1.2.5),
//! read back as Unix seconds, and printed as ISO 8601 for people.

use crate::error::{Error, Field, Result};
use core::time::Duration;
use der::asn1::{GeneralizedTime, UtcTime};
use der::DateTime;
use x509_cert::time::Time;

/// Seconds in a day.
pub const DAY: u64 = 86_400;
/// 2050-01-01T00:00:00Z: from here on, times are GeneralizedTime.
pub const Y2050: u64 = 2_524_608_000;
/// 9999-12-31T23:59:59Z, the last second either time type can hold.
pub const MAX_TIME: u64 = 253_402_300_799;

/// A certificate time for `unix` seconds (past the year 9999: an error naming `days`).
pub fn time(unix: u64) -> Result<Time> {
    if unix > MAX_TIME {
        return Err(Error::invalid(Field::Days, "reaches past the year 9999, which a certificate cannot express"));
    }
    let bad = |e: der::Error| Error::internal("encoding a time", e);
    let dt = DateTime::from_unix_duration(Duration::from_secs(unix)).map_err(bad)?;
    Ok(if unix < Y2050 {
        Time::UtcTime(UtcTime::from_date_time(dt).map_err(bad)?)
    } else {
        Time::GeneralTime(GeneralizedTime::from_date_time(dt))
    })
}

/// Unix seconds of a certificate time.
pub fn unix(t: &Time) -> u64 {
    t.to_unix_duration().as_secs()
}

/// `2026-11-26T22:53:55Z`
pub fn iso8601(unix: u64) -> String {
    match DateTime::from_unix_duration(Duration::from_secs(unix)) {
        Ok(dt) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minutes(),
            dt.seconds()
        ),
        Err(_) => unix.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Encode;

    #[test]
    fn time_switches_type_at_2050() {
        assert!(matches!(time(Y2050 - 1).unwrap(), Time::UtcTime(_)));
        assert!(matches!(time(Y2050).unwrap(), Time::GeneralTime(_)));
        let der = time(Y2050 - 1).unwrap().to_der().unwrap();
        assert_eq!(&der[2..], b"491231235959Z");
        let der = time(Y2050).unwrap().to_der().unwrap();
        assert_eq!(&der[2..], b"20500101000000Z");
        assert!(time(MAX_TIME + 1).is_err());
        assert_eq!(iso8601(Y2050), "2050-01-01T00:00:00Z");
        assert_eq!(unix(&time(Y2050).unwrap()), Y2050);
    }
}
