//! The recipe's defaults, for the build (scripts/role-defaults.mjs writes js/role-defaults.js
//! from them with the full module); pages take them from that file, so the lean module leaves
//! this out.

use super::options::js_error;
use super::output::set;
use crate::role::Role;
use js_sys::Object;
use wasm_bindgen::prelude::*;

/// The recipe's defaults for a role (`server`, `client` or `ca`), as the options spell them: the
/// one source of them.
#[wasm_bindgen(js_name = roleDefaults)]
pub fn role_defaults(role: &str) -> Result<JsValue, JsValue> {
    let p = crate::recipe::params::Params::new(Role::parse(role).map_err(|e| js_error(&e))?);
    let o = Object::new();
    set(&o, "role", p.role.as_str());
    for (name, value) in [("cn", &p.cn), ("ou", &p.ou), ("o", &p.o), ("l", &p.l), ("st", &p.st), ("c", &p.c)] {
        set(&o, name, value.as_str());
    }
    set(&o, "days", p.days);
    set(&o, "keyType", "rsa");
    set(&o, "keySize", p.key_size);
    set(&o, "alias", p.alias.as_str());
    set(&o, "prefix", p.prefix.as_str());
    set(&o, "storePassword", p.store_password.as_str());
    set(&o, "keyPassword", p.key_password.as_str());
    if let (Role::Ca, Some(n)) = (p.role, p.path_len) {
        set(&o, "pathLen", n);
    }
    Ok(o.into())
}
