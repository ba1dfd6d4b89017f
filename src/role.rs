//! Which side of the two-way TLS a certificate is for, and the recipe's defaults for each: the
//! one source of them (the JS side asks the module for these rather than restating them).

use crate::error::{Error, Field, Result};

/// Which side of the two-way TLS the credentials are for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The MQTT broker (Tempus' MQTT transport, mosquitto, ...).
    Server,
    /// A device.
    Client,
    /// A device CA: signs the devices' certificates (ThingsBoard's chain provisioning).
    Ca,
}

impl Role {
    pub fn parse(s: &str) -> Result<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "server" => Ok(Role::Server),
            "client" => Ok(Role::Client),
            "ca" => Ok(Role::Ca),
            other => Err(Error::invalid(
                Field::Role,
                format!("must be \"server\", \"client\" or \"ca\", got \"{other}\""),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Server => "server",
            Role::Client => "client",
            Role::Ca => "ca",
        }
    }

    /// DOMAIN_SUFFIX's stand-in (the CLI supplies the host name); a device CA's own name.
    pub fn default_cn(self) -> &'static str {
        match self {
            Role::Server | Role::Client => "localhost",
            Role::Ca => "Tempus Device CA",
        }
    }

    /// SERVER_KEY_ALIAS / CLIENT_KEY_ALIAS.
    pub fn default_alias(self) -> &'static str {
        match self {
            Role::Server => "serveralias",
            Role::Client => "clientalias",
            Role::Ca => "caalias",
        }
    }

    /// SERVER_FILE_PREFIX / CLIENT_FILE_PREFIX.
    pub fn default_prefix(self) -> &'static str {
        match self {
            Role::Server => "mqttserver",
            Role::Client => "mqttclient",
            Role::Ca => "deviceca",
        }
    }

    /// SERVER_KEYSTORE_PASSWORD / CLIENT_KEYSTORE_PASSWORD.
    pub fn default_store_password(self) -> &'static str {
        match self {
            Role::Server => "server_ks_password",
            Role::Client => "password",
            // A CA gets no well-known password: its key mints device certificates.
            Role::Ca => "",
        }
    }

    /// SERVER_KEY_PASSWORD / CLIENT_KEY_PASSWORD.
    pub fn default_key_password(self) -> &'static str {
        match self {
            Role::Server => "server_key_password",
            Role::Client => "password",
            Role::Ca => "",
        }
    }
}
