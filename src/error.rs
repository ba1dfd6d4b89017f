//! The one error type of the crate: every variant names the input field it is about (when there
//! is one) and reads as a sentence a person can act on.

use core::fmt;

/// An input of [`crate::Params`] (or of `inspect`), named the way each interface names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    Role,
    Cn,
    Ou,
    O,
    L,
    St,
    C,
    Days,
    KeyType,
    KeySize,
    Alias,
    Prefix,
    StorePassword,
    KeyPassword,
    San,
    ServerCertificate,
    ServerAlias,
    /// CA only: basicConstraints pathLenConstraint.
    PathLen,
    /// The certificate given to `inspect`.
    Certificate,
    /// The issuing device CA: its certificate, its private key, that key file's password.
    CaCertificate,
    CaKey,
    CaPassword,
    /// A certificate request (CSR) to sign.
    Request,
    /// `assemble`: the key made earlier, and the certificate a CA returned with its chain.
    Key,
    IssuedCertificate,
    Chain,
    /// The legacy (3DES / SHA-1) `.p12` form.
    LegacyPkcs12,
    /// A certificate revocation list read or written (`revoke --crl`).
    Crl,
    /// A serial number to revoke.
    Serial,
    /// Why certificates are revoked.
    Reason,
    /// How many days a CRL is valid (its nextUpdate).
    CrlDays,
}

impl Field {
    /// The option's name in the JS API (camelCase); also the stable `field` of a JS error.
    pub fn option(self) -> &'static str {
        match self {
            Field::Role => "role",
            Field::Cn => "cn",
            Field::Ou => "ou",
            Field::O => "o",
            Field::L => "l",
            Field::St => "st",
            Field::C => "c",
            Field::Days => "days",
            Field::KeyType => "keyType",
            Field::KeySize => "keySize",
            Field::Alias => "alias",
            Field::Prefix => "prefix",
            Field::StorePassword => "storePassword",
            Field::KeyPassword => "keyPassword",
            Field::San => "san",
            Field::ServerCertificate => "serverCertificate",
            Field::ServerAlias => "serverAlias",
            Field::PathLen => "pathLen",
            Field::Certificate => "certificate",
            Field::CaCertificate => "issuer.certificate",
            Field::CaKey => "issuer.privateKey",
            Field::CaPassword => "issuer.password",
            Field::Request => "csr",
            Field::Key => "key",
            Field::IssuedCertificate => "certificate",
            Field::Chain => "chain",
            Field::LegacyPkcs12 => "legacyPkcs12",
            Field::Crl => "crl",
            Field::Serial => "serials",
            Field::Reason => "reason",
            Field::CrlDays => "days",
        }
    }

    /// What a person calls it (the page's label).
    pub fn label(self) -> &'static str {
        match self {
            Field::Role => "Role",
            Field::Cn => "Common name (CN)",
            Field::Ou => "Organizational unit (OU)",
            Field::O => "Organization (O)",
            Field::L => "City or locality (L)",
            Field::St => "State or province (ST)",
            Field::C => "Country code (C)",
            Field::Days => "Validity (days)",
            Field::KeyType => "Key type",
            Field::KeySize => "Key size",
            Field::Alias => "Key alias",
            Field::Prefix => "File prefix",
            Field::StorePassword => "Keystore password",
            Field::KeyPassword => "Key password",
            Field::San => "Subject alternative name",
            Field::ServerCertificate => "Server certificate",
            Field::ServerAlias => "Server alias",
            Field::PathLen => "Path length",
            Field::Certificate => "Certificate",
            Field::CaCertificate => "CA certificate",
            Field::CaKey => "CA private key",
            Field::CaPassword => "CA key password",
            Field::Request => "Certificate request",
            Field::Key => "Private key",
            Field::IssuedCertificate => "Certificate",
            Field::Chain => "Chain",
            Field::LegacyPkcs12 => "Legacy .p12",
            Field::Crl => "CRL",
            Field::Serial => "Serial number",
            Field::Reason => "Revocation reason",
            Field::CrlDays => "CRL validity (days)",
        }
    }
}

