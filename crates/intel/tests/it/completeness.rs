//! Documents cut short are refused, never read as a smaller network (whose missing relays would then
//! be "not a Tor relay"): a consensus must reach its footer and a signature, Onionoo JSON must be
//! whole, and line-based documents must end with a line break. Checked at many cut points of real
//! and synthetic documents.

use torhunt_intel::formats::ParseContext;
use torhunt_intel::{Format, parse_document};

use crate::{test_data, tor_fixtures, utc};

fn parse(bytes: &[u8], name: &str) -> Result<usize, String> {
    let context = ParseContext {
        source: name.to_string(),
        time: Some(utc("2024-05-01 00:00:00")),
    };
    parse_document(bytes, Format::Auto, &context)
        .map(|s| s.relays.len())
        .map_err(|e| e.to_string())
}

/// 40 cut points spread over the document, plus one byte short of the end.
fn cuts(length: usize) -> impl Iterator<Item = usize> {
    (1..40)
        .map(move |i| length * i / 40)
        .chain([length - 1])
        .filter(|&cut| cut > 0)
}

/// Whether a cut falls just after a line break (a line-based document cut there is a whole, shorter
/// document: nothing in it can tell; the importer's shrink check guards against those).
fn at_line_end(bytes: &[u8], cut: usize) -> bool {
    bytes[cut - 1] == b'\n'
}

fn documents() -> Vec<(String, Vec<u8>)> {
    let mut documents = vec![
        ("microdesc-consensus.synthetic.txt", "consensus"),
        ("onionoo-details.synthetic.json", "details"),
        ("onionoo-summary.synthetic.json", "summary"),
    ]
    .into_iter()
    .map(|(file, name)| (name.to_string(), std::fs::read(test_data(file)).unwrap()))
    .collect::<Vec<_>>();
    if let Some(dir) = tor_fixtures() {
        for file in [
            "consensus-2022-11-19-1000.txt",
            "exit-lists-2018-11/2018-11-01-00-02-01",
            "nodes-history-2023/2023-02-01.tor-exit-nodes.lst",
        ] {
            let name = file.rsplit('/').next().unwrap().to_string();
            documents.push((name, std::fs::read(dir.join(file)).unwrap()));
        }
    }
    documents.push((
        "TorRelayIPs.csv".to_string(),
        b"\"Nickname\",\"Fingerprint\",\"EntryAddress\",\"IPAddress\",\"Port\",\"AddressType\",\"Hostname\",\"CountryCode\",\"IsRunning\",\"LastChangedIPData\"\r\n\
\"relay1\",\"0011BD2485AD45D984EC4159C88FC066E5E3300E\",\"192.0.2.12\",\"192.0.2.12\",\"9001\",\"IPv4\",\"\",\"de\",\"True\",\"2024-04-01 00:00:00\"\r\n\
\"relay2\",\"0011BD2485AD45D984EC4159C88FC066E5E3300F\",\"192.0.2.13\",\"192.0.2.13\",\"9001\",\"IPv4\",\"\",\"de\",\"True\",\"2024-04-01 00:00:00\"\r\n"
            .to_vec(),
    ));
    documents
}

#[test]
fn whole_documents_parse_and_cut_ones_are_refused() {
    for (name, bytes) in documents() {
        let whole = parse(&bytes, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(whole > 0, "{name}");
        let line_based = !(name.contains("consensus") || name == "details" || name == "summary");
        for cut in cuts(bytes.len()) {
            let only_whitespace_cut = bytes[cut..].iter().all(u8::is_ascii_whitespace);
            if (line_based && at_line_end(&bytes, cut)) || (!line_based && only_whitespace_cut) {
                continue;
            }
            // A consensus cut after its first whole signature has every relay: it may be accepted.
            if let Ok(relays) = parse(&bytes[..cut], &name) {
                assert!(
                    name.contains("consensus") && relays == whole,
                    "{name} cut at {cut} of {} was read as {relays} of {whole} relays",
                    bytes.len()
                );
            }
        }
    }
}

#[test]
fn a_consensus_cut_in_half_names_the_reason() {
    let bytes = std::fs::read(test_data("microdesc-consensus.synthetic.txt")).unwrap();
    let error = parse(&bytes[..bytes.len() / 2], "half-consensus").unwrap_err();
    assert!(error.contains("cut short"), "{error}");
}
