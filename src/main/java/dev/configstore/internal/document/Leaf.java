package dev.configstore.internal.document;

import com.fasterxml.jackson.databind.JsonNode;

/** One leaf at head: its value, canonical text and the revision it was written at. */
public record Leaf(JsonNode value, String json, long since) {
}
