//! Kusto's type rules, as Kusto.Language infers them.

use crate::support::schema;

#[test]
fn arithmetic_promotes_whole_numbers_to_long_and_handles_time() {
    assert_eq!(
        schema(
            "DeviceNetworkEvents | project x = Timestamp - Timestamp, y = Timestamp + 1h, z = RemotePort / 2.0, w = RemotePort * 2, v = 1h / 1m, u = int(1) + int(2), t = RemotePort > 1, s = 10 / 3"
        ),
        [
            "x:timespan",
            "y:datetime",
            "z:real",
            "w:long",
            "v:real",
            "u:long",
            "t:bool",
            "s:long"
        ]
    );
}

#[test]
fn conversions_and_literals() {
    assert_eq!(
        schema(
            "print tostring(1), todouble('1'), toint('1'), tolong('1'), ago(1d), datetime(2020-01-01), 1d, guid(74be27de-1e4e-49d9-b579-fe0b331d3642), dynamic([1])"
        ),
        [
            "print_0:string",
            "print_1:real",
            "print_2:int",
            "print_3:long",
            "print_4:datetime",
            "print_5:datetime",
            "print_6:timespan",
            "print_7:guid",
            "print_8:dynamic",
        ]
    );
}

#[test]
fn bin_keeps_temporal_types_and_promotes_numbers() {
    assert_eq!(
        schema("DeviceNetworkEvents | summarize by DeviceId, bin(RemotePort, 10), floor(Timestamp, 1d)"),
        ["DeviceId:string", "RemotePort:long", "Timestamp:datetime"]
    );
}

#[test]
fn let_values_functions_and_toscalar_inline() {
    assert_eq!(
        schema(
            "let lookback = 2d; let threshold = 3; let f = (t:(*), min:long = 1) { t | where RemotePort > min }; \
             let total = toscalar(DeviceInfo | count); \
             f(DeviceNetworkEvents | where Timestamp > ago(lookback)) | summarize n = count() by DeviceId | where n > threshold | extend total"
        ),
        ["DeviceId:string", "n:long", "total:long"]
    );
}

#[test]
fn gettype_names_the_static_type_and_typeof_converts_extract() {
    // Type names from Kusto's gettype-function documentation.
    assert_eq!(
        schema(
            "print a = gettype('a'), b = gettype(1), c = gettype(1.0), d = extract('-(\\\\d{2})-', 1, '15-12-2024', typeof(int)), e = extract('(\\\\d+)', 1, 'x1.5', typeof(real))"
        ),
        ["a:string", "b:string", "c:string", "d:int", "e:real"]
    );
}
