//! Which server addresses the app talks to: `https://` only, so that nobody on the path can read
//! a password or hand a scanner keys and a register of their own. Plain `http://` is allowed
//! for a server on this device (127.0.0.0/8, ::1, localhost) and, for development, when the app
//! is run or built with `KAIKU_ALLOW_HTTP=1` (docs/operations.md).

use std::net::IpAddr;

use crate::i18n::{Lang, t};

/// Why an address is not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerProblem {
    /// `http://` to another machine.
    NotHttps,
    /// Not an `https://` or `http://` address with a host.
    NotAnAddress,
}

impl ServerProblem {
    /// The message next to the server field, in `lang`.
    pub fn text(self, lang: Lang) -> String {
        t(
            lang,
            match self {
                Self::NotHttps => "server-not-https",
                Self::NotAnAddress => "server-not-an-address",
            },
        )
    }
}

/// The development setting: plain http to any server.
pub fn http_allowed() -> bool {
    let built = option_env!("KAIKU_ALLOW_HTTP").is_some_and(|v| v == "1");
    #[cfg(not(target_arch = "wasm32"))]
    let run = std::env::var("KAIKU_ALLOW_HTTP").is_ok_and(|v| v == "1");
    #[cfg(target_arch = "wasm32")]
    let run = false;
    built || run
}

/// Whether the app may talk to the server at `address`.
pub fn check_server(address: &str) -> Result<(), ServerProblem> {
    check(address, http_allowed())
}

/// The rule, with the development setting given.
pub fn check(address: &str, allow_http: bool) -> Result<(), ServerProblem> {
    let (scheme, rest) = address.trim().split_once("://").ok_or(ServerProblem::NotAnAddress)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host_of(authority).ok_or(ServerProblem::NotAnAddress)?;
    if scheme.eq_ignore_ascii_case("https") {
        Ok(())
    } else if !scheme.eq_ignore_ascii_case("http") {
        Err(ServerProblem::NotAnAddress)
    } else if allow_http || is_loopback(host) {
        Ok(())
    } else {
        Err(ServerProblem::NotHttps)
    }
}

/// The host of `user@host:port`, without brackets for IPv6; `None` if there is none.
fn host_of(authority: &str) -> Option<&str> {
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split_once(']')?.0,
        None => host_port.split(':').next().unwrap_or_default(),
    };
    let ok = !host.is_empty() && !host.chars().any(|c| c.is_whitespace() || c == '\\');
    ok.then_some(host)
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_servers_are_always_used() {
        for a in ["https://kaiku.example.fi", " https://kaiku.example.fi:8443/kaiku/ ", "HTTPS://10.0.0.5"] {
            assert_eq!(check(a, false), Ok(()), "{a}");
        }
    }

    #[test]
    fn plain_http_is_only_for_this_device() {
        for a in [
            "http://127.0.0.1:8080",
            "http://127.4.5.6",
            "http://[::1]:8080/",
            "http://localhost:8080",
            "http://LOCALHOST",
        ] {
            assert_eq!(check(a, false), Ok(()), "{a}");
        }
        for a in [
            "http://kaiku.example.fi",
            "http://192.168.1.20:8080",
            "http://[2001:db8::1]/",
            "http://128.0.0.1",
            "http://localhost.example.fi",
            "http://127.0.0.1@evil.example",
        ] {
            assert_eq!(check(a, false), Err(ServerProblem::NotHttps), "{a}");
        }
    }

    #[test]
    fn the_development_setting_allows_plain_http_anywhere() {
        assert_eq!(check("http://192.168.1.20:8080", true), Ok(()));
        assert_eq!(check("ftp://192.168.1.20", true), Err(ServerProblem::NotAnAddress));
    }

    #[test]
    fn what_is_not_an_address_says_so() {
        for a in ["", "kaiku.example.fi", "https://", "http:///path", "javascript://x", "https://[::1/"] {
            assert_eq!(check(a, false), Err(ServerProblem::NotAnAddress), "{a}");
        }
    }
}
