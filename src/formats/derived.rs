//! PBKDF2 keys made ahead of the files that use them (in a browser, by a worker while the primes
//! of the key are searched), handed over as bytes and each used once.

use rand_core::CryptoRng;
use sha2::Sha256;
use zeroize::Zeroizing;

/// PBKDF2 keys made ahead of the files, each for one password and count with its own random
/// salt, each used once. The PBKDF2 runs are most of the time it takes to build the files
/// around a key; made this way, they run while the primes are searched (in a browser: by one of
/// the racing workers) instead of after.
#[derive(Default)]
pub struct Derived {
    pub(crate) entries: Vec<DerivedKey>,
}

pub(crate) struct DerivedKey {
    password: Zeroizing<Vec<u8>>,
    iterations: u32,
    pub(crate) salt: [u8; SALT_LEN],
    key: Zeroizing<[u8; 32]>,
}

pub(crate) const SALT_LEN: usize = 16;

/// PBKDF2-HMAC-SHA256 with a fresh random salt.
pub(crate) fn pbkdf2_key<R: CryptoRng + ?Sized>(rng: &mut R, password: &[u8], iterations: u32) -> ([u8; SALT_LEN], Zeroizing<[u8; 32]>) {
    let mut salt = [0u8; SALT_LEN];
    rng.fill_bytes(&mut salt);
    // PBKDF2 takes the password's UTF-8 bytes (OpenSSL and Java agree).
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<Sha256>(password, &salt, iterations, &mut *key);
    (salt, key)
}

impl Derived {
    /// One key per password, `iterations` rounds each.
    pub fn derive<R: CryptoRng + ?Sized>(rng: &mut R, passwords: &[&str], iterations: u32) -> Self {
        let entries = passwords
            .iter()
            .map(|pw| {
                let (salt, key) = pbkdf2_key(rng, pw.as_bytes(), iterations);
                DerivedKey { password: Zeroizing::new(pw.as_bytes().to_vec()), iterations, salt, key }
            })
            .collect();
        Derived { entries }
    }

    /// A key for `password` and `iterations` (which it was derived from), removed from the pool.
    pub(crate) fn take(&mut self, password: &str, iterations: u32) -> Option<([u8; SALT_LEN], Zeroizing<[u8; 32]>)> {
        let i = self.entries.iter().position(|e| e.iterations == iterations && e.password.as_slice() == password.as_bytes())?;
        let e = self.entries.swap_remove(i);
        Some((e.salt, e.key.clone()))
    }

    /// How many keys are left.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// To hand the keys to another worker: per key, the count (4 bytes, big-endian), salt,
    /// key, the password's length (2 bytes) and the password. Secret: wipe it after use.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        // Sized up front: a growing Vec would leave copies of the keys behind in freed memory.
        let size = self.entries.iter().map(|e| 4 + SALT_LEN + 32 + 2 + e.password.len()).sum();
        let mut out = Zeroizing::new(Vec::with_capacity(size));
        for e in &self.entries {
            out.extend_from_slice(&e.iterations.to_be_bytes());
            out.extend_from_slice(&e.salt);
            out.extend_from_slice(e.key.as_ref());
            out.extend_from_slice(&(e.password.len() as u16).to_be_bytes());
            out.extend_from_slice(&e.password);
        }
        out
    }

    /// The reverse of `to_bytes`; `None` for bytes it did not write (the caller then derives
    /// every key itself).
    pub fn from_bytes(mut bytes: &[u8]) -> Option<Self> {
        let mut entries = Vec::new();
        while !bytes.is_empty() {
            let (head, rest) = bytes.split_at_checked(4 + SALT_LEN + 32 + 2)?;
            let iterations = u32::from_be_bytes(head[..4].try_into().ok()?);
            let salt: [u8; SALT_LEN] = head[4..4 + SALT_LEN].try_into().ok()?;
            let mut key = Zeroizing::new([0u8; 32]);
            key.copy_from_slice(&head[4 + SALT_LEN..4 + SALT_LEN + 32]);
            let len = u16::from_be_bytes(head[4 + SALT_LEN + 32..].try_into().ok()?) as usize;
            let (password, rest) = rest.split_at_checked(len)?;
            if iterations == 0 {
                return None;
            }
            entries.push(DerivedKey { password: Zeroizing::new(password.to_vec()), iterations, salt, key });
            bytes = rest;
        }
        Some(Derived { entries })
    }
}
