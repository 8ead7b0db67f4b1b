//! Safe formatting for texts people write (the LOB vision): Markdown rendered to HTML and then
//! cleaned by an allow-list sanitiser, so no script, style or event handler ever reaches a page.

/// Render Markdown to sanitised HTML.
pub fn render(text: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(text, Options::ENABLE_TABLES));
    ammonia::Builder::default()
        .url_schemes(["https", "http", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .clean(&out)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn formatting_stays_and_scripts_go() {
        assert_eq!(
            render("**Iedereen** krijgt LOB."),
            "<p><strong>Iedereen</strong> krijgt LOB.</p>\n"
        );
        assert!(render("- intake\n- uitstroom").contains("<li>intake</li>"));
        for evil in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[klik](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<style>body{display:none}</style>",
        ] {
            let html = render(evil);
            assert!(
                !html.contains("<script")
                    && !html.contains("onerror")
                    && !html.contains("javascript:")
                    && !html.contains("<style"),
                "{evil} → {html}"
            );
        }
        assert!(render("[site](https://example.nl)").contains("rel=\"noopener noreferrer\""));
    }
}
