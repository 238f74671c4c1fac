package dev.configstore.internal.document;

import java.util.List;

/** Everything one document gets in this revision. */
public record DocumentWrite(String document, boolean exists, int keyCount, String checksum,
                            DocumentMeta meta, List<LeafWrite> leaves) {
}
