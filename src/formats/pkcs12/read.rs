//! Reading a `.p12` (a device CA's, made here or by OpenSSL, Java, easy-rsa; a device's old key
//! store when it is renewed): its private keys and trusted certificates, with every key
//! derivation counted against the caps before it runs.

use super::*;

// Reading a `.p12` (a device CA's, made here or by OpenSSL, Java, easy-rsa): only its private
// keys are wanted; the CA certificate is given on its own.


#[derive(Sequence)]
struct MacDataIn {
    mac: DigestInfo,
    mac_salt: OctetString,
    #[asn1(optional = "true")]
    iterations: Option<u32>,
}

#[derive(Sequence)]
struct PfxIn {
    version: u8,
    auth_safe: ContentInfo,
    #[asn1(optional = "true")]
    mac_data: Option<MacDataIn>,
}

#[derive(Sequence)]
struct EncryptedContentInfoIn {
    content_type: ObjectIdentifier,
    content_encryption_algorithm: AlgorithmIdentifierOwned,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    encrypted_content: Option<OctetString>,
}

#[derive(Sequence)]
struct EncryptedDataIn {
    version: u8,
    encrypted_content_info: EncryptedContentInfoIn,
}

#[derive(Sequence)]
struct SafeBagIn {
    bag_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    bag_value: Any,
    #[asn1(optional = "true")]
    bag_attributes: Option<SetOfVec<Attribute>>,
}

/// Why a `.p12`'s keys could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Not a PKCS#12 file, or a damaged one; says what was wrong.
    Malformed(String),
    WrongPassword,
    Unsupported(String),
}

impl From<pbe::DecryptError> for ReadError {
    fn from(e: pbe::DecryptError) -> Self {
        match e {
            pbe::DecryptError::WrongPassword => ReadError::WrongPassword,
            pbe::DecryptError::Unsupported(what) => ReadError::Unsupported(what),
        }
    }
}

/// Whether `bytes` look like a PKCS#12 file (a PFX of version 3), before any password.
pub fn is_pkcs12(bytes: &[u8]) -> bool {
    PfxIn::from_der(bytes).is_ok_and(|p| p.version == 3)
}

/// Every private key in the `.p12` (PKCS#8 DER, wiped when dropped), after checking its MAC
/// with `password`. Parts encrypted with an algorithm this tool does not read are skipped when
/// they hold no key (OpenSSL 1.x encrypts the certificates with RC2, which is not needed here).
pub fn read_private_keys(p12: &[u8], password: &str) -> core::result::Result<Vec<Zeroizing<Vec<u8>>>, ReadError> {
    read(p12, password).map(|c| c.keys)
}

/// What a `.p12` holds that this tool reads back: its private keys, and its trusted certificates
/// (the bags marked with Oracle's trusted key usage, as keytool and this tool write a client's
/// trusted server) with their aliases.
pub struct Contents {
    pub keys: Vec<Zeroizing<Vec<u8>>>,
    pub trusted: Vec<(String, Vec<u8>)>,
}

/// A trusted certificate bag's alias and DER, when `bag` is one.
fn trusted_certificate(bag: &SafeBagIn) -> Option<(String, Vec<u8>)> {
    let attrs = bag.bag_attributes.as_ref()?;
    if !attrs.iter().any(|a| a.oid == oid::ORACLE_TRUSTED_KEY_USAGE) {
        return None;
    }
    let alias = attrs
        .iter()
        .find(|a| a.oid == oid::FRIENDLY_NAME)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<BmpString>().ok())
        .map(|b| b.to_string())
        .unwrap_or_default();
    let bag = bag.bag_value.decode_as::<CertBag>().ok()?;
    (bag.cert_id == oid::X509_CERTIFICATE).then(|| (alias, bag.cert_value.as_bytes().to_vec()))
}