/// Everything that can go wrong, as a person would want to be told.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A required text is empty.
    Empty { field: Field },
    /// Longer than the bound (RFC 5280 upper bounds for names).
    TooLong { field: Field, max: usize, len: usize },
    /// A control character (newline, tab, NUL, ...) in a text field.
    ControlCharacter { field: Field },
    /// Some other rule of the field is broken; `reason` says which.
    Invalid { field: Field, reason: String },
    /// A number outside its allowed range.
    OutOfRange { field: Field, min: u64, max: u64, value: u64 },
    /// RSA key sizes other than 2048, 3072 and 4096.
    KeySize { bits: u64 },
    /// keytool refuses passwords shorter than 6 characters; so do we.
    PasswordTooShort { field: Field, min: usize },
    /// The password does not open the key file (its padding or MAC is wrong).
    WrongPassword { field: Field, what: String },
    /// A certificate (server certificate or inspect input) that cannot be read.
    Certificate { field: Field, reason: String },
    /// The platform's random source failed: no key was made.
    Randomness(String),
    /// A failure inside the crypto or encoding libraries; a bug if it ever shows.
    Internal(String),
}

impl Error {
    /// A stable machine-readable code for the JS `Error.code` and for tests.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Empty { .. } => "empty",
            Error::TooLong { .. } => "too_long",
            Error::ControlCharacter { .. } => "control_character",
            Error::Invalid { .. } => "invalid",
            Error::OutOfRange { .. } => "out_of_range",
            Error::KeySize { .. } => "key_size",
            Error::PasswordTooShort { .. } => "password_too_short",
            Error::Certificate { .. } => "invalid_certificate",
            Error::WrongPassword { .. } => "wrong_password",
            Error::Randomness(_) => "randomness_unavailable",
            Error::Internal(_) => "internal",
        }
    }

    /// The field the error is about, if it is about one.
    pub fn field(&self) -> Option<Field> {
        match self {
            Error::Empty { field }
            | Error::TooLong { field, .. }
            | Error::ControlCharacter { field }
            | Error::Invalid { field, .. }
            | Error::OutOfRange { field, .. }
            | Error::PasswordTooShort { field, .. }
            | Error::Certificate { field, .. }
            | Error::WrongPassword { field, .. } => Some(*field),
            Error::KeySize { .. } => Some(Field::KeySize),
            Error::Randomness(_) | Error::Internal(_) => None,
        }
    }

    /// True for errors caused by what the user gave (CLI exit code 2).
    pub fn is_input(&self) -> bool {
        !matches!(self, Error::Randomness(_) | Error::Internal(_))
    }

    pub(crate) fn invalid(field: Field, reason: impl Into<String>) -> Self {
        Error::Invalid { field, reason: reason.into() }
    }

    pub(crate) fn internal(what: &str, err: impl fmt::Display) -> Self {
        Error::Internal(format!("{what}: {err}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // "<Label> (<option>): ..." so the message names the field however it was entered.
        if let Some(field) = self.field() {
            write!(f, "{} ({}): ", field.label(), field.option())?;
        }
        match self {
            Error::Empty { .. } => f.write_str("must not be empty"),
            Error::TooLong { max, len, .. } => {
                write!(f, "is {len} characters long; at most {max} are allowed")
            }
            Error::ControlCharacter { .. } => {
                f.write_str("must not contain control characters such as newlines or tabs")
            }
            Error::Invalid { reason, .. } => f.write_str(reason),
            Error::OutOfRange { min, max, value, .. } => {
                write!(f, "must be between {min} and {max}, got {value}")
            }
            Error::KeySize { bits } => {
                write!(f, "must be 2048, 3072 or 4096 bits, got {bits}")
            }
            Error::PasswordTooShort { min, .. } => write!(
                f,
                "must be at least {min} characters long (keytool refuses shorter passwords)"
            ),
            Error::WrongPassword { what, .. } => write!(f, "is wrong: it does not open {what}"),
            Error::Certificate { reason, .. } => {
                write!(f, "is not a readable X.509 certificate: {reason}")
            }
            Error::Randomness(why) => write!(
                f,
                "no secure random source is available ({why}); no key was generated. \
                 Use a current browser or Node.js with crypto.getRandomValues"
            ),
            Error::Internal(why) => write!(f, "internal error, please report it: {why}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = core::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_the_field_and_the_option() {
        let e = Error::Empty { field: Field::Cn };
        assert_eq!(e.to_string(), "Common name (CN) (cn): must not be empty");
        assert_eq!(e.code(), "empty");
        assert_eq!(e.field(), Some(Field::Cn));
        let e = Error::KeySize { bits: 1024 };
        assert!(e.to_string().starts_with("Key size (keySize): must be 2048, 3072 or 4096"));
        assert!(!Error::Randomness("x".into()).is_input());
    }
}
