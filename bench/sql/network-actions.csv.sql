-- network-actions (DeviceNetworkEvents | summarize count() by ActionType) over the portal CSV export.
-- KQL -> SQL: summarize count() by ActionType -> GROUP BY ActionType; only the one column is read.
SELECT ActionType, count(*) AS count_
FROM read_csv('{{telemetry}}/DeviceNetworkEvents.csv',
              header = true, delim = ',', quote = '"', escape = '"', new_line = '\r\n', sample_size = 1,
              auto_type_candidates = ['VARCHAR'])
GROUP BY ActionType;