/// [`read_private_keys`], with the trusted certificates too.
pub fn read(p12: &[u8], password: &str) -> core::result::Result<Contents, ReadError> {
    let malformed = |what: &str| ReadError::Malformed(what.to_string());
    let pfx = PfxIn::from_der(p12).map_err(|_| malformed("not a PKCS#12 file"))?;
    if pfx.version != 3 || pfx.auth_safe.content_type != oid::DATA {
        return Err(malformed("a PKCS#12 file that is not password-integrity protected (public-key mode is not read)"));
    }
    let auth_safe = pfx.auth_safe.content.decode_as::<OctetString>().map_err(|_| malformed("damaged authSafe"))?;
    let auth_safe = auth_safe.as_bytes();
    let mac = pfx.mac_data.ok_or_else(|| malformed("a PKCS#12 file without a MAC"))?;
    let iterations = mac.iterations.unwrap_or(1);
    pbe::check_iterations(iterations)?;
    let contents = Vec::<ContentInfo>::from_der(auth_safe).map_err(|_| malformed("damaged authSafe"))?;
    // What the whole file asks for, counted before any derivation runs (parts inside an
    // encrypted part are counted as they are reached, against the same budget).
    let mut budget = Budget::new(iterations, &contents)?;
    let pw = bmp_password(password);
    let salt = mac.mac_salt.as_bytes();
    let expected = mac.mac.digest.as_bytes();
    // verify_slice compares in constant time.
    let ok = match mac.mac.digest_algorithm.oid {
        oid if oid == oid::SHA256 => pkcs12_mac::<Sha256>(&pw, salt, iterations, auth_safe).verify_slice(expected).is_ok(),
        oid if oid == oid::SHA1 => pkcs12_mac::<Sha1>(&pw, salt, iterations, auth_safe).verify_slice(expected).is_ok(),
        other => return Err(ReadError::Unsupported(format!("a MAC with the digest {other}; this tool reads SHA-1 and SHA-256 MACs (OpenSSL's and Java's)"))),
    };
    if !ok {
        return Err(ReadError::WrongPassword);
    }

    let mut keys = Vec::new();
    let mut trusted = Vec::new();
    let mut skipped = None;
    for info in contents {
        let safe_contents: Zeroizing<Vec<u8>> = if info.content_type == oid::DATA {
            let octets = info.content.decode_as::<OctetString>().map_err(|_| malformed("damaged SafeContents"))?;
            Zeroizing::new(octets.as_bytes().to_vec())
        } else if info.content_type == oid::ENCRYPTED_DATA {
            let enc = info.content.decode_as::<EncryptedDataIn>().map_err(|_| malformed("damaged EncryptedData"))?;
            let eci = enc.encrypted_content_info;
            let Some(data) = eci.encrypted_content else { continue };
            match budget.spend(&eci.content_encryption_algorithm).and_then(|()| pbe::decrypt(&eci.content_encryption_algorithm, password, data.as_bytes())) {
                Ok(plain) => plain,
                Err(pbe::DecryptError::Unsupported(what)) => {
                    skipped = Some(what);
                    continue;
                }
                // The MAC matched, so the password is right: a padding error is damage.
                Err(pbe::DecryptError::WrongPassword) => return Err(malformed("a damaged encrypted part")),
            }
        } else {
            continue; // enveloped data (public-key privacy mode): not read
        };
        let bags = Vec::<SafeBagIn>::from_der(&safe_contents).map_err(|_| malformed("damaged SafeContents (or a wrong password)"))?;
        for bag in bags {
            if bag.bag_id == oid::CERT_BAG {
                trusted.extend(trusted_certificate(&bag));
            } else if bag.bag_id == oid::KEY_BAG {
                keys.push(Zeroizing::new(bag.bag_value.to_der().map_err(|_| malformed("damaged key bag"))?));
            } else if bag.bag_id == oid::SHROUDED_KEY_BAG {
                let epki = bag.bag_value.decode_as::<EncryptedPrivateKeyInfo>().map_err(|_| malformed("damaged key bag"))?;
                budget.spend(&epki.encryption_algorithm)?;
                keys.push(pbe::decrypt(&epki.encryption_algorithm, password, epki.encrypted_data.as_bytes())?);
            }
        }
    }
    if keys.is_empty() {
        return Err(match skipped {
            Some(what) => ReadError::Unsupported(what),
            None => malformed("a PKCS#12 file without a private key"),
        });
    }
    Ok(Contents { keys, trusted })
}

