//! What a person decides, with the keytool recipe's defaults, and the checks made on it before
//! any work starts (a panic in wasm kills the module, so everything is checked here).

use crate::error::{Error, Field, Result};
use crate::issue::ca::{Issuer, IssuerSource};
use crate::keys::pair::KeyType;
use crate::role::Role;
use crate::x509::name::{check_text, DistinguishedName};
#[cfg(feature = "full")]
use crate::x509::read::one_certificate;
use crate::x509::san::{merge, parse_all, SubjectAltName};
use zeroize::Zeroizing;

pub const DEFAULT_DAYS: u32 = 9999;
pub const MAX_DAYS: u32 = 36500;
pub const DEFAULT_KEY_SIZE: u32 = 2048;
pub const KEY_SIZES: [u32; 3] = [2048, 3072, 4096];
pub const MIN_PASSWORD: usize = 6;
/// A device CA's key password: its key mints device certificates.
pub const MIN_CA_PASSWORD: usize = 8;
/// The deepest chain below a device CA that its pathLenConstraint may allow.
pub const MAX_PATH_LEN: u32 = 8;
const MAX_PASSWORD: usize = 128;
const MAX_ALIAS: usize = 128;
const MAX_PREFIX: usize = 100;

/// The recipe's variables. `Params::new(role)` gives the recipe's defaults for that role;
/// the CN defaults to `localhost` here (the recipe uses the host name, which the CLI supplies).
#[derive(Clone, Debug)]
pub struct Params {
    pub role: Role,
    /// DOMAIN_SUFFIX
    pub cn: String,
    pub ou: String,
    pub o: String,
    pub l: String,
    pub st: String,
    /// TWO_LETTER_COUNTRY_CODE; empty leaves C out.
    pub c: String,
    pub days: u32,
    /// RSA (the recipe's) or EC P-256.
    pub key_type: KeyType,
    /// RSA only: 2048, 3072 or 4096.
    pub key_size: u32,
    pub alias: String,
    pub prefix: String,
    pub store_password: Zeroizing<String>,
    pub key_password: Zeroizing<String>,
    /// Extra subject alternative names (`dns:` / `ip:` force the type).
    pub san: Vec<String>,
    /// Client only: the server certificate (PEM or DER) to trust in the client's keystores.
    pub server_certificate: Option<Vec<u8>>,
    /// Client only: alias of the trusted server entry; defaults to the server's default alias.
    pub server_alias: Option<String>,
    /// Write the `.p12` in the legacy 3DES / SHA-1 form for Java 8 and Windows.
    pub legacy_pkcs12: bool,
    /// CA only: basicConstraints pathLenConstraint (`None`: open). Default 0: the CA signs
    /// device certificates only, no intermediate CAs.
    pub path_len: Option<u32>,
    /// Server and client: the device CA that signs the certificate (`None`: self-signed).
    pub issuer: Option<IssuerSource>,
}

impl Params {
    pub fn new(role: Role) -> Params {
        Params {
            role,
            cn: role.default_cn().into(),
            ou: "Tempus".into(),
            o: "Tempus".into(),
            l: "Roswell".into(),
            st: "GA".into(),
            c: "US".into(),
            days: DEFAULT_DAYS,
            key_type: KeyType::Rsa,
            key_size: DEFAULT_KEY_SIZE,
            alias: role.default_alias().into(),
            prefix: role.default_prefix().into(),
            store_password: Zeroizing::new(role.default_store_password().into()),
            key_password: Zeroizing::new(role.default_key_password().into()),
            san: Vec::new(),
            server_certificate: None,
            server_alias: None,
            legacy_pkcs12: false,
            path_len: Some(0),
            issuer: None,
        }
    }

    pub fn server() -> Params {
        Params::new(Role::Server)
    }

    pub fn client() -> Params {
        Params::new(Role::Client)
    }

    /// A device CA: CN "Tempus Device CA", prefix deviceca, alias caalias, and no passwords
    /// (they must be set: a CA's key mints device certificates).
    pub fn ca() -> Params {
        Params::new(Role::Ca)
    }

    /// The alias of the trusted server entry in a client's keystores.
    pub fn server_alias(&self) -> &str {
        self.server_alias.as_deref().unwrap_or(Role::Server.default_alias())
    }

    pub fn distinguished_name(&self) -> Result<DistinguishedName> {
        DistinguishedName::new(&self.cn, &self.ou, &self.o, &self.l, &self.st, &self.c)
    }

    /// Every check, in the order of the form, so the first error is the first field a person
    /// would look at; the device CA last (opening its key is the slowest check).
    pub fn validate(&self) -> Result<Validated> {
        let mut checked = self.check()?;
        checked.issuer = match (&self.issuer, self.role) {
            (None, _) => None,
            (Some(_), Role::Ca) => {
                return Err(Error::invalid(Field::CaCertificate, "is for server and client certificates: a device CA is self-signed here"))
            }
            #[cfg(feature = "full")]
            (Some(source), _) => Some(Issuer::open(source)?),
            #[cfg(not(feature = "full"))]
            (Some(_), _) => return Err(Error::invalid(Field::CaCertificate, crate::keys::pair::LEAN)),
        };
        Ok(checked)
    }

