package dev.configstore.internal.document;

import java.util.List;
import java.util.Map;

/** What one revision (or a run of them) did to one document. */
public record DocumentDelta(String document, boolean exists, long revision, String checksum, DocumentMeta meta,
                            List<String> removed, Map<String, Leaf> added) {
}
