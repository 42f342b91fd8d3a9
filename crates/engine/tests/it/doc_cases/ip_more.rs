//! Searching text for IPv4 addresses and prefixes, IPv6 ranges and matches, and address masks, from
//! their pages in the Kusto reference: how a Tor hunt finds relay addresses in free-text logs.

use super::{DocPage, refused, rows, typed, value};

/// The log line the `has_any_ipv4` pages search.
macro_rules! log_line {
    () => {
        "'05:04:54 127.0.0.1 GET /favicon.ico 404'"
    };
}

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "has-any-ipv4-function",
        functions: &["has_any_ipv4"],
        cases: &[
            typed(concat!("has_any_ipv4(", log_line!(), ", '127.0.0.1', '127.0.0.2')"), "true", "SByte"),
            value(concat!("has_any_ipv4(", log_line!(), ", dynamic(['127.0.0.1', '127.0.0.2']))"), "true"),
            // An invalid address is never found, even where the text holds it.
            value(
                r#"has_any_ipv4('05:04:54 127.0.0.256 GET /favicon.ico 404', dynamic(["127.0.0.256", "192.168.1.1"]))"#,
                "false",
            ),
            // "false, improperly delimited IP address".
            value("has_any_ipv4('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.0.1', '192.168.1.1')", "false"),
            // "IP address entrances in a text must be properly delimited with non-alphanumeric
            // characters", as in the page's "These requests came from: 192.168.1.1, 10.1.1.115 and
            // 10.1.1.201".
            value(
                "has_any_ipv4('These requests came from: 192.168.1.1, 10.1.1.115 and 10.1.1.201', '10.1.1.115')",
                "true",
            ),
            // A full stop is not alphanumeric: an address ending a sentence is delimited.
            value("has_any_ipv4('Requests came from 10.1.1.201.', '10.1.1.201')", "true"),
            value("has_any_ipv4('[10.1.1.201]:9001', '10.1.1.201')", "true"),
            // Letters and digits around an address glue it to its neighbours.
            value("has_any_ipv4('host10.1.1.201 up', '10.1.1.201')", "false"),
            value("has_any_ipv4('10.1.1.2011 up', '10.1.1.201')", "false"),
            value("has_any_ipv4('10.1.1.201x up', '10.1.1.201')", "false"),
        ],
    },
    DocPage {
        page: "has-any-ipv4-prefix-function",
        functions: &["has_any_ipv4_prefix"],
        cases: &[
            typed(concat!("has_any_ipv4_prefix(", log_line!(), ", '127.0.', '192.168.')"), "true", "SByte"),
            value(concat!("has_any_ipv4_prefix(", log_line!(), r#", dynamic(["127.0.", "192.168."]))"#), "true"),
            // "A valid IP address prefix is either a complete IPv4 address ... or its prefix ending
            // with a dot": '127.0' is neither.
            value(concat!("has_any_ipv4_prefix(", log_line!(), ", '127.0')"), "false"),
            value("has_any_ipv4_prefix('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.', '192.')", "false"),
            value(concat!("has_any_ipv4_prefix(", log_line!(), ", '127.0.0.1')"), "true"),
            // Prefixes are whole numbers of an address: a complete address is no prefix of another.
            value("has_any_ipv4_prefix('from 127.0.0.10 GET', '127.0.0.1')", "false"),
            value("has_any_ipv4_prefix('from 127.0.0.10 GET', '127.0.0.')", "true"),
            value("has_any_ipv4_prefix('Requests came from 10.1.1.201.', '10.1.')", "true"),
            value("has_any_ipv4_prefix('host10.1.1.201 up', '10.1.')", "false"),
        ],
    },
    DocPage {
        page: "ipv6-is-in-range-function",
        functions: &["ipv6_is_in_range"],
        cases: &[
            rows(
                "datatable(ip_address:string, ip_range:string)
                 ['a5e:f127:8a9d:146d:e102:b5d3:c755:abcd', 'a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112',
                  'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd', 'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd',
                  'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd', '0:0:0:0:0:ffff:c0a8:ac/60']
                 | extend result = ipv6_is_in_range(ip_address, ip_range) | project result",
                "[[true], [true], [false]]",
            ),
            // "null: If conversion for one of the two IPv6 strings wasn't successful."
            value("ipv6_is_in_range('not an address', '::1/64')", "null"),
            value("ipv6_is_in_range('::1', 'fe80::/200')", "null"),
        ],
    },
    DocPage {
        page: "ipv6-is-match-function",
        functions: &["ipv6_is_match"],
        cases: &[
            rows(
                "datatable(ip1_string:string, ip2_string:string)
                 ['192.168.1.1', '192.168.1.1', '192.168.1.1/24', '192.168.1.255', '192.168.1.1', '192.168.1.255/24',
                  '192.168.1.1/30', '192.168.1.255/24',
                  'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998',
                  'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7998/120', 'fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998/120',
                  '192.168.1.1', '::ffff:c0a8:0101', '192.168.1.1/24', '::ffff:c0a8:01ff', '::ffff:c0a8:0101', '192.168.1.255/24',
                  '::192.168.1.1/30', '192.168.1.255/24']
                 | extend result = ipv6_is_match(ip1_string, ip2_string) | project result",
                "[[true], [true], [true], [true], [true], [true], [true], [true], [true], [true], [true], [true]]",
            ),
            rows(
                "datatable(ip1_string:string, ip2_string:string, prefix:long)
                 ['192.168.1.1', '192.168.1.0', 31, '192.168.1.1/24', '192.168.1.255', 31, '192.168.1.1', '192.168.1.255', 24,
                  'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7995', 127, 'fe80::85d:e82c:9446:7994/127', 'fe80::85d:e82c:9446:7998', 120,
                  'fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998', 127,
                  '192.168.1.1/24', '::ffff:c0a8:01ff', 127, '::ffff:c0a8:0101', '192.168.1.255', 120, '::192.168.1.1/30', '192.168.1.255/24', 127]
                 | extend result = ipv6_is_match(ip1_string, ip2_string, prefix) | project result",
                "[[true], [true], [true], [true], [true], [true], [true], [true], [true]]",
            ),
            typed("ipv6_is_match('fe80::1', 'fe80::2')", "false", "SByte"),
            value("ipv6_is_match('fe80::1', 'not an address')", "null"),
            // "prefix: An integer from 0 to 128"; what another gives is left open.
            refused("print ipv6_is_match('fe80::1', 'fe80::2', 200)", "prefixes from 0 to 128"),
            refused("print ipv6_is_match('fe80::1', 'fe80::2', -1)", "prefixes from 0 to 128"),
        ],
    },
    DocPage {
        page: "parse-ipv4-mask-function",
        functions: &["parse_ipv4_mask"],
        cases: &[
            typed(r#"parse_ipv4_mask("127.0.0.1", 24)"#, "2130706432", "Int64"),
            value(r#"parse_ipv4_mask("127.0.0.1", 32)"#, "2130706433"),
            value(r#"parse_ipv4_mask("127.0.0.1", 0)"#, "0"),
            // "If conversion isn't successful, the result is null."
            value(r#"parse_ipv4_mask("127.0.0.256", 24)"#, "null"),
        ],
    },
    DocPage {
        page: "parse-ipv6-mask-function",
        functions: &["parse_ipv6_mask"],
        cases: &[
            // The page prints 0000:...:ffff:c0a8:ffff for '::192.168.255.255', an IPv4-compatible
            // (not IPv4-mapped) address; Kusto (the emulator) answers ...:0000:c0a8:ffff, as the
            // text says.
            rows(
                "datatable(ip_string: string, netmask: long)
                 ['192.168.255.255', 120, '192.168.255.255/24', 124, '255.255.255.255', 128,
                  'fe80::85d:e82c:9446:7994', 128, 'fe80::85d:e82c:9446:7994/120', 124,
                  '::192.168.255.255', 128, '::192.168.255.255/24', 128]
                 | extend ip6_canonical = parse_ipv6_mask(ip_string, netmask) | project ip6_canonical",
                r#"[["0000:0000:0000:0000:0000:ffff:c0a8:ff00"], ["0000:0000:0000:0000:0000:ffff:c0a8:ff00"],
                    ["0000:0000:0000:0000:0000:ffff:ffff:ffff"], ["fe80:0000:0000:0000:085d:e82c:9446:7994"],
                    ["fe80:0000:0000:0000:085d:e82c:9446:7900"], ["0000:0000:0000:0000:0000:0000:c0a8:ffff"],
                    ["0000:0000:0000:0000:0000:0000:c0a8:ff00"]]"#,
            ),
            // "If conversion isn't successful, the result is an empty string."
            typed("parse_ipv6_mask('not an address', 128)", r#""""#, "String"),
        ],
    },
];
