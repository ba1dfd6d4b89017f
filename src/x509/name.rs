//! The subject / issuer name, encoded the way keytool encodes the recipe's
//! `-dname "CN=..., OU=..., O=..., L=..., ST=..., C=..."`.
//!
//! An RFC 4514 string lists the last RDN of the encoded Name first, so the DER order is
//! C, ST, L, O, OU, CN, one attribute per RDN, empty fields left out. Like keytool (Java's
//! `DerValue(String)`), a value is a PrintableString when every character allows it and a
//! UTF8String otherwise; C is always a PrintableString. `openssl x509 -subject` then prints
//! the same subject for our certificate as for keytool's.

use crate::error::{Error, Field, Result};
use crate::formats::hex;
use crate::oid::{self, C, CN, L, O, OU, ST};
use der::asn1::{Any, PrintableStringRef, SetOfVec, Utf8StringRef};
use der::oid::ObjectIdentifier;
use der::{Decode, Encode, Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};

/// RFC 5280 Appendix A upper bounds, in characters.
pub const UB_CN: usize = 64;
pub const UB_O: usize = 64;
pub const UB_OU: usize = 64;
pub const UB_L: usize = 128;
pub const UB_ST: usize = 128;

/// A checked distinguished name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistinguishedName {
    pub cn: String,
    pub ou: String,
    pub o: String,
    pub l: String,
    pub st: String,
    pub c: String,
}

/// No control characters and at most `max` characters.
pub fn check_text(field: Field, value: &str, max: usize) -> Result<()> {
    if value.chars().any(char::is_control) {
        return Err(Error::ControlCharacter { field });
    }
    let len = value.chars().count();
    if len > max {
        return Err(Error::TooLong { field, max, len });
    }
    Ok(())
}

/// X.680 PrintableString: A-Z a-z 0-9 space ' ( ) + , - . / : = ?
fn is_printable(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_alphanumeric() || " '()+,-./:=?".contains(c))
}

impl DistinguishedName {
    pub fn new(cn: &str, ou: &str, o: &str, l: &str, st: &str, c: &str) -> Result<Self> {
        if cn.trim().is_empty() {
            return Err(Error::Empty { field: Field::Cn });
        }
        check_text(Field::Cn, cn, UB_CN)?;
        check_text(Field::Ou, ou, UB_OU)?;
        check_text(Field::O, o, UB_O)?;
        check_text(Field::L, l, UB_L)?;
        check_text(Field::St, st, UB_ST)?;
        if !c.is_empty() && !(c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())) {
            return Err(Error::invalid(
                Field::C,
                format!("must be exactly two letters A-Z (ISO 3166, e.g. US), got \"{c}\""),
            ));
        }
        let s = |v: &str| v.to_string();
        Ok(DistinguishedName { cn: s(cn), ou: s(ou), o: s(o), l: s(l), st: s(st), c: s(c) })
    }

    /// (OID, short name, value) in DER order, empty values left out.
    fn attributes(&self) -> impl Iterator<Item = (ObjectIdentifier, &'static str, &str)> {
        [
            (C, "C", self.c.as_str()),
            (ST, "ST", self.st.as_str()),
            (L, "L", self.l.as_str()),
            (O, "O", self.o.as_str()),
            (OU, "OU", self.ou.as_str()),
            (CN, "CN", self.cn.as_str()),
        ]
        .into_iter()
        .filter(|(_, _, v)| !v.is_empty())
    }

    pub fn to_name(&self) -> Result<Name> {
        let enc = |e: der::Error| Error::internal("encoding the name", e);
        let mut rdns = RdnSequence::default();
        for (oid, _, value) in self.attributes() {
            let value = if is_printable(value) {
                Any::new(Tag::PrintableString, PrintableStringRef::new(value).map_err(enc)?.as_bytes())
            } else {
                Any::new(Tag::Utf8String, Utf8StringRef::new(value).map_err(enc)?.as_bytes())
            }
            .map_err(enc)?;
            let mut set = SetOfVec::new();
            set.insert(AttributeTypeAndValue { oid, value }).map_err(enc)?;
            rdns.push(RelativeDistinguishedName::from(set));
        }
        // Name has no public constructor from an RdnSequence; its DER is the same.
        Name::from_der(&rdns.to_der().map_err(enc)?).map_err(enc)
    }

    /// `CN=host, OU=Tempus, O=Tempus, L=Roswell, ST=GA, C=US`, as keytool prints it
    /// (RFC 4514 order: the last RDN first), with RFC 4514 escaping.
    pub fn to_rfc4514(&self) -> String {
        let mut parts: Vec<String> =
            self.attributes().map(|(_, k, v)| format!("{k}={}", escape(v))).collect();
        parts.reverse();
        parts.join(", ")
    }
}

