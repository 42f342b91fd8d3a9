//! A small MaxMind DB writer for tests (no database can be downloaded here): an IPv6 search tree with
//! IPv4 networks under `::/96`, 32-bit records, a data section of maps, and the metadata, as the format
//! specification (maxmind.github.io/MaxMind-DB) lays them out. Enough for GeoLite2-City-shaped records.

use std::net::IpAddr;

/// A value of the MaxMind DB data section.
#[derive(Debug, Clone)]
pub enum Value {
    Str(String),
    Double(f64),
    U16(u16),
    U32(u32),
    U64(u64),
    Map(Vec<(String, Value)>),
    Array(Vec<Value>),
}

pub fn map(pairs: &[(&str, Value)]) -> Value {
    Value::Map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

pub fn text(s: &str) -> Value {
    Value::Str(s.to_string())
}

/// `{"names": {"en": name}}`, as GeoIP2 records name places.
pub fn named(name: &str) -> Value {
    map(&[("names", map(&[("en", text(name))]))])
}

/// A GeoLite2-City record; `None` parts are left out, as the database leaves them out.
pub fn city_record(
    country: Option<&str>,
    state: Option<&str>,
    city: Option<&str>,
    location: Option<(f64, f64)>,
) -> Value {
    let mut pairs = Vec::new();
    if let Some(city) = city {
        pairs.push(("city".to_string(), named(city)));
    }
    if let Some(country) = country {
        pairs.push(("country".to_string(), named(country)));
    }
    if let Some((latitude, longitude)) = location {
        pairs.push((
            "location".to_string(),
            map(&[
                ("accuracy_radius", Value::U16(100)),
                ("latitude", Value::Double(latitude)),
                ("longitude", Value::Double(longitude)),
            ]),
        ));
    }
    if let Some(state) = state {
        pairs.push(("subdivisions".to_string(), Value::Array(vec![named(state)])));
    }
    Value::Map(pairs)
}

fn control(out: &mut Vec<u8>, kind: u8, size: usize) {
    let (low, extra): (u8, Vec<u8>) = match size {
        0..=28 => (size as u8, vec![]),
        29..=284 => (29, vec![(size - 29) as u8]),
        285..=65_820 => (30, ((size - 285) as u16).to_be_bytes().to_vec()),
        _ => (31, ((size - 65_821) as u32).to_be_bytes()[1..].to_vec()),
    };
    if kind <= 7 {
        out.push((kind << 5) | low);
    } else {
        out.push(low);
        out.push(kind - 7);
    }
    out.extend(extra);
}

fn unsigned(out: &mut Vec<u8>, kind: u8, value: u64, width: usize) {
    let bytes = value.to_be_bytes();
    let significant: Vec<u8> = bytes[8 - width..]
        .iter()
        .copied()
        .skip_while(|b| *b == 0)
        .collect();
    control(out, kind, significant.len());
    out.extend(significant);
}

fn encode(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Str(s) => {
            control(out, 2, s.len());
            out.extend(s.as_bytes());
        }
        Value::Double(d) => {
            control(out, 3, 8);
            out.extend(d.to_be_bytes());
        }
        Value::U16(v) => unsigned(out, 5, u64::from(*v), 2),
        Value::U32(v) => unsigned(out, 6, u64::from(*v), 4),
        Value::U64(v) => unsigned(out, 9, *v, 8),
        Value::Map(pairs) => {
            control(out, 7, pairs.len());
            for (key, value) in pairs {
                encode(out, &Value::Str(key.clone()));
                encode(out, value);
            }
        }
        Value::Array(items) => {
            control(out, 11, items.len());
            for item in items {
                encode(out, item);
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Record {
    Empty,
    Node(usize),
    Data(usize),
}

/// Writes a database mapping each network (`"192.0.2.0/24"`, `"2001:db8::/32"`) to its record; list
/// wider networks before the narrower ones inside them.
pub fn write(database_type: &str, networks: &[(&str, Value)]) -> Vec<u8> {
    let mut data = Vec::new();
    let mut nodes: Vec<[Record; 2]> = vec![[Record::Empty; 2]];
    for (network, value) in networks {
        let offset = data.len();
        encode(&mut data, value);
        let (address, prefix) = network.split_once('/').expect("network/prefix");
        let prefix: usize = prefix.parse().expect("prefix length");
        let (bits, prefix) = match address.parse::<IpAddr>().expect("address") {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), prefix + 96),
            IpAddr::V6(v6) => (u128::from(v6), prefix),
        };
        let mut node = 0;
        for depth in 0..prefix {
            let bit = ((bits >> (127 - depth)) & 1) as usize;
            if depth + 1 == prefix {
                nodes[node][bit] = Record::Data(offset);
                break;
            }
            node = match nodes[node][bit] {
                Record::Node(next) => next,
                inherited => {
                    // A narrower network inside a wider one: both halves start with the wider's data.
                    let fill = match inherited {
                        Record::Data(_) => inherited,
                        _ => Record::Empty,
                    };
                    nodes.push([fill; 2]);
                    let next = nodes.len() - 1;
                    nodes[node][bit] = Record::Node(next);
                    next
                }
            };
        }
    }
    let node_count = nodes.len();
    let mut out = Vec::new();
    for node in &nodes {
        for record in node {
            let value = match record {
                Record::Empty => node_count,
                Record::Node(next) => *next,
                Record::Data(offset) => node_count + 16 + offset,
            };
            out.extend((value as u32).to_be_bytes());
        }
    }
    out.extend([0u8; 16]);
    out.extend(&data);
    out.extend(b"\xAB\xCD\xEFMaxMind.com");
    encode(
        &mut out,
        &map(&[
            ("binary_format_major_version", Value::U16(2)),
            ("binary_format_minor_version", Value::U16(0)),
            ("build_epoch", Value::U64(1_700_000_000)),
            ("database_type", text(database_type)),
            ("description", map(&[("en", text("torhunt test database"))])),
            ("ip_version", Value::U16(6)),
            ("languages", Value::Array(vec![text("en")])),
            ("node_count", Value::U32(node_count as u32)),
            ("record_size", Value::U16(32)),
        ]),
    );
    out
}
