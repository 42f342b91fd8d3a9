//! Deterministic synthetic Defender telemetry with planted Tor and torrent events.