    /// Every check but the device CA's.
    pub fn check(&self) -> Result<Validated> {
        let dn = self.distinguished_name()?;
        check_days(self.days)?;
        if self.key_type == KeyType::Rsa && !KEY_SIZES.contains(&self.key_size) {
            return Err(Error::KeySize { bits: self.key_size as u64 });
        }
        check_alias(Field::Alias, &self.alias)?;
        check_prefix(&self.prefix)?;
        if self.role == Role::Ca {
            // A CA's store password defaults to its key password: the key password is the one
            // a person must give, and a longer one than keytool's minimum.
            check_password(Field::KeyPassword, &self.key_password)?;
            if self.key_password.chars().count() < MIN_CA_PASSWORD {
                return Err(Error::invalid(
                    Field::KeyPassword,
                    format!("must be at least {MIN_CA_PASSWORD} characters long for a device CA: its key mints device certificates (a random one is best)"),
                ));
            }
            check_password(Field::StorePassword, &self.store_password)?;
            if self.legacy_pkcs12 {
                return Err(Error::invalid(Field::LegacyPkcs12, "is refused for a device CA: its key never goes under 3DES / SHA-1 (the legacy .p12 is for Java 8 devices)"));
            }
        } else {
            check_password(Field::StorePassword, &self.store_password)?;
            check_password(Field::KeyPassword, &self.key_password)?;
        }
        #[cfg(not(feature = "full"))]
        if self.legacy_pkcs12 || self.key_type == KeyType::EcP256 {
            let field = if self.legacy_pkcs12 { Field::LegacyPkcs12 } else { Field::KeyType };
            return Err(Error::invalid(field, crate::keys::pair::LEAN));
        }
        if let (Role::Ca, Some(n)) = (self.role, self.path_len) {
            if n > MAX_PATH_LEN {
                return Err(Error::OutOfRange { field: Field::PathLen, min: 0, max: MAX_PATH_LEN as u64, value: n as u64 });
            }
        }
        if self.role == Role::Ca && !self.san.is_empty() {
            return Err(Error::invalid(Field::San, "is for server and client certificates; a device CA has no host names"));
        }
        let mut san = Vec::new();
        if self.role == Role::Server {
            // The CN as a name too: TLS clients match the host against the SAN only.
            san.extend(SubjectAltName::from_cn(&self.cn));
        }
        merge(&mut san, parse_all(&self.san)?);
        let server_certificate = match (&self.server_certificate, self.role) {
            #[cfg(feature = "full")]
            (Some(bytes), Role::Client) if !bytes.iter().all(u8::is_ascii_whitespace) => {
                Some(one_certificate(bytes, Field::ServerCertificate)?)
            }
            #[cfg(not(feature = "full"))]
            (Some(bytes), Role::Client) if !bytes.iter().all(u8::is_ascii_whitespace) => {
                return Err(Error::invalid(Field::ServerCertificate, crate::keys::pair::LEAN))
            }
            (Some(bytes), Role::Server | Role::Ca) if !bytes.iter().all(u8::is_ascii_whitespace) => {
                return Err(Error::invalid(
                    Field::ServerCertificate,
                    "is only used for the client role (a client's keystore trusts the server)",
                ))
            }
            _ => None,
        };
        if let Some(alias) = &self.server_alias {
            check_alias(Field::ServerAlias, alias)?;
        }
        if server_certificate.is_some()
            && self.server_alias().to_lowercase() == self.alias.to_lowercase()
        {
            return Err(Error::invalid(
                Field::ServerAlias,
                format!(
                    "\"{}\" is also the key alias; a keystore cannot hold two entries with one alias",
                    self.server_alias()
                ),
            ));
        }
        Ok(Validated { dn, san, server_certificate, issuer: None })
    }
}

/// What validation derived from the params, ready for the builders.
#[derive(Debug)]
pub struct Validated {
    pub dn: DistinguishedName,
    pub san: Vec<SubjectAltName>,
    /// DER of the server certificate to trust (client role).
    pub server_certificate: Option<Vec<u8>>,
    /// The loaded, checked device CA that signs (its validity is checked at issue time).
    pub issuer: Option<std::rc::Rc<Issuer>>,
}

/// 1 to MAX_DAYS days.
pub fn check_days(days: u32) -> Result<()> {
    if days == 0 || days > MAX_DAYS {
        return Err(Error::OutOfRange { field: Field::Days, min: 1, max: MAX_DAYS as u64, value: days as u64 });
    }
    Ok(())
}

