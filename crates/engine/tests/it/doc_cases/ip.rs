//! IPv4 and IPv6 functions, from their pages in the Kusto reference: what a Tor hunt leans on to tell
//! relay addresses and private ranges apart.

use super::{DocPage, rows, typed, value};

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "ipv4-is-in-range-function",
        functions: &["ipv4_is_in_range"],
        cases: &[
            value("ipv4_is_in_range('192.168.1.1', '192.168.1.1')", "true"),
            value("ipv4_is_in_range('192.168.1.1', '192.168.1.255/24')", "true"),
            value("ipv4_is_in_range('192.168.2.1', '192.168.1.255/24')", "false"),
            // "null: If conversion for one of the two IPv4 strings wasn't successful."
            value("ipv4_is_in_range('192.168.1.256', '192.168.1.255/24')", "null"),
            value("ipv4_is_in_range('192.168.1.1', 'not an address')", "null"),
        ],
    },
    DocPage {
        page: "ipv4-is-in-any-range-function",
        functions: &["ipv4_is_in_any_range"],
        cases: &[
            value("ipv4_is_in_any_range('192.168.1.6', '192.168.1.1/24', '10.0.0.1/8', '127.1.0.1/16')", "true"),
            value(r#"ipv4_is_in_any_range("127.0.0.1", dynamic(["127.0.0.1", "192.168.1.1"]))"#, "true"),
            rows(
                r#"let LocalNetworks=dynamic(["192.168.1.1/16", "127.0.0.1/8", "10.0.0.1/8"]);
                   datatable(IP:string) ["10.1.2.3", "192.168.1.5", "123.1.11.21", "1.1.1.1"]
                   | project IsLocal=ipv4_is_in_any_range(IP, LocalNetworks)"#,
                "[[true], [true], [false], [false]]",
            ),
        ],
    },
    DocPage {
        page: "ipv4-is-private-function",
        functions: &["ipv4_is_private"],
        cases: &[
            rows(
                "datatable(ip_string:string)['10.1.2.3', '192.168.1.1/24', '127.0.0.1'] | project result = ipv4_is_private(ip_string)",
                "[[true], [true], [false]]",
            ),
            // The private ranges of RFC 1918 the page lists: 10/8, 172.16/12, 192.168/16.
            value("ipv4_is_private('172.16.0.1')", "true"),
            value("ipv4_is_private('172.32.0.1')", "false"),
            value("ipv4_is_private('not an address')", "null"),
        ],
    },
    DocPage {
        page: "ipv4-compare-function",
        functions: &["ipv4_compare"],
        cases: &[
            rows(
                "datatable(ip1_string:string, ip2_string:string)['192.168.1.0', '192.168.1.0', '192.168.1.1/24', '192.168.1.255',
                   '192.168.1.1', '192.168.1.255/24', '192.168.1.1/30', '192.168.1.255/24']
                 | project result = ipv4_compare(ip1_string, ip2_string)",
                "[[0], [0], [0], [0]]",
            ),
            rows(
                "datatable(ip1_string:string, ip2_string:string, prefix:long)['192.168.1.1', '192.168.1.0', 31,
                   '192.168.1.1/24', '192.168.1.255', 31, '192.168.1.1', '192.168.1.255', 24]
                 | project result = ipv4_compare(ip1_string, ip2_string, prefix)",
                "[[0], [0], [0]]",
            ),
            typed("ipv4_compare('192.168.1.2', '192.168.1.1')", "1", "Int64"),
            value("ipv4_compare('192.168.1.1', '192.168.1.2')", "-1"),
            value("ipv4_compare('192.168.1.1', 'x')", "null"),
        ],
    },
    DocPage {
        page: "ipv4-is-match-function",
        functions: &["ipv4_is_match"],
        cases: &[
            value("ipv4_is_match('192.168.1.1/24', '192.168.1.255')", "true"),
            rows(
                "datatable(ip1_string:string, ip2_string:string)['192.168.1.0', '192.168.1.0', '192.168.1.1/24', '192.168.1.255',
                   '192.168.1.1', '192.168.1.255/24', '192.168.1.1/30', '192.168.1.255/24']
                 | project result = ipv4_is_match(ip1_string, ip2_string)",
                "[[true], [true], [true], [true]]",
            ),
            rows(
                "datatable(ip1_string:string, ip2_string:string, prefix:long)['192.168.1.1', '192.168.1.0', 31,
                   '192.168.1.1/24', '192.168.1.255', 31, '192.168.1.1', '192.168.1.255', 24]
                 | project result = ipv4_is_match(ip1_string, ip2_string, prefix)",
                "[[true], [true], [true]]",
            ),
            value("ipv4_is_match('192.168.1.1', '192.168.1.2')", "false"),
            value("ipv4_is_match('192.168.1.1', 'x')", "null"),
        ],
    },
    DocPage {
        page: "parse-ipv4-function",
        functions: &["parse_ipv4"],
        cases: &[
            rows(
                "datatable(ip_string: string)['192.168.1.1', '192.168.1.1/24', '255.255.255.255/31'] | project ip_long = parse_ipv4(ip_string)",
                "[[3232235777], [3232235776], [4294967294]]",
            ),
            typed("parse_ipv4('192.168.1.1')", "3232235777", "Int64"),
            value("parse_ipv4('192.168.1.256')", "null"),
        ],
    },
    DocPage {
        page: "ipv4-netmask-suffix-function",
        functions: &["ipv4_netmask_suffix"],
        cases: &[
            rows(
                "datatable(ip_string:string)['10.1.2.3', '192.168.1.1/24', '127.0.0.1/16'] | project cidr_suffix = ipv4_netmask_suffix(ip_string)",
                "[[32], [24], [16]]",
            ),
            value("ipv4_netmask_suffix('not an address')", "null"),
        ],
    },
    DocPage {
        page: "format-ipv4-function",
        functions: &["format_ipv4", "format_ipv4_mask"],
        cases: &[rows(
            "datatable(address:string, mask:long)['192.168.1.1', 24, '192.168.1.1', 32, '192.168.1.1/24', 32, '192.168.1.1/24', long(-1)]
             | project result = format_ipv4(address, mask), result_mask = format_ipv4_mask(address, mask)",
            r#"[["192.168.1.0", "192.168.1.0/24"], ["192.168.1.1", "192.168.1.1/32"], ["192.168.1.0", "192.168.1.0/24"], ["", ""]]"#,
        )],
    },
    DocPage {
        page: "parse-ipv6-function",
        functions: &["parse_ipv6"],
        cases: &[
            rows(
                "datatable(ipv4: string)['192.168.255.255', '192.168.255.255/24', '255.255.255.255'] | project ipv6 = parse_ipv6(ipv4)",
                r#"[["0000:0000:0000:0000:0000:ffff:c0a8:ffff"], ["0000:0000:0000:0000:0000:ffff:c0a8:ff00"],
                    ["0000:0000:0000:0000:0000:ffff:ffff:ffff"]]"#,
            ),
            // "If conversion isn't successful, the result is an empty string."
            value("parse_ipv6('not an address')", r#""""#),
        ],
    },
    DocPage {
        page: "ipv6-compare-function",
        functions: &["ipv6_compare"],
        cases: &[rows(
            "datatable(ip1_string:string, ip2_string:string)['192.168.1.1', '192.168.1.1', '192.168.1.1/24', '192.168.1.255',
               '192.168.1.1', '192.168.1.255/24', '192.168.1.1/30', '192.168.1.255/24',
               'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998',
               'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7998/120', 'fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998/120',
               '192.168.1.1', '::ffff:c0a8:0101', '192.168.1.1/24', '::ffff:c0a8:01ff', '::ffff:c0a8:0101', '192.168.1.255/24',
               '::192.168.1.1/30', '192.168.1.255/24']
             | project result = ipv6_compare(ip1_string, ip2_string)",
            "[[0], [0], [0], [0], [0], [0], [0], [0], [0], [0], [0], [0]]",
        )],
    },
    DocPage {
        page: "has-ipv4-function",
        functions: &["has_ipv4"],
        cases: &[
            value("has_ipv4('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.0.1')", "true"),
            value("has_ipv4('05:04:54 127.0.0.256 GET /favicon.ico 404', '127.0.0.256')", "false"),
            value("has_ipv4('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.0.1')", "false"),
        ],
    },
    DocPage {
        page: "has-ipv4-prefix-function",
        functions: &["has_ipv4_prefix"],
        cases: &[
            value("has_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.')", "true"),
            value("has_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0')", "false"),
            value("has_ipv4_prefix('05:04:54 127.0.0.256 GET /favicon.ico 404', '127.0.')", "false"),
            value("has_ipv4_prefix('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.')", "false"),
        ],
    },
];
