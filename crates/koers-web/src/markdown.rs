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

/// Markdown as plain text for print: paragraphs separated by a blank line, list items with a
/// bullet, formatting and raw HTML dropped.
pub fn plain(text: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::new();
    for e in Parser::new(text) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => out.push_str("• "),
            Event::End(TagEnd::Item) => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => out.push_str("\n\n"),
            _ => {}
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::{plain, render};

    #[test]
    fn plain_text_keeps_words_and_list_items() {
        assert_eq!(
            plain("**Iedereen** krijgt LOB.\n\n- intake\n- uitstroom <b>x</b>"),
            "Iedereen krijgt LOB.\n\n• intake\n• uitstroom x"
        );
    }

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
