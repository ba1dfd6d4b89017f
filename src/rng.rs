//! The system's CSPRNG (getrandom: crypto.getRandomValues in browsers and Node), wrapped so that
//! a failing source becomes an error instead of a panic.
//!
//! The RSA and sieve code want an infallible RNG. `SystemRng` never fails towards them: when
//! the source fails it records the failure and hands out filler bytes, and every caller checks
//! [`SystemRng::check`] before anything made from those bytes is used, so no key made from
//! filler ever leaves the crate.

use crate::error::{Error, Result};
use core::convert::Infallible;
use rand_core::{TryCryptoRng, TryRng};

#[derive(Default)]
pub struct SystemRng {
    failure: Option<String>,
    filler: u64,
}

impl SystemRng {
    /// A source that has been seen to work once.
    pub fn new() -> Result<SystemRng> {
        let mut rng = SystemRng::default();
        let mut probe = [0u8; 32];
        rng.fill(&mut probe);
        rng.check()?;
        Ok(rng)
    }

    /// Err once any request to the source has failed.
    pub fn check(&self) -> Result<()> {
        match &self.failure {
            Some(why) => Err(Error::Randomness(why.clone())),
            None => Ok(()),
        }
    }

    fn fill(&mut self, dst: &mut [u8]) {
        if let Err(e) = getrandom::fill(dst) {
            self.failure.get_or_insert_with(|| e.to_string());
        }
        if self.failure.is_some() {
            // Varying filler keeps searches finite; the result is thrown away by check().
            for b in dst.iter_mut() {
                self.filler = self.filler.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                *b = (self.filler >> 56) as u8;
            }
        }
    }
}

impl TryRng for SystemRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> core::result::Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.fill(&mut b);
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> core::result::Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.fill(&mut b);
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> core::result::Result<(), Infallible> {
        self.fill(dst);
        Ok(())
    }
}

impl TryCryptoRng for SystemRng {}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::Rng;

    #[test]
    fn system_source_works_natively() {
        let mut rng = SystemRng::new().unwrap();
        let (a, b) = (rng.next_u64(), rng.next_u64());
        assert_ne!(a, b);
        rng.check().unwrap();
    }

    #[test]
    fn a_recorded_failure_is_an_error() {
        let rng = SystemRng { failure: Some("no crypto".into()), filler: 0 };
        assert_eq!(rng.check().unwrap_err().code(), "randomness_unavailable");
    }
}
