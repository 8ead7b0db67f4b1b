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

/// The tags [`render`] may emit (ammonia's default allow-list).
const SAFE_TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "area",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "map",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// An independent check of sanitised HTML (used by the fuzz target and the tests): every tag is
/// allow-listed, no attribute is an event handler or a style, and every link or image points to
/// http(s), mailto or a relative address. Text must be escaped, so any `<` starts a tag.
pub fn check_safe(html: &str) -> Result<(), String> {
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        i += 1;
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let tag = html[start..i].to_ascii_lowercase();
        if !SAFE_TAGS.contains(&tag.as_str()) {
            return Err(format!("tag <{}{tag}>", if closing { "/" } else { "" }));
        }
        // Attributes: name="value" pairs up to '>'.
        loop {
            while i < b.len() && (b[i] == b' ' || b[i] == b'/') {
                i += 1;
            }
            match b.get(i) {
                None => return Err(format!("unterminated <{tag}>")),
                Some(b'>') => {
                    i += 1;
                    break;
                }
                Some(_) => {}
            }
            let name_start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
                i += 1;
            }
            let name = html[name_start..i].to_ascii_lowercase();
            if name.is_empty() {
                return Err(format!("malformed attribute in <{tag}>"));
            }
            let mut value = "";
            if b.get(i) == Some(&b'=') {
                if b.get(i + 1) != Some(&b'"') {
                    return Err(format!("unquoted attribute {name} in <{tag}>"));
                }
                let v_start = i + 2;
                let Some(len) = html[v_start..].find('"') else {
                    return Err(format!("unterminated attribute {name} in <{tag}>"));
                };
                value = &html[v_start..v_start + len];
                i = v_start + len + 1;
            }
            if name.starts_with("on") || name == "style" || name == "srcdoc" {
                return Err(format!("attribute {name} in <{tag}>"));
            }
            if matches!(
                name.as_str(),
                "href" | "src" | "cite" | "action" | "formaction"
            ) && !safe_url(value)
            {
                return Err(format!("{name}=\"{value}\" in <{tag}>"));
            }
        }
    }
    Ok(())
}

/// http(s), mailto, or relative, as a browser reads the attribute. Every `&` must start one of
/// the serialiser's own escapes (`&amp;`, `&quot;`, `&lt;`, `&gt;`): any other entity (such as
/// `&colon;`) could hide a scheme, so it is refused. Then, as in the WHATWG URL parser, tabs and
/// newlines are removed, leading controls and spaces trimmed, and there is a scheme only when
/// the part before the first `:` is `[a-z][a-z0-9+.-]*`.
fn safe_url(url: &str) -> bool {
    const ESCAPES: [(&str, &str); 4] = [
        ("&amp;", "&"),
        ("&quot;", "\""),
        ("&lt;", "<"),
        ("&gt;", ">"),
    ];
    let mut decoded = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(at) = rest.find('&') {
        decoded.push_str(&rest[..at]);
        let Some((esc, ch)) = ESCAPES.iter().find(|(e, _)| rest[at..].starts_with(e)) else {
            return false;
        };
        decoded.push_str(ch);
        rest = &rest[at + esc.len()..];
    }
    decoded.push_str(rest);
    let lower: String = decoded
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_start_matches(|c: char| c <= ' ')
        .to_ascii_lowercase();
    let scheme = lower.split(':').next().unwrap_or("");
    let has_scheme = lower.contains(':')
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
    !has_scheme || matches!(scheme, "https" | "http" | "mailto")
}

#[cfg(test)]
mod tests {
    use super::{check_safe, plain, render};

    #[test]
    fn the_safety_check_refuses_what_it_should() {
        for bad in [
            "<script>x</script>",
            "<p onclick=\"x\">y</p>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"&#106;avascript:x\">x</a>",
            "<a href=\"javascript&colon;x\">x</a>",
            "<a href=\"java\tscript:x\">x</a>",
            "<a href=\" \u{1}JavaScript:x\">x</a>",
            "<p style=\"x\">y</p>",
            "<svg></svg>",
            "<p",
        ] {
            assert!(check_safe(bad).is_err(), "{bad}");
        }
        for good in [
            "<p>a &lt;script&gt;</p>",
            "<a href=\"https://x.nl/a?b#c\" rel=\"noopener noreferrer\">x</a>",
            "<a href=\"/vision\">x</a><br>",
            "<a href=\"ht$tps://x.nl\">relative</a>",
            "<a href=\"https:/&amp;/x.nl?a=1&amp;b=2\">x</a>",
            "<a href=\"&amp;amrelps:e.nl\">relative</a>",
            "<img src=\"plaatje.png\" alt=\"x\">",
        ] {
            assert_eq!(check_safe(good), Ok(()), "{good}");
        }
    }

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
            assert_eq!(check_safe(&html), Ok(()), "{evil} → {html}");
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
