//! Subject alternative names: an IP literal becomes an iPAddress name, anything else a dNSName;
//! `dns:` and `ip:` prefixes force the type.

use crate::error::{Error, Field, Result};
use std::net::IpAddr;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubjectAltName {
    Dns(String),
    Ip(IpAddr),
}

const MAX_DNS: usize = 253;

/// `DNS:name` / `IP:address`, as OpenSSL and keytool print them.
impl core::fmt::Display for SubjectAltName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            SubjectAltName::Dns(d) => write!(f, "DNS:{d}"),
            SubjectAltName::Ip(ip) => write!(f, "IP:{ip}"),
        }
    }
}

impl SubjectAltName {
    pub fn parse(entry: &str) -> Result<SubjectAltName> {
        let e = entry.trim();
        let lower = e.to_ascii_lowercase();
        if let Some(ip) = lower.strip_prefix("ip:") {
            return ip.trim().parse().map(SubjectAltName::Ip).map_err(|_| {
                Error::invalid(Field::San, format!("\"{entry}\" is not an IPv4 or IPv6 address"))
            });
        }
        if lower.starts_with("dns:") {
            return dns(e[4..].trim(), entry);
        }
        match e.parse::<IpAddr>() {
            Ok(ip) => Ok(SubjectAltName::Ip(ip)),
            Err(_) => dns(e, entry),
        }
    }

    /// The CN as a name, when it is a host name or an address at all (a CN such as
    /// "Boiler 7" is not, and is left out).
    pub fn from_cn(cn: &str) -> Option<SubjectAltName> {
        SubjectAltName::parse(cn).ok()
    }
}

/// Each of `names` added to `into` unless it is there already (order kept).
pub fn merge(into: &mut Vec<SubjectAltName>, names: impl IntoIterator<Item = SubjectAltName>) {
    for name in names {
        if !into.contains(&name) {
            into.push(name);
        }
    }
}

/// Entries as people type them (`host`, `10.0.0.5`, `dns:...`, `ip:...`), parsed.
pub fn parse_all(entries: &[String]) -> Result<Vec<SubjectAltName>> {
    let mut out = Vec::new();
    for entry in entries {
        merge(&mut out, [SubjectAltName::parse(entry)?]);
    }
    Ok(out)
}

fn dns(name: &str, entry: &str) -> Result<SubjectAltName> {
    if name.is_empty() {
        return Err(Error::invalid(Field::San, "an empty name is not allowed".to_string()));
    }
    let ok = name.len() <= MAX_DNS
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._*".contains(&b))
        && !name.starts_with('.')
        && !name.contains("..");
    if !ok {
        return Err(Error::invalid(
            Field::San,
            format!(
                "\"{entry}\" is not a DNS name: use ASCII letters, digits, '-', '.' and a leading \
                 '*.' at most {MAX_DNS} characters long, or an IP address"
            ),
        ));
    }
    // A wildcard only as the whole leftmost label, over at least two labels (RFC 6125 6.4.3, as
    // browsers and the CA/Browser Forum take it): `*.example.com`, never `*`, `*.com`, `a*b.x`.
    let labels: Vec<&str> = name.split('.').collect();
    let wild_ok = labels[1..].iter().all(|l| !l.contains('*')) && (labels[0] == "*" && labels.len() >= 3 || !labels[0].contains('*'));
    if !wild_ok {
        return Err(Error::invalid(
            Field::San,
            format!("\"{entry}\" has a '*' where a certificate may not: only a whole leftmost label over at least two more, as in *.example.com"),
        ));
    }
    Ok(SubjectAltName::Dns(name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_chosen_and_forced() {
        use SubjectAltName::*;
        assert_eq!(SubjectAltName::parse("10.0.0.1").unwrap(), Ip("10.0.0.1".parse().unwrap()));
        assert_eq!(SubjectAltName::parse("::1").unwrap(), Ip("::1".parse().unwrap()));
        assert_eq!(SubjectAltName::parse("IP: 10.0.0.2").unwrap(), Ip("10.0.0.2".parse().unwrap()));
        assert_eq!(SubjectAltName::parse("mqtt.local").unwrap(), Dns("mqtt.local".into()));
        assert_eq!(SubjectAltName::parse("dns:10.0.0.1").unwrap(), Dns("10.0.0.1".into()));
        assert_eq!(SubjectAltName::parse("*.example.com").unwrap(), Dns("*.example.com".into()));
        for bad in ["ip:host", "", "dns:", "two words", "ünï.de", "a..b", "ip:1.2.3.4.5", "*", "dns:*", "*.com", "a*b.example", "x.*.example", "**.example.com", "*x.example.com"] {
            assert_eq!(SubjectAltName::parse(bad).unwrap_err().field(), Some(Field::San), "{bad}");
        }
        assert_eq!(SubjectAltName::from_cn("Boiler 7"), None);
    }
}
