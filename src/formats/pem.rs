//! PEM, both ways, in one place.
//!
//! Written: canonical PEM, 64-character lines, `\n`, one block per object. The platform hashes
//! the pasted text, so any other layout gives a different credentials id (see `tempus`).
//!
//! Read: what people paste and what other tools write. Every reader of a person's input (a
//! certificate, a request, a key file) comes through [`read`], which makes the one size check
//! and then finds the blocks: `-----BEGIN L-----` anywhere (also mid-line), OpenSSL's headers
//! (`Proc-Type`, `DEK-Info`: lines with a colon before the Base64), and a body whose whitespace
//! (spaces, tabs, CRLF, indentation) is ignored.

use crate::error::{Error, Field, Result};
use base64ct::{Base64, Encoding};
use pem_rfc7468::LineEnding;
use zeroize::Zeroizing;

pub const CERTIFICATE: &str = "CERTIFICATE";
pub const CERTIFICATE_REQUEST: &str = "CERTIFICATE REQUEST";
pub const PRIVATE_KEY: &str = "PRIVATE KEY";
pub const ENCRYPTED_PRIVATE_KEY: &str = "ENCRYPTED PRIVATE KEY";
/// Inputs larger than this are not what a person pastes or drops (a chain, a key file, a
/// request, a `.p12`: a few KB each).
pub const MAX_INPUT: usize = 1 << 20;

pub fn encode(label: &str, der: &[u8]) -> Result<String> {
    pem_rfc7468::encode_string(label, LineEnding::LF, der).map_err(|e| Error::internal("encoding PEM", e))
}

/// One PEM block: its label, its headers and its body (wiped when dropped: it may be a key).
pub struct Block<'a> {
    pub label: &'a str,
    pub headers: Vec<(&'a str, &'a str)>,
    pub der: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for Block<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Block {{ label: {:?}, .. }}", self.label) // the body may be a key
    }
}

impl Block<'_> {
    /// The value of header `name` (case-insensitive), if the block has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
    }
}

/// A person's input: PEM text, or bytes that are not (DER, a `.p12`, bare Base64).
pub enum Input<'a> {
    Pem(Vec<Block<'a>>),
    Other(&'a [u8]),
}

/// The size and emptiness checks, then the PEM blocks when the input is PEM text. `what` names
/// the thing expected ("a certificate"); `refuse` makes the field's error from a reason.
pub fn read<'a>(input: &'a [u8], field: Field, what: &str, refuse: fn(Field, String) -> Error) -> Result<Input<'a>> {
    if input.len() > MAX_INPUT {
        return Err(refuse(field, format!("is {} bytes; {what} is a few KB", input.len())));
    }
    if input.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty { field });
    }
    match pem_text(input) {
        Some(text) => blocks(text).map(Input::Pem).map_err(|reason| refuse(field, reason)),
        None => Ok(Input::Other(input)),
    }
}

/// The input as text, when it is PEM (UTF-8 with a BEGIN line).
pub fn pem_text(input: &[u8]) -> Option<&str> {
    core::str::from_utf8(input).ok().filter(|t| t.contains("-----BEGIN"))
}

/// Every block of `text`, in order.
pub fn blocks(text: &str) -> core::result::Result<Vec<Block<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let close = after.find("-----").ok_or("a BEGIN line is not closed by -----")?;
        let label = after[..close].trim();
        let body_and_more = &after[close + 5..];
        let end = format!("-----END {label}-----");
        let stop = body_and_more.find(&end).ok_or_else(|| format!("a BEGIN {label} line has no END line (-----END {label}-----)"))?;
        let (headers, der) = body(&body_and_more[..stop]).map_err(|()| format!("the Base64 text of the {label} block is damaged"))?;
        out.push(Block { label, headers, der });
        rest = &body_and_more[stop + end.len()..];
    }
    Ok(out)
}

/// Headers (lines with a colon: Base64 has none), then the Base64 with its whitespace removed.
fn body(text: &str) -> core::result::Result<(Vec<(&str, &str)>, Zeroizing<Vec<u8>>), ()> {
    let mut headers = Vec::new();
    let mut base64 = Zeroizing::new(String::with_capacity(text.len()));
    for line in text.lines() {
        match line.split_once(':') {
            Some((k, v)) if base64.is_empty() => headers.push((k.trim(), v.trim())),
            _ => base64.extend(line.chars().filter(|c| !c.is_ascii_whitespace())),
        }
    }
    Ok((headers, Zeroizing::new(decode_base64(&base64)?)))
}

/// Base64 with any whitespace in it (the bare form the platform stores, a pasted body).
pub fn decode_base64(text: &str) -> core::result::Result<Vec<u8>, ()> {
    let compact: Zeroizing<String> = Zeroizing::new(text.chars().filter(|c| !c.is_ascii_whitespace()).collect());
    Base64::decode_vec(&compact).map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_64_columns_with_lf() {
        let pem = encode(CERTIFICATE, &[0xab; 200]).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(pem.ends_with("-----END CERTIFICATE-----\n"));
        assert!(!pem.contains('\r'));
        let body: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        assert!(body[..body.len() - 1].iter().all(|l| l.len() == 64));
        assert!(body.last().unwrap().len() <= 64);
        assert_eq!(body.concat().len(), 268); // base64 of 200 bytes
    }

    #[test]
    fn reads_what_people_paste() {
        let pem = encode(CERTIFICATE, &[1, 2, 3, 4, 5]).unwrap();
        let odd = format!("junk before {}\r\n  {}", pem.replace('\n', "\r\n   "), encode(PRIVATE_KEY, &[9; 40]).unwrap());
        let blocks = blocks(&odd).unwrap();
        assert_eq!(blocks.iter().map(|b| b.label).collect::<Vec<_>>(), [CERTIFICATE, PRIVATE_KEY]);
        assert_eq!(&blocks[0].der[..], &[1, 2, 3, 4, 5]);
        let one_line = pem.replace('\n', "");
        assert_eq!(&super::blocks(&one_line).unwrap()[0].der[..], &[1, 2, 3, 4, 5]);
        let headers = "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAQID\n-----END EC PRIVATE KEY-----\n";
        let b = &super::blocks(headers).unwrap()[0];
        assert_eq!((b.header("proc-type"), b.header("DEK-Info")), (Some("4,ENCRYPTED"), Some("AES-128-CBC,00")));
        assert_eq!(&b.der[..], &[1, 2, 3]);
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        assert!(blocks("-----BEGIN CERTIFICATE-----\nAAAA\n").unwrap_err().contains("no END line (-----END CERTIFICATE-----)"));
        assert!(blocks("-----BEGIN CERTIFICATE-----\nA!AA\n-----END CERTIFICATE-----").unwrap_err().contains("damaged"));
        let refuse = |f, r| Error::invalid(f, r);
        let big = vec![b'A'; MAX_INPUT + 1];
        let e = read(&big, Field::Request, "a request", refuse).err().unwrap();
        assert!(e.to_string().contains("a request is a few KB"), "{e}");
        assert_eq!(read(b" \n", Field::Request, "a request", refuse).err().unwrap().code(), "empty");
        assert!(matches!(read(b"\x30\x03", Field::Request, "a request", refuse), Ok(Input::Other(_))));
    }
}
