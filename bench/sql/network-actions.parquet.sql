-- network-actions (DeviceNetworkEvents | summarize count() by ActionType) over typed Parquet.
SELECT ActionType, count(*) AS count_
FROM read_parquet('{{telemetry}}/DeviceNetworkEvents/*.parquet')
GROUP BY ActionType;
