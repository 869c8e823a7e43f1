//! Links that QR codes carry from the console to a phone: a holder's activation and a
//! scanner's enrollment. A phone's own camera app opens them in the web app with the code
//! filled in; the app's camera reads the same links. The enrollment code's own form
//! (`normalise_code`) lives here too, as the link's reader needs it.

/// `{server}/activate?code={code}`: opens "My card" with the activation code typed in.
pub fn activation_link(server: &str, code: &str) -> String {
    format!("{}/activate?code={}", server.trim_end_matches('/'), code.trim())
}

/// The activation code a scanned text holds: the code itself, or a link made by
/// [`activation_link`] (from any server).
pub fn activation_code(scanned: &str) -> Option<String> {
    let scanned = scanned.trim();
    let code = match scanned.split_once("/activate?") {
        Some((_, query)) => query.split('&').find_map(|pair| pair.strip_prefix("code="))?,
        None if scanned.contains('/') || scanned.contains('?') => return None,
        None => scanned,
    };
    let code = code.split('#').next().unwrap_or_default().trim();
    (!code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')).then(|| code.to_owned())
}

/// The query parameter that carries an enrollment code.
const ENROLL_PARAM: &str = "enroll";

/// `{server}/scan?enroll={CODE}`: opens the scanner of `server` with enrollment `code` filled in.
pub fn enroll_link(server: &str, code: &str) -> String {
    format!("{}/scan?{ENROLL_PARAM}={}", server.trim().trim_end_matches('/'), code.trim())
}

/// The enrollment code in such a link, in its canonical form; `None` if `text` is not one.
/// Takes a whole URL (`https://host/scan?enroll=…`) or the app's own path (`/scan?enroll=…`).
pub fn code_in_link(text: &str) -> Option<String> {
    let text = text.trim();
    let text = text.split_once('#').map_or(text, |(before, _)| before);
    let (path, query) = text.split_once('?')?;
    let path = match path.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") => {
            // The path starts at the first slash after the host; a bare host has none.
            &rest[rest.find('/')?..]
        }
        Some(_) => return None,
        None => path,
    };
    if !path.trim_end_matches('/').ends_with("/scan") {
        return None;
    }
    let value = query.split('&').find_map(|pair| pair.strip_prefix(ENROLL_PARAM)?.strip_prefix('='))?;
    normalise_code(value).ok()
}

/// Letters and digits of Crockford's base32, the alphabet of one-time codes.
const CROCKFORD: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in an enrollment code.
pub const CODE_LEN: usize = 12;

/// Why a typed code cannot be a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeProblem {
    Empty,
    BadChar(char),
    Length(usize),
}

/// A typed code in its canonical form: spaces and dashes dropped, upper case, and the letters a
/// person confuses read as Crockford says (O as 0, I and L as 1).
pub fn normalise_code(typed: &str) -> Result<String, CodeProblem> {
    let mut code = String::new();
    for c in typed.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}'..='\u{2015}')) {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !CROCKFORD.contains(c) {
            return Err(CodeProblem::BadChar(c));
        }
        code.push(c);
    }
    match code.chars().count() {
        0 => Err(CodeProblem::Empty),
        CODE_LEN => Ok(code),
        n => Err(CodeProblem::Length(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_activation_link_carries_its_code_back() {
        let link = activation_link("https://kaiku.example.fi/", "K7PQ-2MXD");
        assert_eq!(link, "https://kaiku.example.fi/activate?code=K7PQ-2MXD");
        assert_eq!(activation_code(&link).as_deref(), Some("K7PQ-2MXD"));
        assert_eq!(activation_code("http://127.0.0.1:8080/activate?x=1&code=AB12#top").as_deref(), Some("AB12"));
        assert_eq!(activation_code(" K7PQ-2MXD ").as_deref(), Some("K7PQ-2MXD"), "a bare code is read as it is");
    }

    #[test]
    fn other_texts_are_not_activation_codes() {
        assert_eq!(activation_code("https://example.fi/card"), None);
        assert_eq!(activation_code("https://example.fi/activate?code="), None);
        assert_eq!(activation_code("https://example.fi/activate?code=<script>"), None);
        assert_eq!(activation_code(""), None);
    }

    #[test]
    fn a_link_carries_the_code_to_the_scanner_of_its_server() {
        let link = enroll_link("https://kaiku.example.fi/", "7K2M-QX4P-9RTB");
        assert_eq!(link, "https://kaiku.example.fi/scan?enroll=7K2M-QX4P-9RTB");
        assert_eq!(code_in_link(&link).as_deref(), Some("7K2MQX4P9RTB"));
        assert_eq!(code_in_link("/scan?enroll=7k2m-qx4p-9rtb").as_deref(), Some("7K2MQX4P9RTB"), "the app's path");
        let with_more = "http://127.0.0.1:8080/kaiku/scan/?lang=fi&enroll=7K2MQX4P9RTB#top";
        assert_eq!(code_in_link(with_more).as_deref(), Some("7K2MQX4P9RTB"), "a prefix, other parameters");
    }

    #[test]
    fn anything_else_is_not_an_enrollment_link() {
        for text in [
            "7K2M-QX4P-9RTB",
            "https://kaiku.example.fi/card?enroll=7K2M-QX4P-9RTB",
            "https://kaiku.example.fi?enroll=7K2M-QX4P-9RTB",
            "https://kaiku.example.fi/scan?enroll=7K2M",
            "https://kaiku.example.fi/scan?enrollment=7K2M-QX4P-9RTB",
            "https://kaiku.example.fi/scan",
            "javascript://x/scan?enroll=7K2M-QX4P-9RTB",
            "KK1:ABCDEF",
            "",
        ] {
            assert_eq!(code_in_link(text), None, "{text}");
        }
    }
}
