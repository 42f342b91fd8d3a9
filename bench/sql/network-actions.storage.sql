-- network-actions (DeviceNetworkEvents | summarize count() by ActionType) over storage-account records:
-- the table's folder only, from_json into a struct holding only `properties.ActionType`, then GROUP BY.
SELECT properties.ActionType AS ActionType, count(*) AS count_
FROM (
    SELECT from_json(json, '{"properties": {"ActionType": "VARCHAR"}}').properties AS properties
    FROM read_ndjson_objects('{{telemetry}}/insights-logs-advancedhunting-devicenetworkevents/**/*.json',
                             hive_partitioning = false)
)
GROUP BY ActionType;
