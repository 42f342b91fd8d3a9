-- network-actions (DeviceNetworkEvents | summarize count() by ActionType) over flat NDJSON: read_json with
-- only the one column listed, then GROUP BY.
SELECT ActionType, count(*) AS count_
FROM read_json('{{telemetry}}/DeviceNetworkEvents.ndjson', format = 'newline_delimited',
               columns = {'ActionType': 'VARCHAR'})
GROUP BY ActionType;
