package dev.beadpool.store;

/** One state change of a bead: who, when, what, from, to. Append-only. */
public record HistoryEntry(
    long seq, String beadId, String at, String actor, String event, String from, String to) {}
