//! Links that QR codes carry from the console to a phone: a holder's activation and a
//! scanner's enrollment. A phone's own camera app opens them in the web app with the code
//! filled in; the app's camera reads the same links.

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
}
