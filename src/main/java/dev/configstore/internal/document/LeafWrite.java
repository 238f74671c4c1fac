package dev.configstore.internal.document;

import com.fasterxml.jackson.databind.JsonNode;

/** A leaf change to write: {@code oldLeaf} to close, {@code newValue} to insert. */
public record LeafWrite(String path, Leaf oldLeaf, JsonNode newValue, String newJson) {
}
