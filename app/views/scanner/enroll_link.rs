//! The enrollment link that the console's "add a scanner phone" QR code holds:
//! `{server}/scan?enroll={CODE}`. A phone's own camera app opens it as a web page, which is the
//! scanner with the code filled in; the scanner's camera reads the same link as the code.

use super::enroll::normalise_code;

/// The query parameter that carries the code.
const PARAM: &str = "enroll";

/// The link that opens the scanner of `server` with enrollment `code` filled in.
pub fn enroll_link(server: &str, code: &str) -> String {
    format!("{}/scan?{PARAM}={}", server.trim().trim_end_matches('/'), code.trim())
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
    let value = query.split('&').find_map(|pair| pair.strip_prefix(PARAM)?.strip_prefix('='))?;
    normalise_code(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

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