/// The rounds a `.p12` may still ask for: [`pbe::MAX_FILE_ITERATIONS`] in all, each derivation at
/// most [`pbe::MAX_ITERATIONS`].
struct Budget {
    /// Rounds counted ahead (the MAC's, the encrypted parts' and the plain parts' key bags').
    counted: u64,
    /// Rounds run or about to run that were not counted ahead.
    extra: u64,
    /// Algorithms counted ahead, each spent once without counting it again.
    ahead: Vec<AlgorithmIdentifierOwned>,
}

impl Budget {
    fn new(mac: u32, contents: &[ContentInfo]) -> core::result::Result<Self, ReadError> {
        let mut ahead = Vec::new();
        for info in contents {
            if info.content_type == oid::ENCRYPTED_DATA {
                if let Ok(enc) = info.content.decode_as::<EncryptedDataIn>() {
                    ahead.push(enc.encrypted_content_info.content_encryption_algorithm);
                }
            } else if info.content_type == oid::DATA {
                let bags = info.content.decode_as::<OctetString>().ok().and_then(|o| Vec::<SafeBagIn>::from_der(o.as_bytes()).ok());
                for bag in bags.unwrap_or_default().iter().filter(|b| b.bag_id == oid::SHROUDED_KEY_BAG) {
                    if let Ok(epki) = bag.bag_value.decode_as::<EncryptedPrivateKeyInfo>() {
                        ahead.push(epki.encryption_algorithm);
                    }
                }
            }
        }
        let mut budget = Budget { counted: mac as u64, extra: 0, ahead: Vec::new() };
        for algorithm in &ahead {
            let n = pbe::iterations(algorithm);
            pbe::check_iterations(n.max(1))?;
            budget.counted += n as u64;
        }
        budget.ahead = ahead;
        budget.check()?;
        Ok(budget)
    }

    fn check(&self) -> core::result::Result<(), ReadError> {
        let total = self.counted + self.extra;
        if total > pbe::MAX_FILE_ITERATIONS {
            return Err(ReadError::Unsupported(format!(
                "{total} key derivation rounds in all, more than the {} this tool reads for one file",
                pbe::MAX_FILE_ITERATIONS
            )));
        }
        Ok(())
    }

    /// Before decrypting under `algorithm`: within budget, or refused.
    fn spend(&mut self, algorithm: &AlgorithmIdentifierOwned) -> core::result::Result<(), pbe::DecryptError> {
        if let Some(i) = self.ahead.iter().position(|a| a == algorithm) {
            self.ahead.swap_remove(i);
            return Ok(());
        }
        let n = pbe::iterations(algorithm);
        pbe::check_iterations(n.max(1))?;
        self.extra += n as u64;
        self.check().map_err(|e| match e {
            ReadError::Unsupported(why) => pbe::DecryptError::Unsupported(why),
            _ => pbe::DecryptError::Unsupported("too many key derivation rounds".into()),
        })
    }
}

/// Whether `der` has the shape of a PKCS#8 EncryptedPrivateKeyInfo.
pub fn is_encrypted_private_key_info(der: &[u8]) -> bool {
    EncryptedPrivateKeyInfo::from_der(der).is_ok()
}

/// A PKCS#8 EncryptedPrivateKeyInfo (an `ENCRYPTED PRIVATE KEY` PEM's DER) decrypted.
pub fn decrypt_private_key_info(der: &[u8], password: &str) -> core::result::Result<Zeroizing<Vec<u8>>, ReadError> {
    let epki = EncryptedPrivateKeyInfo::from_der(der).map_err(|_| ReadError::Malformed("a damaged ENCRYPTED PRIVATE KEY".into()))?;
    Ok(pbe::decrypt(&epki.encryption_algorithm, password, epki.encrypted_data.as_bytes())?)
}
