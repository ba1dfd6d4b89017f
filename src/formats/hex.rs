//! Hex as people read it: lowercase for ids and digests, colon-separated uppercase for serials
//! and fingerprints (as keytool and openssl print them).

/// `0a1b...`
pub fn lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// `0A:1B:...`
pub fn colon(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// `0a1b...` or `0A1B...` back to bytes; `None` for an odd length or a non-hex digit.
pub fn decode(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings() {
        assert_eq!(lower(&[0x0a, 0xff, 0]), "0aff00");
        assert_eq!(colon(&[0x0a, 0xff, 0]), "0A:FF:00");
        assert_eq!(colon(&[]), "");
        assert_eq!(decode("0AfF00"), Some(vec![0x0a, 0xff, 0]));
        assert_eq!(decode("0"), None);
        assert_eq!(decode("zz"), None);
    }
}
