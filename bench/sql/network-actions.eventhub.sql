-- network-actions (DeviceNetworkEvents | summarize count() by ActionType) over Event Hub messages, all
-- tables mixed: from_json into a struct holding only `category` and `properties.ActionType` (DuckDB's best
-- form, as in the rules' SQL), then GROUP BY.
SELECT record.properties.ActionType AS ActionType, count(*) AS count_
FROM (
    SELECT unnest(from_json(json, '{"records": [{"category": "VARCHAR",
               "properties": {"ActionType": "VARCHAR"}}]}').records) AS record
    FROM read_ndjson_objects('{{telemetry}}/eventhub/*.json')
)
WHERE record.category = 'AdvancedHunting-DeviceNetworkEvents'
GROUP BY ActionType;
