//! Output column names, as Kusto.Language (Microsoft's analyser) reports them for the same queries.

use crate::support::schema;

#[test]
fn unnamed_project_expressions() {
    assert_eq!(
        schema(
            "DeviceNetworkEvents | project strlen(RemoteUrl), tolower(RemoteUrl), RemotePort + 1, AdditionalFields.foo, AdditionalFields['bar'], 5, 'x', RemotePort, bin(Timestamp, 1h)"
        ),
        [
            "strlen_RemoteUrl:long",
            "Column1:string",
            "Column2:long",
            "AdditionalFields_foo:dynamic",
            "AdditionalFields_bar:dynamic",
            "Column3:long",
            "Column4:string",
            "RemotePort:int",
            "Timestamp:datetime",
        ]
    );
}

#[test]
fn a_taken_derived_name_gets_a_suffix() {
    assert_eq!(
        schema("DeviceNetworkEvents | project RemotePort, tostring(RemotePort)"),
        ["RemotePort:int", "RemotePort1:string"]
    );
}

#[test]
fn aggregates_are_named_after_function_and_argument() {
    assert_eq!(
        schema(
            "DeviceNetworkEvents | summarize count(), countif(RemotePort > 5), dcount(RemoteIP), sum(RemotePort), avg(RemotePort), min(Timestamp), max(Timestamp), make_set(RemoteIP), make_list(RemoteIP), take_any(RemoteUrl), make_set(RemoteIP), sum(RemotePort + 1) by bin(Timestamp, 1h), tolower(DeviceName), AdditionalFields.x"
        ),
        [
            "Timestamp:datetime",
            "Column1:string",
            "AdditionalFields_x:dynamic",
            "count_:long",
            "countif_:long",
            "dcount_RemoteIP:long",
            "sum_RemotePort:long",
            "avg_RemotePort:real",
            "min_Timestamp:datetime",
            "max_Timestamp:datetime",
            "set_RemoteIP:dynamic",
            "list_RemoteIP:dynamic",
            "RemoteUrl:string",
            "set_RemoteIP1:dynamic",
            "sum_:long",
        ]
    );
}

#[test]
fn arg_max_star_puts_keys_then_the_maximised_column_then_the_rest() {
    assert_eq!(
        schema("DeviceInfo | summarize arg_max(Timestamp, *) by DeviceId"),
        [
            "DeviceId:string",
            "Timestamp:datetime",
            "DeviceName:string",
            "PublicIP:string"
        ]
    );
    assert_eq!(
        schema("DeviceNetworkEvents | summarize arg_max(Timestamp, RemoteIP, RemoteUrl) by DeviceId"),
        [
            "DeviceId:string",
            "Timestamp:datetime",
            "RemoteIP:string",
            "RemoteUrl:string"
        ]
    );
}

#[test]
fn join_suffixes_clashing_right_columns() {
    assert_eq!(
        schema(
            "DeviceNetworkEvents | project DeviceId, X=1 | join kind=inner (DeviceInfo | project DeviceId1=DeviceId, DeviceId=DeviceId, X=2) on DeviceId"
        ),
        [
            "DeviceId:string",
            "X:long",
            "DeviceId1:string",
            "DeviceId2:string",
            "X1:long"
        ]
    );
    assert_eq!(
        schema(
            "DeviceNetworkEvents | project A=DeviceId, X=1 | join (DeviceInfo | project B=DeviceId, X=2) on $left.A == $right.B"
        ),
        ["A:string", "X:long", "B:string", "X1:long"]
    );
    assert_eq!(
        schema(
            "DeviceNetworkEvents | project DeviceId, X=1 | join kind=rightsemi (DeviceInfo | project DeviceId, X=2) on DeviceId"
        ),
        ["DeviceId:string", "X:long"]
    );
    assert_eq!(
        schema("DeviceInfo | lookup (DeviceInfo | project DeviceId, Y = 1) on DeviceId"),
        [
            "Timestamp:datetime",
            "DeviceId:string",
            "DeviceName:string",
            "PublicIP:string",
            "Y:long"
        ]
    );
}

#[test]
fn union_renames_type_conflicts() {
    assert_eq!(
        schema("union (print X=1, Y='a'), (print X='s', Z=2)"),
        ["X_long:long", "X_string:string", "Y:string", "Z:long"]
    );
}

#[test]
fn print_and_count_names() {
    assert_eq!(
        schema("print 1, 'a', x=2, strlen('a')"),
        ["print_0:long", "print_1:string", "x:long", "print_3:long"]
    );
    assert_eq!(schema("DeviceInfo | count"), ["Count:long"]);
}

#[test]
fn project_family() {
    assert_eq!(
        schema(
            "DeviceNetworkEvents | project DeviceId, RemoteIP | project-reorder RemoteIP | project-rename Dev = DeviceId"
        ),
        ["RemoteIP:string", "Dev:string"]
    );
    assert_eq!(
        schema("DeviceNetworkEvents | project-keep Remote*"),
        ["RemoteIP:string", "RemotePort:int", "RemoteUrl:string"]
    );
    assert_eq!(
        schema("DeviceInfo | extend DeviceName = strlen(DeviceName), N = 1 | project-away Time*, Public*"),
        ["DeviceId:string", "DeviceName:long", "N:long"]
    );
}

#[test]
fn mv_expand_and_parse_columns() {
    assert_eq!(
        schema(
            "DeviceNetworkEvents | project AdditionalFields | mv-expand AdditionalFields | mv-expand x = pack_array(1,2) to typeof(long)"
        ),
        ["AdditionalFields:dynamic", "x:long"]
    );
    assert_eq!(
        schema(
            "DeviceNetworkEvents | parse RemoteUrl with * 'a' Host:string '/' Port:long * | project Host, Port"
        ),
        ["Host:string", "Port:long"]
    );
}

#[test]
fn top_nested_levels_give_a_key_and_an_aggregated_column() {
    assert_eq!(
        schema(
            "DeviceInfo | top-nested 2 of strlen(DeviceName) by count(), top-nested of DeviceName by n = count()"
        ),
        [
            "strlen_DeviceName:long",
            "aggregated_strlen_DeviceName:long",
            "DeviceName:string",
            "n:long",
        ]
    );
    assert_eq!(
        schema("DeviceInfo | top-nested 2 of DeviceName by count(), top-nested of DeviceName by count()"),
        [
            "DeviceName:string",
            "aggregated_DeviceName:long",
            "DeviceName1:string",
            "aggregated_DeviceName1:long",
        ]
    );
}

#[test]
fn make_series_gives_keys_then_arrays_then_the_axis() {
    assert_eq!(
        schema(
            "DeviceInfo | make-series c = count() default = -1, avg(tolong(1)), dcount(DeviceName) on Timestamp from datetime(2020-01-01) to datetime(2020-01-05) step 1d by DeviceName"
        ),
        [
            "DeviceName:string",
            "c:dynamic",
            "avg_:dynamic",
            "dcount_DeviceName:dynamic",
            "Timestamp:dynamic",
        ]
    );
}