/// RFC 4514 escaping: the specials, a leading `#` or space, a trailing space, and control
/// characters as `\\xx`.
fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let last = v.chars().count().saturating_sub(1);
    for (i, ch) in v.chars().enumerate() {
        if ch.is_ascii_control() {
            out.push_str(&format!("\\{:02x}", ch as u8));
            continue;
        }
        let special = matches!(ch, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=')
            || (i == 0 && (ch == '#' || ch == ' '))
            || (i == last && ch == ' ');
        if special {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// The short names of the attributes certificates carry, for printing names. A table of our own
/// rather than x509-cert's `Display`, which links const-oid's database of every OID name
/// (~40 KB of the wasm module); other attributes print as `OID=#DER-hex`, as RFC 4514 says.
const SHORT_NAMES: &[(ObjectIdentifier, &str)] = &[
    (CN, "CN"), (oid::SURNAME, "SN"), (oid::SERIAL_NUMBER, "SERIALNUMBER"), (C, "C"),
    (L, "L"), (ST, "ST"), (oid::STREET, "STREET"), (O, "O"),
    (OU, "OU"), (oid::TITLE, "TITLE"), (oid::GIVEN_NAME, "GIVENNAME"), (oid::INITIALS, "INITIALS"),
    (oid::DN_QUALIFIER, "DNQUALIFIER"), (oid::PSEUDONYM, "PSEUDONYM"), (oid::ORGANIZATION_IDENTIFIER, "ORGANIZATIONIDENTIFIER"),
    (oid::UID, "UID"), (oid::DOMAIN_COMPONENT, "DC"),
    (oid::EMAIL_ADDRESS, "EMAILADDRESS"),
];

/// One attribute as RFC 4514 prints it.
fn attribute_string(atv: &AttributeTypeAndValue) -> String {
    let value = match atv.value.tag() {
        Tag::PrintableString => PrintableStringRef::try_from(&atv.value).ok().map(|s| s.as_str()),
        Tag::Utf8String => Utf8StringRef::try_from(&atv.value).ok().map(|s| s.as_str()),
        Tag::Ia5String => der::asn1::Ia5StringRef::try_from(&atv.value).ok().map(|s| s.as_str()),
        Tag::TeletexString => der::asn1::TeletexStringRef::try_from(&atv.value).ok().map(|s| s.as_str()),
        _ => None,
    };
    match (SHORT_NAMES.iter().find(|(o, _)| *o == atv.oid), value) {
        (Some((_, key)), Some(v)) => format!("{key}={}", escape(v)),
        _ => format!("{}=#{}", atv.oid, hex::lower(&atv.value.to_der().unwrap_or_default())),
    }
}

/// A parsed name in RFC 4514 order (the last RDN first), RDNs joined by `separator` ("," like
/// RFC 4514 and OpenSSL's RFC2253 option, ", " like keytool), attributes of one RDN by "+".
pub fn name_string(name: &Name, separator: &str) -> String {
    let rdns: Vec<String> = name
        .iter_rdn()
        .map(|rdn| rdn.iter().map(attribute_string).collect::<Vec<_>>().join("+"))
        .collect();
    rdns.into_iter().rev().collect::<Vec<_>>().join(separator)
}

/// An attribute value's text whatever its string type (PrintableString, UTF8String, IA5String,
/// TeletexString read as Latin-1, BMPString, UniversalString); `None` for other types.
fn value_text(value: &Any) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::PrintableString | Tag::Utf8String | Tag::Ia5String | Tag::VisibleString => core::str::from_utf8(bytes).ok().map(String::from),
        Tag::TeletexString => Some(bytes.iter().map(|b| *b as char).collect()),
        Tag::BmpString => (bytes.len() % 2 == 0)
            .then(|| char::decode_utf16(bytes.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]]))).collect::<core::result::Result<String, _>>().ok())
            .flatten(),
        // UniversalString (universal tag 28), which der has no name for.
        _ if value.to_der().ok()?.first() == Some(&0x1c) => (bytes.len() % 4 == 0)
            .then(|| bytes.chunks(4).map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]]))).collect::<Option<String>>())
            .flatten(),
        _ => None,
    }
}

/// A value as RFC 4518 string preparation leaves it for comparing (and as OpenSSL's canonical
/// encoding does): case folded, leading and trailing spaces removed, inner runs of whitespace
/// one space; the string type no longer matters.
fn prepared(value: &Any) -> Result<String> {
    match value_text(value) {
        Some(text) => Ok(text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()),
        // Another type: compared as its DER, exactly.
        None => Ok(format!("#{}", hex::lower(&value.to_der().map_err(|e| Error::internal("encoding a name", e))?))),
    }
}

