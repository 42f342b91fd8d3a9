-- DetectTorRelayConnectivity (26be4a5f-...) over typed Parquet (one folder per table).
-- KQL -> SQL:
--   externaldata (...) [url] with (ignoreFirstRecord=true, format="csv")
--                                  read_csv of the local copy the URL maps to, header skipped, the same ten
--                                  columns and types. An empty field is "" for a Kusto string but null in
--                                  DuckDB, so IPAddress, the join key, is coalesced to "".
--   | where AddressType == "IPv4"  AddressType = 'IPv4' (== is case-sensitive).
--   join kind=inner ... on $left.IPAddress == $right.RemoteIP
--                                  INNER JOIN ON IPAddress = RemoteIP.
--   join kind=inner (DeviceInfo | distinct DeviceId, PublicIP) on DeviceId
--                                  INNER JOIN (SELECT DISTINCT DeviceId, PublicIP FROM DeviceInfo) ON DeviceId;
--                                  the left side's DeviceId is the one projected, as in Kusto.
--   project ..., LocalPublicIP = PublicIP, TorIP = IPAddress, ...
--                                  the same columns, renamed, in order.
-- Strings are never null in this Parquet (Kusto has no null string: missing is ""), so its join keys compare
-- as Kusto compares them without a coalesce.
WITH tor_relays AS (
    SELECT * REPLACE (coalesce(IPAddress, '') AS IPAddress)
    FROM read_csv('{{relay_list}}', header = true, delim = ',', quote = '"', escape = '"', new_line = '\r\n',
                  auto_detect = false,
                  columns = {'Nickname': 'VARCHAR', 'Fingerprint': 'VARCHAR', 'EntryAddress': 'VARCHAR',
                             'IPAddress': 'VARCHAR', 'Port': 'VARCHAR', 'AddressType': 'VARCHAR',
                             'Hostname': 'VARCHAR', 'CountryCode': 'VARCHAR', 'IsRunning': 'BOOLEAN',
                             'LastChangedIPData': 'VARCHAR'})
    WHERE AddressType = 'IPv4'
),
device_public_ips AS (
    SELECT DISTINCT DeviceId, PublicIP
    FROM read_parquet('{{telemetry}}/DeviceInfo/*.parquet')
)
SELECT n.Timestamp, n.DeviceId, d.PublicIP AS LocalPublicIP, n.LocalIP, n.RemoteIP, t.IPAddress AS TorIP,
       t.Hostname, t.CountryCode, n.ActionType, n.InitiatingProcessFileName, n.InitiatingProcessFolderPath
FROM tor_relays AS t
JOIN read_parquet('{{telemetry}}/DeviceNetworkEvents/*.parquet') AS n ON t.IPAddress = n.RemoteIP
JOIN device_public_ips AS d ON n.DeviceId = d.DeviceId;
