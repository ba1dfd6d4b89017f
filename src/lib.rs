//! tempus-certgen: X.509 credentials for devices of Tempus (and ThingsBoard) that log in to the
//! MQTT broker over two-way TLS, generated locally: natively, or in the browser as WebAssembly.
//!
//! ```no_run
//! let mut params = tempus_certgen::Params::client();
//! params.cn = "device-42".into();
//! let bundle = tempus_certgen::generate(&params, 1_795_000_000).unwrap();
//! for file in &bundle.files {
//!     println!("{} ({} bytes)", file.name, file.bytes.len());
//! }
//! println!("credentials id: {}", bundle.credentials_id);
//! ```
//!
//! The core is free of browser types; `wasm` (wasm32 only) is the thin JS binding.

pub mod bundle;
pub mod cert;
pub mod dn;
pub mod error;
pub mod inspect;
pub mod jks;
pub mod key;
pub mod params;
pub mod pbe;
pub mod pem;
pub mod pkcs12;
pub mod rng;
pub mod san;
pub mod tempus;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use bundle::{Bundle, File};
pub use error::{Error, Field, Result};
pub use inspect::{inspect, Inspection, Warning};
pub use params::{Params, Role};
pub use tempus::credentials_id;

/// Generate the files of `params.role` with the system's CSPRNG; `now` in Unix seconds.
pub fn generate(params: &Params, now: u64) -> Result<Bundle> {
    params.validate()?;
    let mut rng = rng::SystemRng::new()?;
    let bundle = bundle::generate_with_rng(&mut rng, params, now);
    // Anything made while the source was failing is thrown away.
    rng.check()?;
    bundle
}