/// Whether two names are the same name as X.509 compares them (RFC 5280 7.1 with RFC 4518):
/// RDN by RDN, attributes of an RDN in any order, values prepared.
pub fn same_name(a: &Name, b: &Name) -> Result<bool> {
    let canonical = |name: &Name| -> Result<Vec<Vec<(ObjectIdentifier, String)>>> {
        name.iter_rdn()
            .map(|rdn| {
                let mut atvs = rdn.iter().map(|atv| Ok((atv.oid, prepared(&atv.value)?))).collect::<Result<Vec<_>>>()?;
                atvs.sort_by(|x, y| (x.0.as_bytes(), &x.1).cmp(&(y.0.as_bytes(), &y.1)));
                Ok(atvs)
            })
            .collect()
    };
    Ok(canonical(a)? == canonical(b)?)
}

/// A name as keytool prints it: RFC 4514 order, `, ` between the RDNs (`CN=..., OU=..., C=US`).
pub fn keytool_name(name: &Name) -> String {
    name_string(name, ", ")
}

/// The name's (last) CN, if it is text.
pub fn common_name(name: &Name) -> Option<String> {
    name.iter()
        .filter(|atv| atv.oid == CN)
        .filter_map(|atv| {
            Utf8StringRef::try_from(&atv.value)
                .map(|s| s.as_str().to_string())
                .or_else(|_| PrintableStringRef::try_from(&atv.value).map(|s| s.as_str().to_string()))
                .ok()
        })
        .last()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::hex::lower as hex;

    fn dn(cn: &str, ou: &str, o: &str, l: &str, st: &str, c: &str) -> Result<DistinguishedName> {
        DistinguishedName::new(cn, ou, o, l, st, c)
    }

    #[test]
    fn validation_table() {
        let long = |n| "x".repeat(n);
        let table: Vec<(Result<DistinguishedName>, Option<(Field, &str)>)> = vec![
            (dn("host", "Tempus", "Tempus", "Roswell", "GA", "US"), None),
            (dn("host", "", "", "", "", ""), None),
            (dn("Gerät Köln 東京", "Ünit", "", "", "", "DE"), None),
            (dn("", "a", "b", "c", "d", "US"), Some((Field::Cn, "empty"))),
            (dn("  ", "a", "b", "c", "d", "US"), Some((Field::Cn, "empty"))),
            (dn(&long(64), &long(64), &long(64), &long(128), &long(128), "US"), None),
            (dn(&long(65), "", "", "", "", ""), Some((Field::Cn, "too_long"))),
            (dn("h", &long(65), "", "", "", ""), Some((Field::Ou, "too_long"))),
            (dn("h", "", &long(65), "", "", ""), Some((Field::O, "too_long"))),
            (dn("h", "", "", &long(129), "", ""), Some((Field::L, "too_long"))),
            (dn("h", "", "", "", &long(129), ""), Some((Field::St, "too_long"))),
            (dn("h\n", "", "", "", "", ""), Some((Field::Cn, "control_character"))),
            (dn("h", "a\tb", "", "", "", ""), Some((Field::Ou, "control_character"))),
            (dn("h", "", "\0", "", "", ""), Some((Field::O, "control_character"))),
            (dn("h", "", "", "", "", "USA"), Some((Field::C, "invalid"))),
            (dn("h", "", "", "", "", "us"), Some((Field::C, "invalid"))),
            (dn("h", "", "", "", "", "U1"), Some((Field::C, "invalid"))),
            (dn("h", "", "", "", "", "Ü"), Some((Field::C, "invalid"))),
        ];
        for (i, (got, want)) in table.into_iter().enumerate() {
            match (got, want) {
                (Ok(_), None) => {}
                (Err(e), Some((field, code))) => {
                    assert_eq!((e.field(), e.code()), (Some(field), code), "row {i}: {e}")
                }
                (got, want) => panic!("row {i}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn der_order_and_string_types_match_keytool() {
        // The subject keytool wrote into tests/vectors/keytool-mqttclient.pub.pem, byte for byte.
        let pem = include_str!("../../tests/vectors/keytool-mqttclient.pub.pem");
        let cert = crate::x509::read::one_certificate(pem.as_bytes(), Field::Certificate).unwrap();
        let cert = x509_cert::Certificate::from_der(&cert).unwrap();
        let keytool = cert.tbs_certificate().subject().to_der().unwrap();
        let ours = dn("testhost", "tempus", "tempus", "SF", "CA", "US").unwrap().to_name().unwrap();
        assert_eq!(hex(&ours.to_der().unwrap()), hex(&keytool));
        // Non-printable values become UTF8String (tag 0x0c); C stays PrintableString (0x13).
        let der = dn("Gerät", "", "", "", "", "DE").unwrap().to_name().unwrap().to_der().unwrap();
        assert!(hex(&der).contains("0c06476572c3a474"), "{}", hex(&der));
        assert!(hex(&der).contains("13024445"));
    }

    #[test]
    fn rfc4514_lists_cn_first() {
        let d = dn("host", "Tempus", "Tempus", "Roswell", "GA", "US").unwrap();
        assert_eq!(d.to_rfc4514(), "CN=host, OU=Tempus, O=Tempus, L=Roswell, ST=GA, C=US");
        let d = dn("a,b", "", "", "", "", "").unwrap();
        assert_eq!(d.to_rfc4514(), "CN=a\\,b");
    }

    /// Parsed names print like x509-cert's Display did (inspect's subject and issuer), without
    /// its OID database: multi-valued RDNs, IA5 values, escaping, and an unknown attribute.
    #[test]
    fn name_string_prints_parsed_names() {
        let d = dn("host", "Tempus", "Tempus", "Roswell", "GA", "US").unwrap();
        let name = d.to_name().unwrap();
        assert_eq!(name_string(&name, ","), "CN=host,OU=Tempus,O=Tempus,L=Roswell,ST=GA,C=US");
        assert_eq!(name_string(&name, ", "), d.to_rfc4514());
        // "DC=example+UID=u1,CN=#a b ,EMAILADDRESS=x@y,2.5.4.99=#0c0178" (DER order reversed).
        let atv = |oid: &str, value: Any| AttributeTypeAndValue { oid: ObjectIdentifier::new_unwrap(oid), value };
        let utf8 = |v: &str| Any::from(Utf8StringRef::new(v).unwrap());
        let ia5 = |v: &str| Any::new(Tag::Ia5String, v.as_bytes()).unwrap();
        let mut rdns = RdnSequence::default();
        for set in [
            vec![atv("2.5.4.99", utf8("x"))],
            vec![atv("1.2.840.113549.1.9.1", ia5("x@y"))],
            vec![atv("2.5.4.3", utf8("#a b "))],
            vec![atv("0.9.2342.19200300.100.1.25", ia5("example")), atv("0.9.2342.19200300.100.1.1", utf8("u1"))],
        ] {
            rdns.push(RelativeDistinguishedName::from(SetOfVec::try_from(set).unwrap()));
        }
        let name = Name::from_der(&rdns.to_der().unwrap()).unwrap();
        let printed = name_string(&name, ",");
        assert!(printed == "DC=example+UID=u1,CN=\\#a b\\ ,EMAILADDRESS=x@y,2.5.4.99=#0c0178"
            || printed == "UID=u1+DC=example,CN=\\#a b\\ ,EMAILADDRESS=x@y,2.5.4.99=#0c0178", "{printed}");
    }

    /// The CA's name respelled (issue 23): double and edge spaces, another case, a BMPString CN.
    #[test]
    fn names_compare_as_x509_compares_them() {
        let ca = dn("Tempus Device CA", "Tempus", "Tempus", "Roswell", "GA", "US").unwrap().to_name().unwrap();
        for cn in ["Tempus  Device CA", " Tempus Device CA", "Tempus Device CA ", "tempus device ca", "TEMPUS\tDEVICE CA"] {
            let cn = cn.replace("\\t", "\t");
            let same = dn(&cn.replace('\t', " "), "Tempus", "Tempus", "Roswell", "GA", "US").unwrap().to_name().unwrap();
            assert!(same_name(&same, &ca).unwrap(), "{cn:?}");
        }
        // The CN as a BMPString (UTF-16BE), the rest as the CA has it.
        let bmp: Vec<u8> = "Tempus Device CA".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let mut rdns = RdnSequence::default();
        for rdn in ca.iter_rdn() {
            let atv = rdn.iter().next().unwrap();
            let value = if atv.oid == CN { Any::new(Tag::BmpString, bmp.clone()).unwrap() } else { atv.value.clone() };
            rdns.push(RelativeDistinguishedName::from(SetOfVec::try_from(vec![AttributeTypeAndValue { oid: atv.oid, value }]).unwrap()));
        }
        let respelled = Name::from_der(&rdns.to_der().unwrap()).unwrap();
        assert!(same_name(&respelled, &ca).unwrap());
        assert_ne!(respelled.to_der().unwrap(), ca.to_der().unwrap(), "the bytes differ, the name does not");
        for other in [dn("Tempus Device CA2", "Tempus", "Tempus", "Roswell", "GA", "US"), dn("Tempus Device CA", "Tempus", "Tempus", "Roswell", "GA", "")] {
            assert!(!same_name(&other.unwrap().to_name().unwrap(), &ca).unwrap());
        }
    }
}