fn check_alias(field: Field, alias: &str) -> Result<()> {
    if alias.trim().is_empty() {
        return Err(Error::Empty { field });
    }
    check_text(field, alias, MAX_ALIAS)?;
    // PKCS#12 stores the alias as a BMPString (friendlyName): no characters beyond U+FFFF.
    if let Some(c) = alias.chars().find(|c| (*c as u32) > 0xFFFF) {
        return Err(Error::invalid(
            field,
            format!("\"{alias}\" contains '{c}', which a PKCS#12 alias cannot hold: use letters, digits and symbols of the Basic Multilingual Plane (no emoji)"),
        ));
    }
    Ok(())
}

pub fn check_prefix(prefix: &str) -> Result<()> {
    check_alias(Field::Prefix, prefix)?;
    if prefix.len() > MAX_PREFIX {
        return Err(Error::TooLong { field: Field::Prefix, max: MAX_PREFIX, len: prefix.len() });
    }
    let bad = |c: char| matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|');
    if prefix.contains(bad) || prefix.starts_with('.') || prefix != prefix.trim() {
        return Err(Error::invalid(
            Field::Prefix,
            format!(
                "\"{prefix}\" cannot be used in a file name: use letters, digits, '-', '_' and \
                 '.', not starting with '.' and without / \\ : * ? \" < > |"
            ),
        ));
    }
    Ok(())
}

fn check_password(field: Field, password: &str) -> Result<()> {
    let len = password.chars().count();
    if len < MIN_PASSWORD {
        return Err(Error::PasswordTooShort { field, min: MIN_PASSWORD });
    }
    check_text(field, password, MAX_PASSWORD)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(p: &Params) -> Error {
        p.validate().expect_err("should be refused")
    }

    #[test]
    fn defaults_are_the_recipes() {
        let s = Params::server();
        assert_eq!((s.alias.as_str(), s.prefix.as_str()), ("serveralias", "mqttserver"));
        assert_eq!(s.store_password.as_str(), "server_ks_password");
        assert_eq!(s.key_password.as_str(), "server_key_password");
        let c = Params::client();
        assert_eq!((c.alias.as_str(), c.prefix.as_str()), ("clientalias", "mqttclient"));
        assert_eq!((c.store_password.as_str(), c.key_password.as_str()), ("password", "password"));
        assert_eq!((c.days, c.key_size), (9999, 2048));
        assert_eq!(c.server_alias(), "serveralias");
        s.validate().unwrap();
        c.validate().unwrap();
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases: Vec<(Box<dyn Fn(&mut Params)>, Field, &str)> = vec![
            (Box::new(|p| p.days = 0), Field::Days, "out_of_range"),
            (Box::new(|p| p.days = 36501), Field::Days, "out_of_range"),
            (Box::new(|p| p.key_size = 1024), Field::KeySize, "key_size"),
            (Box::new(|p| p.alias = " ".into()), Field::Alias, "empty"),
            (Box::new(|p| p.alias = "\u{11C00}".into()), Field::Alias, "invalid"),
            (Box::new(|p| p.server_alias = Some("srv\u{1F600}".into())), Field::ServerAlias, "invalid"),
            (Box::new(|p| p.prefix = "../x".into()), Field::Prefix, "invalid"),
            (Box::new(|p| p.prefix = "a/b".into()), Field::Prefix, "invalid"),
            (Box::new(|p| p.store_password = Zeroizing::new("12345".into())), Field::StorePassword, "password_too_short"),
            (Box::new(|p| p.key_password = Zeroizing::new("".into())), Field::KeyPassword, "password_too_short"),
            (Box::new(|p| p.key_password = Zeroizing::new("pass\nword".into())), Field::KeyPassword, "control_character"),
            (Box::new(|p| p.san = vec!["ip:300.1.1.1".into()]), Field::San, "invalid"),
            (Box::new(|p| p.server_certificate = Some(b"not a cert".to_vec())), Field::ServerCertificate, "invalid_certificate"),
        ];
        for (change, field, code) in cases {
            let mut p = Params::client();
            change(&mut p);
            let e = err(&p);
            assert_eq!((e.field(), e.code()), (Some(field), code), "{e}");
            assert!(e.to_string().contains(field.option()), "{e}");
        }
        let mut p = Params::client();
        p.days = 36500;
        p.key_size = 4096;
        p.validate().unwrap();
    }

    #[test]
    fn server_gets_its_cn_as_a_name() {
        let mut p = Params::server();
        p.cn = "mqtt.example.test".into();
        p.san = vec!["127.0.0.1".into(), "dns:mqtt.example.test".into()];
        let v = p.validate().unwrap();
        assert_eq!(
            v.san,
            vec![
                SubjectAltName::Dns("mqtt.example.test".into()),
                SubjectAltName::Ip("127.0.0.1".parse().unwrap())
            ]
        );
        assert!(Params::client().validate().unwrap().san.is_empty());
    }

    #[test]
    fn role_parses() {
        assert_eq!(Role::parse("Server").unwrap(), Role::Server);
        assert_eq!(err_field(Role::parse("broker")), Some(Field::Role));
    }

    fn err_field<T: core::fmt::Debug>(r: Result<T>) -> Option<Field> {
        r.unwrap_err().field()
    }
}
