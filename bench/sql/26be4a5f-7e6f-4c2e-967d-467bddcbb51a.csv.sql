-- DetectTorRelayConnectivity (26be4a5f-...) over the portal CSV export (header row, RFC 4180, CRLF).
-- KQL -> SQL:
--   externaldata (...) [url] with (ignoreFirstRecord=true, format="csv")
--                                  read_csv of the local copy the URL maps to, header skipped, the same ten
--                                  columns and types.
--   | where AddressType == "IPv4"  AddressType = 'IPv4' (== is case-sensitive).
--   join kind=inner ... on $left.IPAddress == $right.RemoteIP
--                                  INNER JOIN ON IPAddress = RemoteIP.
--   join kind=inner (DeviceInfo | distinct DeviceId, PublicIP) on DeviceId
--                                  INNER JOIN (SELECT DISTINCT DeviceId, PublicIP FROM DeviceInfo) ON DeviceId;
--                                  the left side's DeviceId is the one projected, as in Kusto.
--   project ..., LocalPublicIP = PublicIP, TorIP = IPAddress, ...
--                                  the same columns, renamed, in order.
-- Reading: the dialect is given and the sniffing sample minimal (sample_size = 1). Columns default to VARCHAR
-- and only those the query uses get their Kusto types. An empty field is "" for a Kusto string but null in
-- DuckDB, so the join and distinct keys are coalesced to "" (Kusto joins "" with ""; SQL never joins null).
-- (DuckDB 2.0's force_not_null would say this in the reader, but it applies to the wrong columns once the
-- reader skips unused columns.)
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
network_events AS (
    SELECT *
    FROM read_csv('{{telemetry}}/DeviceNetworkEvents.csv',
                  header = true, delim = ',', quote = '"', escape = '"', new_line = '\r\n', sample_size = 1,
                  auto_type_candidates = ['VARCHAR'], types = {'Timestamp': 'TIMESTAMP_NS'})
),
device_public_ips AS (
    SELECT DISTINCT coalesce(DeviceId, '') AS DeviceId, coalesce(PublicIP, '') AS PublicIP
    FROM read_csv('{{telemetry}}/DeviceInfo.csv',
                  header = true, delim = ',', quote = '"', escape = '"', new_line = '\r\n', sample_size = 1,
                  auto_type_candidates = ['VARCHAR'])
)
SELECT n.Timestamp, n.DeviceId, d.PublicIP AS LocalPublicIP, n.LocalIP, n.RemoteIP, t.IPAddress AS TorIP,
       t.Hostname, t.CountryCode, n.ActionType, n.InitiatingProcessFileName, n.InitiatingProcessFolderPath
FROM tor_relays AS t
JOIN network_events AS n ON t.IPAddress = coalesce(n.RemoteIP, '')
JOIN device_public_ips AS d ON coalesce(n.DeviceId, '') = d.DeviceId;
